// known_hosts: parsing and matching OpenSSH known_hosts files, done here
// rather than with libssh2_knownhost because libssh2 matches host names
// exactly (no wildcards or negation), treats a different-type entry for the
// same host as a mismatch, and cannot name the file and line of an old key.
//
// Supported, as OpenSSH reads them: plain host lists ("a,b,[c]:2222"), `*`,
// `?` and `!` patterns, hashed entries ("|1|salt|hmac"), comments and blank
// lines. Markers: `@revoked` lines are honoured (a revoked key is refused
// even if another line lists it); `@cert-authority` lines are skipped on
// purpose, since libssh2 cannot verify host certificates, so a host known
// only through a CA is treated as unknown. Lines skiff cannot read are
// ignored, like OpenSSH does.
//
// Everything here is pure except load_known_hosts() and append_known_host().
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace skiff::drivers {

enum class HostKeyType { kUnknown, kRsa, kDss, kEcdsa256, kEcdsa384, kEcdsa521, kEd25519 };

// "ssh-ed25519" → kEd25519, ...; kUnknown for anything else.
HostKeyType host_key_type_from_name(std::string_view name);
// kEd25519 → "ssh-ed25519"; the SSH wire name, also the libssh2 method name.
std::string_view host_key_type_name(HostKeyType type);
// kEd25519 → "ED25519", as OpenSSH names key types in messages.
std::string_view host_key_type_label(HostKeyType type);

struct HostKey {
  HostKeyType type = HostKeyType::kUnknown;
  std::string blob;  // the raw public key blob as sent by the server
};

enum class Marker { kNone, kRevoked };

struct KnownHostEntry {
  std::string file;
  int line = 0;
  Marker marker = Marker::kNone;
  std::string hosts;  // the host field as written: a pattern list or |1|salt|hash
  HostKey key;
};

// The name a host is recorded under: "host" on port 22, else "[host]:port".
std::string known_host_name(std::string_view host, int port);

// Whether an entry's host field names `host`:`port` (hashed or not).
bool entry_matches(const KnownHostEntry& entry, std::string_view host, int port);

enum class HostKeyStatus { kMatch, kUnknown, kChanged, kRevoked };

struct HostKeyCheck {
  HostKeyStatus status = HostKeyStatus::kUnknown;
  const KnownHostEntry* entry = nullptr;  // the matching or offending entry
};

class KnownHosts {
 public:
  // Parses one file's text; `file` is used in messages.
  void add_text(std::string_view text, const std::string& file);
  const std::vector<KnownHostEntry>& entries() const { return entries_; }

  // Checks `key` for host:port. Only entries of the same key type can match
  // or conflict: an ED25519 entry says nothing about an ECDSA key.
  HostKeyCheck check(std::string_view host, int port, const HostKey& key) const;

  // The key types recorded for host:port, in file order without repeats:
  // what the client should ask the server to present.
  std::vector<HostKeyType> known_types(std::string_view host, int port) const;

 private:
  std::vector<KnownHostEntry> entries_;
};

// "SHA256:" + unpadded base64 of SHA-256(blob), as `ssh-keygen -l` prints.
std::string sha256_fingerprint(std::string_view blob);

// The plain line accept-new appends: "[host]:port ssh-ed25519 AAAA...".
std::string known_hosts_line(std::string_view host, int port, const HostKey& key);

// The refusal messages, in OpenSSH's words where it has them.
std::string unknown_host_message(std::string_view host, int port, const HostKey& key);
std::string changed_host_message(std::string_view host, int port, const HostKey& key, const KnownHostEntry& old);

// Reads every file that exists (a missing file is no error, as in OpenSSH).
Result<KnownHosts> load_known_hosts(const std::vector<std::string>& files);

// Appends `line` to `file`, creating it (0600) and its directory if needed.
Status append_known_host(const std::string& file, const std::string& line);

}  // namespace skiff::drivers
