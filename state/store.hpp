// Where the State lives and how writers take turns. Two backends share this
// interface: `local` (a file beside skiff.hcl, default .skiff/state.json)
// and `ssh` (a path on a host, through a Transport), so that the same lock
// and atomicity tests run against both.
//
// Writes are atomic: a temp file, fsync, rename over the state, the previous
// state kept as `<path>.backup`. A state that cannot be read (truncated,
// corrupt, a newer format) is refused with an error naming it and its
// backup, and is never written over.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "state/state.hpp"

namespace skiff::state {

// Who holds the lock, written into the lock file and shown to a second
// writer.
struct LockInfo {
  std::string id;         // a UUID, for `skiff state unlock ID`
  std::string who;        // user@host
  std::string operation;  // "apply", "job stop", ...
  int64_t pid = 0;
  int64_t created_unix = 0;
  std::string version;  // skiff's

  bool operator==(const LockInfo&) const = default;
};

// Held until destroyed (or the holding process dies: a kernel lock).
class Lock {
 public:
  virtual ~Lock() = default;
  virtual const LockInfo& info() const = 0;
};

class StateStore {
 public:
  virtual ~StateStore() = default;

  // The state, or nullopt when none was ever written. Fails on a state that
  // cannot be read, naming the file and its backup.
  virtual Result<std::optional<State>> load() = 0;

  // Writes `state` with serial = expected_serial + 1 (and a lineage if it
  // has none), atomically, keeping the previous one as the backup. Refused
  // (ErrorCode::kConflict) when the stored serial is not expected_serial.
  // REQUIRES: the caller holds the lock.
  virtual Status save(State& state, uint64_t expected_serial) = 0;

  // Takes the exclusive lock, waiting up to `wait` (zero: fail at once).
  // A failure (kConflict) says who holds it, since when, for what, and how
  // to force it: `skiff state unlock <id>`.
  virtual Result<std::unique_ptr<Lock>> lock(const LockInfo& info, std::chrono::milliseconds wait) = 0;

  // The lock's holder, if any (for `state unlock` and error messages).
  virtual Result<std::optional<LockInfo>> holder() = 0;

  // Releases a lock left by a holder that is still running (or a stale
  // record): only when `id` is the holder's id.
  virtual Status force_unlock(const std::string& id) = 0;

  // "local .skiff/state.json", "ssh root@bastion:/var/lib/skiff/state.json".
  virtual std::string describe() const = 0;
};

}  // namespace skiff::state
