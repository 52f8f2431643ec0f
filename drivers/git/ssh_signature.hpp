// Verifies a commit's SSH signature against an OpenSSH allowed-signers file
// the way `git verify-commit` does with gpg.format=ssh: ssh-keygen
// -Y find-principals learns which principals of the file allow the
// signature's key, then -Y verify checks the signature over the signed data
// for one of them in the "git" namespace. Like git, a key's valid-after and
// valid-before are checked against the commit's committer time
// (-Overify-time), not the clock.
//
// ssh-keygen runs as a child process (argv, never a shell) with a 10 s
// limit per run; the signature goes to a temporary file below $TMPDIR,
// removed on every path. A signature whose key no principal allows is
// refused even when it is sound (git's check-novalidate "Good" is not good
// here).
//
// Thread-safe: no state is shared between calls.
#pragma once

#include <string>

#include "base/result.hpp"
#include "drivers/git_source.hpp"

namespace skiff::drivers {

struct SignatureVerdict {
  bool good = false;
  // The allowed-signers principal that verified ("ada@example.com"); empty
  // unless good.
  std::string principal;
  // The signing key as "SHA256:...", when ssh-keygen named it.
  std::string key_fingerprint;
  // Why the commit is refused, in one line ("unsigned", "no principal in
  // FILE allows key SHA256:...", "signature does not verify: ..."); empty
  // when good.
  std::string reason;
};

// The verdict on `signature`. A refusal is a verdict, not an error; errors
// are for what stops any verdict: the allowed-signers file unreadable,
// ssh-keygen missing (install openssh-client) or too old, a run timed out.
// REQUIRES: allowed_signers_file names an OpenSSH allowed-signers file.
Result<SignatureVerdict> verify_ssh_signature(const CommitSignature& signature, const std::string& allowed_signers_file);

}  // namespace skiff::drivers
