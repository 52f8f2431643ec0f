// SshAuth: public-key authentication of one libssh2 session, non-blocking.
//
// Order, as ssh does it: every identity the agent ($SSH_AUTH_SOCK) holds,
// then each identity file of the target. A passphrase-protected key file
// cannot be used without a prompt, so it is skipped; if nothing else works,
// the error says which file was encrypted and that `ssh-add` would fix it.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "drivers/ssh/libssh2_util.hpp"
#include "drivers/ssh/ssh_target.hpp"

namespace skiff::drivers {

enum class KeyFileState { kMissing, kUnreadable, kPlain, kEncrypted };

// Looks inside a private key file (OpenSSH or PEM format) to tell whether it
// is passphrase-protected, without decrypting anything.
KeyFileState inspect_key_file(const std::string& path);

enum class AuthStep { kPending, kDone, kFailed };

class SshAuth {
 public:
  SshAuth(LIBSSH2_SESSION* session, const SshTarget& target);
  ~SshAuth();
  SshAuth(const SshAuth&) = delete;
  SshAuth& operator=(const SshAuth&) = delete;

  // Advances until it would block (kPending), succeeds or runs out of keys.
  AuthStep step();
  // REQUIRES: step() returned kFailed.
  const Error& error() const { return error_; }

 private:
  enum class Phase { kList, kAgentConnect, kAgentKey, kFile, kDone, kFailed };
  AuthStep step_list();
  AuthStep step_agent_connect();
  AuthStep step_agent_key();
  AuthStep step_file();
  AuthStep fail();

  LIBSSH2_SESSION* session_;
  const SshTarget& target_;
  std::string user_;
  Phase phase_ = Phase::kList;
  LIBSSH2_AGENT* agent_ = nullptr;
  libssh2_agent_publickey* identity_ = nullptr;
  size_t file_index_ = 0;
  std::vector<std::string> tried_;
  std::vector<std::string> encrypted_;
  Error error_;
};

}  // namespace skiff::drivers
