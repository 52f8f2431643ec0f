#include "drivers/ssh/ssh_auth.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "drivers/ssh/openssh/base64.hpp"

namespace skiff::drivers {

namespace {

constexpr std::string_view kOpenSshBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view kOpenSshEnd = "-----END OPENSSH PRIVATE KEY-----";

// The OpenSSH format starts "openssh-key-v1\0" then the cipher name as an SSH
// string (4-byte big-endian length, bytes); "none" means unencrypted.
bool openssh_key_encrypted(const std::string& text) {
  size_t begin = text.find(kOpenSshBegin) + kOpenSshBegin.size();
  size_t end = text.find(kOpenSshEnd, begin);
  std::string body;
  for (size_t i = begin; i < end && i < text.size(); ++i) {
    if (!std::isspace(static_cast<unsigned char>(text[i]))) body.push_back(text[i]);
  }
  auto raw = base64_decode(body);
  constexpr std::string_view kMagic{"openssh-key-v1\0", 15};
  if (!raw || raw->size() < kMagic.size() + 4 || raw->compare(0, kMagic.size(), kMagic) != 0) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(raw->data()) + kMagic.size();
  size_t len = (size_t{p[0]} << 24) | (size_t{p[1]} << 16) | (size_t{p[2]} << 8) | p[3];
  if (kMagic.size() + 4 + len > raw->size()) return false;
  return raw->compare(kMagic.size() + 4, len, "none") != 0;
}

std::string agent_error(LIBSSH2_SESSION* session, const std::string& what) { return libssh2_error_text(session, what); }

}  // namespace

KeyFileState inspect_key_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return errno == ENOENT ? KeyFileState::kMissing : KeyFileState::kUnreadable;
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  if (text.find(kOpenSshBegin) != std::string::npos) {
    return openssh_key_encrypted(text) ? KeyFileState::kEncrypted : KeyFileState::kPlain;
  }
  // Legacy PEM ("Proc-Type: 4,ENCRYPTED") and PKCS#8 encrypted keys.
  if (text.find("ENCRYPTED") != std::string::npos) return KeyFileState::kEncrypted;
  return KeyFileState::kPlain;
}

SshAuth::SshAuth(LIBSSH2_SESSION* session, const SshTarget& target)
    : session_(session), target_(target), user_(target.user.empty() ? "root" : target.user) {}

SshAuth::~SshAuth() {
  if (agent_) {
    libssh2_agent_disconnect(agent_);
    libssh2_agent_free(agent_);
  }
}

AuthStep SshAuth::step() {
  for (;;) {
    AuthStep result = AuthStep::kPending;
    Phase before = phase_;
    switch (phase_) {
      case Phase::kList: result = step_list(); break;
      case Phase::kAgentConnect: result = step_agent_connect(); break;
      case Phase::kAgentKey: result = step_agent_key(); break;
      case Phase::kFile: result = step_file(); break;
      case Phase::kDone: return AuthStep::kDone;
      case Phase::kFailed: return AuthStep::kFailed;
    }
    // Keep going while phases advance without blocking.
    if (result != AuthStep::kPending || phase_ == before) return result;
  }
}

// Asking for the method list also tries "none", which a server may accept.
AuthStep SshAuth::step_list() {
  const char* methods = libssh2_userauth_list(session_, user_.c_str(), static_cast<unsigned>(user_.size()));
  if (!methods) {
    if (would_block(session_)) return AuthStep::kPending;
    if (libssh2_userauth_authenticated(session_)) {
      phase_ = Phase::kDone;
      return AuthStep::kDone;
    }
    error_ = make_error(ErrorCode::kUnavailable, libssh2_error_text(session_, "authentication"));
    phase_ = Phase::kFailed;
    return AuthStep::kFailed;
  }
  if (std::string_view(methods).find("publickey") == std::string_view::npos) {
    error_ = make_error(ErrorCode::kUnavailable,
                        "authentication: server does not accept public keys (offers: " + std::string(methods) + ")");
    phase_ = Phase::kFailed;
    return AuthStep::kFailed;
  }
  const char* sock = std::getenv("SSH_AUTH_SOCK");
  phase_ = sock && *sock ? Phase::kAgentConnect : Phase::kFile;
  return AuthStep::kPending;
}

// The agent is a local Unix socket; libssh2 talks to it blocking, which is
// quick. A dead agent is skipped, not fatal: key files may still work.
AuthStep SshAuth::step_agent_connect() {
  phase_ = Phase::kFile;
  agent_ = libssh2_agent_init(session_);
  if (!agent_ || libssh2_agent_connect(agent_) != 0 || libssh2_agent_list_identities(agent_) != 0) {
    tried_.push_back("ssh-agent (" + agent_error(session_, "unusable") + ")");
    return AuthStep::kPending;
  }
  identity_ = nullptr;
  if (libssh2_agent_get_identity(agent_, &identity_, nullptr) != 0) {
    tried_.push_back("ssh-agent (no keys)");
    return AuthStep::kPending;
  }
  phase_ = Phase::kAgentKey;
  return AuthStep::kPending;
}

AuthStep SshAuth::step_agent_key() {
  int rc = libssh2_agent_userauth(agent_, user_.c_str(), identity_);
  if (rc == LIBSSH2_ERROR_EAGAIN) return AuthStep::kPending;
  if (rc == 0) {
    phase_ = Phase::kDone;
    return AuthStep::kDone;
  }
  tried_.push_back(std::string("agent key ") + (identity_->comment ? identity_->comment : "?"));
  libssh2_agent_publickey* previous = identity_;
  if (libssh2_agent_get_identity(agent_, &identity_, previous) != 0) phase_ = Phase::kFile;
  return AuthStep::kPending;
}

AuthStep SshAuth::step_file() {
  while (file_index_ < target_.identity_files.size()) {
    const std::string& path = target_.identity_files[file_index_];
    KeyFileState state = inspect_key_file(path);
    if (state != KeyFileState::kPlain) {
      if (state == KeyFileState::kEncrypted) encrypted_.push_back(path);
      if (state == KeyFileState::kUnreadable) tried_.push_back(path + " (unreadable)");
      ++file_index_;
      continue;
    }
    int rc = libssh2_userauth_publickey_fromfile_ex(session_, user_.c_str(), static_cast<unsigned>(user_.size()), nullptr,
                                                    path.c_str(), "");
    if (rc == LIBSSH2_ERROR_EAGAIN) return AuthStep::kPending;
    if (rc == 0) {
      phase_ = Phase::kDone;
      return AuthStep::kDone;
    }
    tried_.push_back(rc == LIBSSH2_ERROR_FILE ? path + " (" + libssh2_error_text(session_, "cannot load") + ")" : path);
    ++file_index_;
  }
  return fail();
}

AuthStep SshAuth::fail() {
  std::string message = "authentication failed for user '" + user_ + "'";
  std::string tried;
  for (const auto& t : tried_) tried += (tried.empty() ? "" : ", ") + t;
  if (!tried.empty()) {
    message += "; tried: " + tried;
  } else if (encrypted_.empty()) {
    message += ": no usable key (no agent, no identity file found)";
  }
  for (const auto& path : encrypted_) {
    message += "; identity file " + path +
        " is encrypted (passphrase-protected) and skiff cannot prompt: add it to "
        "the agent with `ssh-add " +
        path + "`";
  }
  error_ = make_error(ErrorCode::kUnavailable, message);
  phase_ = Phase::kFailed;
  return AuthStep::kFailed;
}

}  // namespace skiff::drivers
