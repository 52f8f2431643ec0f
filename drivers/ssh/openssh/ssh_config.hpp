// A small reader of OpenSSH client config files (~/.ssh/config), enough to
// reach hosts the way `ssh HOST` would when the inventory says less.
//
// Read: Host blocks with `*`/`?`/`!` patterns (options before the first Host
// apply to every host), first-match-wins per keyword as in OpenSSH (so
// specific blocks go first and `Host *` last), `Include` (globs, relative
// paths under ~/.ssh), and the keywords HostName, User, Port, IdentityFile
// (cumulative, with ~ and %h %p %r %u %d %% tokens), ProxyJump (one hop),
// UserKnownHostsFile, StrictHostKeyChecking, ConnectTimeout,
// ServerAliveInterval. Other keywords are ignored. `Match` blocks are never
// taken: their conditions need things skiff does not evaluate (exec, canonical
// names), and skipping them errs towards the defaults.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "drivers/ssh/ssh_target.hpp"

namespace skiff::drivers {

// What token expansion and Include need from the environment.
struct SshConfigEnv {
  std::string home;        // for ~ and %d
  std::string local_user;  // for %u and the default User
};

// The environment of this process: $HOME (or the passwd entry) and the user.
SshConfigEnv current_ssh_config_env();

struct SshConfigOption {
  std::string keyword;  // lowercased
  std::vector<std::string> args;
};

struct SshConfigBlock {
  std::vector<std::string> patterns;  // empty: the options before any Host line
  bool is_match = false;              // a Match block, never applied
  std::vector<SshConfigOption> options;
};

// The options that apply to one host, before defaults and token expansion.
struct SshHostOptions {
  std::optional<std::string> hostname;
  std::optional<std::string> user;
  std::optional<int> port;
  std::vector<std::string> identity_files;
  std::vector<std::string> known_hosts_files;
  std::optional<std::string> proxy_jump;
  std::optional<std::string> strict_host_key_checking;
  std::optional<int> connect_timeout_seconds;
  std::optional<int> server_alive_interval_seconds;
};

class SshConfig {
 public:
  // Parses config text; `file` names it in errors. Include is resolved
  // through the file system relative to env.home + "/.ssh".
  static Result<SshConfig> parse(std::string_view text, const std::string& file, const SshConfigEnv& env);
  // Reads a file; a missing file is an empty config, as for ssh.
  static Result<SshConfig> load(const std::string& path, const SshConfigEnv& env);

  // Collects the options for `host` (the name given, as in `ssh host`).
  SshHostOptions lookup(std::string_view host) const;

  const std::vector<SshConfigBlock>& blocks() const { return blocks_; }

 private:
  Status parse_into(std::string_view text, const std::string& file, const SshConfigEnv& env, int depth);
  std::vector<SshConfigBlock> blocks_;
};

// Builds the target for `host` as ssh would: config options, then defaults
// (port 22, the local user, ~/.ssh/id_{rsa,ecdsa,ed25519}, ~/.ssh/known_hosts,
// strict checking), tokens expanded, ProxyJump resolved through the same
// config. Fails on a malformed value or a ProxyJump of more than one hop.
Result<SshTarget> target_from_config(const SshConfig& config, std::string_view host, const SshConfigEnv& env);

// Parses "[user@]host[:port]" (a ProxyJump hop) into its parts.
struct JumpSpec {
  std::string user;
  std::string host;
  std::optional<int> port;
};
Result<JumpSpec> parse_jump_spec(std::string_view spec);

}  // namespace skiff::drivers
