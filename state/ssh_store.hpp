// The `ssh` backend: the state in a file on one host (an inventory host or
// any SSH target; default /var/lib/skiff/state.json), so that a team and a
// bastion share one state. Same files and rules as `local`: the previous
// state in `<path>.backup`, the lock on `<path>.lock`, the checks of
// stored_state.hpp.
//
// Every read and write is one remote command over a Transport, built from
// quoted pieces: a fixed script run by `sh -c` with the paths as its
// arguments, the state's bytes on stdin. A save writes a temp file in the
// state's directory, syncs it, replaces the backup the same way, renames
// the temp over the state and syncs the directory.
//
// The lock is the kernel's flock(2) on the host, held by a remote `sh`
// that took it with util-linux `flock` and then waits on its stdin, which
// is the SSH channel of a CommandHold (drivers/command_hold.hpp). When the
// Lock is destroyed skiff writes "release" to that stdin and the holder
// clears its record and exits; when skiff dies, or its connection does,
// sshd closes the stdin, the holder exits leaving its record (stale, as a
// killed local holder's), and the kernel frees the lock all the same: a
// lock never outlives the skiff that took it,
// except one whose process is alive but stuck, which `skiff state unlock
// ID` releases (as for `local`: the lock file is removed, the stuck holder
// keeps a lock on a file nobody uses, and the next writer makes a new one).
//
// Every remote command is bounded by `command_timeout` (a host that stops
// answering mid-read fails the read, rather than hanging the run); taking
// the lock by the wait it was given plus a little.
//
// Not thread-safe; one store per process is the intended use.
#pragma once

#include <memory>
#include <string>

#include "drivers/command_hold.hpp"
#include "drivers/transport.hpp"
#include "state/store.hpp"
#include "state/stored_state.hpp"

namespace skiff::state {

struct SshStateLocation {
  std::string host;  // as named in messages: the inventory name, or the target as given
  std::string user;  // shown by describe(); may be empty
  std::string path;  // on the host
};

class SshStateStore : public StateStore {
 public:
  // A state of a few MB is read or written in seconds even over a slow
  // link; a minute without an answer is a host that is gone.
  static constexpr std::chrono::milliseconds kDefaultCommandTimeout{60'000};

  // REQUIRES: transport and holder reach location.host.
  SshStateStore(SshStateLocation location, std::unique_ptr<drivers::Transport> transport,
                std::unique_ptr<drivers::CommandHolder> holder,
                std::chrono::milliseconds command_timeout = kDefaultCommandTimeout);

  Result<std::optional<State>> load() override;
  // Also refused when this store's lock is still held in name but its
  // connection was lost: another writer may hold the lock by now.
  Status save(State& state, uint64_t expected_serial) override;
  Result<std::unique_ptr<Lock>> lock(const LockInfo& info, std::chrono::milliseconds wait) override;
  Result<std::optional<LockInfo>> holder() override;
  Status force_unlock(const std::string& id) override;
  // "ssh root@h1:/var/lib/skiff/state.json".
  std::string describe() const override;

  const std::string& path() const { return location_.path; }
  std::string backup_path() const { return location_.path + ".backup"; }
  std::string lock_path() const { return location_.path + ".lock"; }
  // How files are named in messages: "h1:/var/lib/skiff/state.json".
  std::string name_of(const std::string& path) const { return location_.host + ":" + path; }

 private:
  // A file on the host. An error is failing to reach it or run the
  // command; a file the host could not read is a `failure`.
  struct RemoteRead {
    std::optional<std::string> bytes;  // nullopt: no such file
    std::optional<Error> failure;
  };
  Result<RemoteRead> read_remote(const std::string& path);
  // `argv` as a command bounded by command_timeout_.
  drivers::Command bounded(std::vector<std::string> argv) const;
  // The stored state (`full`: decoded whole; else see KnownStored).
  Result<std::optional<State>> read_state(bool full);
  Status write_remote(const std::string& text, bool keep_backup);
  // What the lock file says: whether its flock is held, and its record.
  struct LockFileView {
    bool exists = false;
    bool held = false;
    std::string record;
  };
  Result<LockFileView> view_lock_file();
  // "WHAT: `PROGRAM` on HOST exited with status N: STDERR".
  Error remote_failure(const std::string& what, const std::string& program, const drivers::CommandResult& result) const;

  SshStateLocation location_;
  std::unique_ptr<drivers::Transport> transport_;
  std::chrono::milliseconds command_timeout_;
  std::unique_ptr<drivers::CommandHolder> holder_;
  // The hold of the last lock this store handed out, while it lives.
  std::weak_ptr<drivers::CommandHold> held_;
  KnownStored known_;
};

}  // namespace skiff::state
