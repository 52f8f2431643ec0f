// Reaching the state from a command: the store skiff.hcl's state block
// names, and the LockInfo a command writes when it takes the lock.
#pragma once

#include <memory>
#include <string>

#include "cli/workspace.hpp"
#include "drivers/ssh/openssh/ssh_config.hpp"
#include "drivers/ssh/ssh_target.hpp"
#include "state/store.hpp"

namespace skiff::cli {

// The store skiff.hcl's state block names: the local backend at its path
// (already resolved against skiff.hcl's directory), or ./.skiff/state.json
// when there is no skiff.hcl; or the ssh backend at its path on its host
// (state_host_target). Opening connects to nothing: the first load, save
// or lock does.
Result<std::unique_ptr<state::StateStore>> open_state_store(const Workspace& workspace);

// The SSH target of the ssh backend's host: an inventory host by name
// (reached as every command reaches it), else any SSH target
// "[user@]host[:port]", resolved through ~/.ssh/config and skiff.hcl's
// ssh {} as an inventory host with that address would be. The target's
// name is the inventory name, or "host[:port]" as written. REQUIRES: the
// ssh backend.
Result<drivers::SshTarget> state_host_target(const Workspace& workspace, const drivers::SshConfig& config,
                                             const drivers::SshConfigEnv& env);

// A fresh lock id (a random UUID), $USER@hostname, this pid, now and
// skiff's version, for `operation` ("apply", "job stop", ...).
state::LockInfo make_lock_info(const std::string& operation);

}  // namespace skiff::cli
