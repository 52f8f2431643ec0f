// The `local` backend: the state in a file on this machine (default
// .skiff/state.json beside skiff.hcl), its previous version in
// `<path>.backup`, and the lock as a kernel lock (flock) on `<path>.lock`.
//
// The flock belongs to the open file held by the Lock object, so it ends
// when the object is destroyed or the process dies, however it dies: a
// crashed apply never leaves the state locked. The lock file also records
// the holder's LockInfo, for the message a second writer sees; a record
// whose flock is free is stale and simply overwritten by the next holder.
//
// Files are created 0600 and directories 0700: the state holds job specs,
// which may hold environment values. The folder that holds the state must
// be this user's and closed to others' writes, and no file in it is opened
// through a symlink (file_io.hpp): whoever may write there could otherwise
// make skiff, run by root, truncate a file of root's. Not thread-safe; one
// store per process is the intended use, though two stores (or processes)
// on one path are what the lock is for.
#pragma once

#include <string>

#include "state/store.hpp"
#include "state/stored_state.hpp"

namespace skiff::state {

class LocalStateStore : public StateStore {
 public:
  explicit LocalStateStore(std::string path);

  Result<std::optional<State>> load() override;
  Status save(State& state, uint64_t expected_serial) override;
  Result<std::unique_ptr<Lock>> lock(const LockInfo& info, std::chrono::milliseconds wait) override;
  Result<std::optional<LockInfo>> holder() override;
  Status force_unlock(const std::string& id) override;
  std::string describe() const override;

  const std::string& path() const { return path_; }
  std::string backup_path() const { return path_ + ".backup"; }
  std::string lock_path() const { return path_ + ".lock"; }

 private:
  // The state on disk (nullopt: none) and its bytes, or the error that
  // names the file and its backup.
  struct OnDisk {
    std::optional<State> state;
    std::string bytes;
  };
  // `full`: the whole state decoded; else see KnownStored.
  Result<OnDisk> read_current(bool full);
  Status write_files(const std::string& text, const std::optional<std::string>& previous_bytes);

  std::string backup_name() const { return name_ + ".backup"; }
  std::string lock_name() const { return name_ + ".lock"; }

  std::string path_;
  std::string directory_;  // the folder that holds the state
  std::string name_;       // the state file's name in it
  KnownStored known_;
};

}  // namespace skiff::state
