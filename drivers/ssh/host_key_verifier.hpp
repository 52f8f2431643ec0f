// HostKeyVerifier: applies the strict / accept-new / no policy to the key a
// server presented, against the target's known_hosts files.
//
// Files are cached per verifier (a pool keeps one for its whole life, and an
// SSH keeper's pool may live for hours) and read again when one of them
// changed (inode, size or mtime), so a key removed from known_hosts is no
// longer trusted for new connections. Keys added by accept-new go to the
// first file, so a second connection in the same run sees them.
//
// Thread safety: none; the pool's poll loop is its only user.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "drivers/ssh/openssh/known_hosts.hpp"
#include "drivers/ssh/ssh_target.hpp"

namespace skiff::drivers {

class HostKeyVerifier {
 public:
  // The host-key algorithms to offer, best first: the types known_hosts holds
  // for this host, then the others libssh2 supports. Offering known types
  // first makes the server present a key we can check instead of a
  // different type that would look unknown.
  std::string preferred_methods(const SshTarget& target);

  // Ok when the key may be trusted; otherwise the refusal, with the
  // fingerprint (unknown) or the file:line of the old key (changed).
  Status verify(const SshTarget& target, const HostKey& key);

 private:
  Result<KnownHosts*> known_for(const SshTarget& target);
  struct Cached {
    KnownHosts known;
    std::string signature;  // of the files when read
  };
  std::map<std::vector<std::string>, Cached> cache_;
};

}  // namespace skiff::drivers
