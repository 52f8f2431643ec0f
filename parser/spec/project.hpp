// skiff.hcl: where a project's job files and inventory are, how state is
// kept and how hosts are reached. Produced by parser::load_project; every
// field has its default here, so a missing skiff.hcl is a default Project.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parser/spec/duration.hpp"

namespace skiff::spec {

enum class StateBackend { kLocal, kSsh };

// OpenSSH's StrictHostKeyChecking values that skiff honours.
enum class HostKeyChecking { kYes, kAcceptNew, kNo };

// "local" | "ssh"; "yes" | "accept-new" | "no": as written in skiff.hcl.
std::string to_string(StateBackend backend);
std::string to_string(HostKeyChecking checking);

inline constexpr const char* kDefaultLocalStatePath = ".skiff/state.json";  // beside skiff.hcl
inline constexpr const char* kDefaultRemoteStatePath = "/var/lib/skiff/state.json";

struct StateSettings {
  StateBackend backend = StateBackend::kLocal;
  // kLocal: a file on this machine (default kDefaultLocalStatePath, resolved
  // against skiff.hcl's directory); kSsh: a path on `host` (default
  // kDefaultRemoteStatePath). Empty only in a default-constructed Project.
  std::string path;
  std::string host;  // kSsh only: an inventory host or any SSH target
};

// Defaults for every SSH connection; a host's inventory entry wins, and
// ~/.ssh/config fills what neither sets (so empty means "not set").
struct SshSettings {
  std::string user;
  // For hosts whose inventory entry sets no port, and the ssh state host.
  std::optional<int> port;
  std::string identity_file;
  std::string known_hosts;
  HostKeyChecking strict_host_key_checking = HostKeyChecking::kYes;
  Duration connect_timeout = Duration::seconds(10);
  int parallelism = 64;  // open connections at most
  // How long the SSH keeper keeps connections open after a command, for
  // the next skiff run (OpenSSH's ControlPersist); 0: no keeper.
  Duration control_persist{0};
};

// How skiff judges the hosts it cannot reach. skiff has no heartbeat: a
// host is seen only when a command observes the fleet, so the grace is
// counted from the first observation that failed (the state records it).
struct FleetSettings {
  // A host unreachable this long is down: its allocations are lost and
  // rescheduled. Before that they are kept and nothing replaces them.
  // Nomad's analogue is the servers' heartbeat_grace. 0s: down at once.
  Duration down_after{0};
  // The most one remote command may print (stdout and stderr together):
  // past it skiff stops reading, the command fails with "output too large"
  // and its host counts as unreachable for that run, so that a host
  // printing without end cannot exhaust skiff's memory. max_output =
  // "64MiB" (units B, KiB, MiB, GiB), at least 1 KiB.
  uint64_t max_output = uint64_t{64} << 20;
};

struct Project {
  std::string source_path;  // empty when there is no skiff.hcl
  // Relative paths below are resolved against skiff.hcl's directory; paths
  // starting with `~` are kept for the SSH layer to expand.
  std::vector<std::string> jobs;  // files or directories; empty: not set
  std::string inventory;          // empty: not set
  StateSettings state;
  SshSettings ssh;
  FleetSettings fleet;
};

}  // namespace skiff::spec
