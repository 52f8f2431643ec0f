// The SSH keeper: skiff's ControlPersist. With `ssh { control_persist }`
// set, the SSH connections of one run stay open in a background process
// (the keeper) for that long after its last command, and the next skiff
// run on the same hosts sends its commands there instead of logging in
// again: a no-op plan costs each host a subshell, not an SSH login.
//
// One keeper per set of targets (its socket's name is a hash of every
// target setting, the pool options, control_persist, $SSH_AUTH_SOCK and
// skiff's version and binary), serving one batch at a time in arrival order.
// A read-only run that finds its keeper in the middle of another run's
// batch (a plan beside a long apply) connects directly instead of waiting
// behind it; a run that changes the fleet waits, so that it observes what
// that batch did (its run may have been killed, the batch still going on). It sits
// behind a Unix socket in a directory only its user may enter
// ($XDG_RUNTIME_DIR/skiff, else /tmp/skiff-UID: created 0700, refused
// unless owned by the user and closed to others) and also checks each
// caller's uid (SO_PEERCRED), as OpenSSH does for its control socket. It
// exits control_persist after its last caller left, or at once if its
// socket is removed; it inherits no descriptor of the skiff that started
// it (so no state lock outlives its holder) and the ssh state backend's
// lock never goes through it.
//
// If the keeper cannot be reached or started, skiff says so on stderr and
// connects directly. If it vanishes mid-batch, that batch's commands fail
// as from a dropped connection (outcome unknown); the next batch reconnects.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "drivers/ssh/keeper/keeper_wire.hpp"
#include "drivers/ssh/ssh_hosts.hpp"

namespace skiff::drivers {

struct KeeperOptions {
  std::chrono::milliseconds persist{0};  // idle time before it exits; > 0
  std::string executable;                // the skiff to start as keeper
  std::string version;                   // skiff's, part of the key
  std::string agent_socket;              // $SSH_AUTH_SOCK, part of the key
  std::string runtime_dir;               // $XDG_RUNTIME_DIR, may be empty
  // When the keeper is busy with another run's batch: wait behind it (for
  // runs that change the fleet, and must see that batch's effects) or
  // connect directly (read-only runs).
  bool wait_when_busy = true;
  std::function<void(const std::string&)> warn;
};

class KeptSshFleet : public SshHosts {
 public:
  KeptSshFleet(SshPoolOptions pool, KeeperOptions options);
  ~KeptSshFleet() override;

  // Before the first run_all: the keeper is started with these hosts.
  void add_host(SshTarget target) override;
  // Through the keeper (started if none serves these targets); connects
  // directly when that fails.
  std::vector<Result<CommandResult>> run_all(const std::vector<HostCommand>& batch) override;

 private:
  Status reach_keeper();
  KeeperSpec spec_;
  KeeperOptions options_;
  std::string socket_path_;
  int fd_ = -1;
  std::unique_ptr<SshPool> direct_;  // when the keeper could not be used
};

// The directory of keeper sockets, created 0700 when missing; refused when
// a symlink, not owned by this user or open to others.
Result<std::string> keeper_directory(const std::string& runtime_dir);

// The keeper's socket path in `directory` for these settings.
std::string keeper_socket_path(const std::string& directory, const std::string& spec_bytes, const KeeperOptions& options);

// Files beside the socket: ".lock" serializes starting a keeper, ".busy" is
// locked by the keeper while it runs a batch.
std::string keeper_sibling(const std::string& socket_path, const std::string& suffix);

// `skiff __ssh-keeper SOCKET PERSIST_MS`: reads an encoded KeeperSpec from
// stdin, listens on SOCKET, writes "ready\n" to stdout and serves.
inline constexpr const char* kKeeperCommand = "__ssh-keeper";
int ssh_keeper_main(int argc, char** argv);

}  // namespace skiff::drivers
