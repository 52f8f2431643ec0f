// SshTarget: everything needed to reach one host over SSH. The CLI fills it
// from the inventory, falling back to ~/.ssh/config (ssh_config.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "drivers/transport.hpp"

namespace skiff::drivers {

// OpenSSH's StrictHostKeyChecking: kYes refuses unknown and changed keys,
// kAcceptNew records unknown keys and refuses changed ones, kNo accepts
// anything (for throwaway test hosts only; changed keys are still refused
// loudly, unlike OpenSSH's "no", which only warns).
enum class StrictHostKeys { kYes, kAcceptNew, kNo };

struct SshTarget {
  std::string name;     // the inventory name, used in messages and as pool key
  std::string address;  // host name or IP address to connect to
  int port = 22;
  std::string user;  // empty: $USER
  // Private keys tried in order after the agent; the public key is read from
  // "<file>.pub" when present.
  std::vector<std::string> identity_files;
  // The first file is where accept-new records keys.
  std::vector<std::string> known_hosts_files;
  StrictHostKeys strict = StrictHostKeys::kYes;
  // Bounds TCP connect + SSH handshake + authentication together, so a host
  // that accepts TCP and never speaks SSH fails within it.
  std::chrono::milliseconds connect_timeout{10000};
  // Bound for commands that carry no timeout of their own.
  std::chrono::milliseconds command_timeout = kDefaultCommandTimeout;
  // The most one command may print, stdout and stderr together: past it
  // the command fails ("output too large") and the connection is dropped.
  uint64_t max_output = kDefaultMaxOutput;
  // Interval of SSH keepalives on open sessions; zero disables them.
  std::chrono::seconds keepalive_interval{15};
  // One bastion to tunnel through (direct-tcpip), like ProxyJump. Only one
  // hop: a bastion with its own proxy_jump is refused.
  std::shared_ptr<const SshTarget> proxy_jump;
};

}  // namespace skiff::drivers
