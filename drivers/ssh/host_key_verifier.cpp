#include "drivers/ssh/host_key_verifier.hpp"

#include <sys/stat.h>

#include <algorithm>

namespace skiff::drivers {

namespace {

// Every host-key type libssh2 1.10 can verify, best first. RSA keys signed
// with SHA-2 (rsa-sha2-256/512) arrived only in libssh2 1.11, so an OpenSSH
// server whose only host key is RSA cannot be reached by this build.
constexpr HostKeyType kSupportedTypes[] = {HostKeyType::kEd25519, HostKeyType::kEcdsa256, HostKeyType::kEcdsa384,
                                           HostKeyType::kEcdsa521, HostKeyType::kRsa};

// What the files are now, by inode, size and modification time ("-" for a
// missing one): a change means they must be read again.
std::string files_signature(const std::vector<std::string>& files) {
  std::string signature;
  for (const std::string& file : files) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
      signature += "-;";
      continue;
    }
    signature += std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
        std::to_string(st.st_mtim.tv_nsec) + ";";
  }
  return signature;
}

}  // namespace

Result<KnownHosts*> HostKeyVerifier::known_for(const SshTarget& target) {
  std::string signature = files_signature(target.known_hosts_files);
  auto it = cache_.find(target.known_hosts_files);
  if (it != cache_.end() && it->second.signature == signature) return &it->second.known;
  auto loaded = load_known_hosts(target.known_hosts_files);
  if (!loaded.ok()) return loaded.error();
  Cached& cached = cache_[target.known_hosts_files];
  cached = Cached{std::move(*loaded), signature};
  return &cached.known;
}

std::string HostKeyVerifier::preferred_methods(const SshTarget& target) {
  std::vector<HostKeyType> order;
  if (auto known = known_for(target); known.ok()) {
    for (HostKeyType t : (*known)->known_types(target.address, target.port)) {
      if (std::find(std::begin(kSupportedTypes), std::end(kSupportedTypes), t) != std::end(kSupportedTypes)) {
        order.push_back(t);
      }
    }
  }
  for (HostKeyType t : kSupportedTypes) {
    if (std::find(order.begin(), order.end(), t) == order.end()) order.push_back(t);
  }
  std::string methods;
  for (HostKeyType t : order) methods += (methods.empty() ? "" : ",") + std::string(host_key_type_name(t));
  return methods;
}

Status HostKeyVerifier::verify(const SshTarget& target, const HostKey& key) {
  auto known = known_for(target);
  if (!known.ok()) return known.error();
  HostKeyCheck check = (*known)->check(target.address, target.port, key);
  switch (check.status) {
    case HostKeyStatus::kMatch: return Status::success();
    case HostKeyStatus::kRevoked:
      return make_error(ErrorCode::kUnavailable,
                        "host key verification failed: the " + std::string(host_key_type_label(key.type)) + " key " +
                            sha256_fingerprint(key.blob) + " is marked as revoked in " + check.entry->file + ":" +
                            std::to_string(check.entry->line));
    case HostKeyStatus::kChanged:
      // Refused under every policy: a changed key is never silently trusted.
      return make_error(ErrorCode::kUnavailable, changed_host_message(target.address, target.port, key, *check.entry));
    case HostKeyStatus::kUnknown: break;
  }
  if (target.strict == StrictHostKeys::kNo) return Status::success();
  if (target.strict == StrictHostKeys::kYes || target.known_hosts_files.empty()) {
    return make_error(ErrorCode::kUnavailable, unknown_host_message(target.address, target.port, key));
  }
  std::string line = known_hosts_line(target.address, target.port, key);
  Status appended = append_known_host(target.known_hosts_files.front(), line);
  if (!appended.ok()) return appended.error().wrap("accept-new");
  // Reloaded on next use, so later messages name the new line correctly.
  cache_.erase(target.known_hosts_files);
  return Status::success();
}

}  // namespace skiff::drivers
