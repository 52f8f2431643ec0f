#include "drivers/ssh/openssh/known_hosts.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "drivers/ssh/openssh/base64.hpp"
#include "drivers/ssh/openssh/host_pattern.hpp"

namespace skiff::drivers {

namespace {

struct KeyTypeInfo {
  HostKeyType type;
  std::string_view name;
  std::string_view label;
};

constexpr KeyTypeInfo kKeyTypes[] = {
    {HostKeyType::kEd25519, "ssh-ed25519", "ED25519"},
    {HostKeyType::kEcdsa256, "ecdsa-sha2-nistp256", "ECDSA"},
    {HostKeyType::kEcdsa384, "ecdsa-sha2-nistp384", "ECDSA"},
    {HostKeyType::kEcdsa521, "ecdsa-sha2-nistp521", "ECDSA"},
    {HostKeyType::kRsa, "ssh-rsa", "RSA"},
    {HostKeyType::kDss, "ssh-dss", "DSA"},
};

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

// "|1|salt|hash": HMAC-SHA1 keyed with the salt over the lowercased name.
bool hashed_matches(std::string_view field, const std::string& name) {
  field.remove_prefix(3);
  size_t bar = field.find('|');
  if (bar == std::string_view::npos) return false;
  auto salt = base64_decode(field.substr(0, bar));
  auto hash = base64_decode(field.substr(bar + 1));
  if (!salt || !hash) return false;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), salt->data(), static_cast<int>(salt->size()), reinterpret_cast<const unsigned char*>(name.data()), name.size(),
       mac, &mac_len);
  return hash->size() == mac_len && std::memcmp(hash->data(), mac, mac_len) == 0;
}

// One line into an entry; false for lines to skip.
bool parse_line(std::string_view line, KnownHostEntry& entry) {
  auto fields = split_fields(line);
  if (fields.empty() || fields[0][0] == '#') return false;
  size_t i = 0;
  if (fields[0][0] == '@') {
    // @cert-authority is skipped on purpose: see the header.
    if (fields[0] != "@revoked") return false;
    entry.marker = Marker::kRevoked;
    i = 1;
  }
  if (fields.size() < i + 3) return false;
  entry.hosts = std::string(fields[i]);
  entry.key.type = host_key_type_from_name(fields[i + 1]);
  auto blob = base64_decode(fields[i + 2]);
  if (entry.key.type == HostKeyType::kUnknown || !blob) return false;
  entry.key.blob = std::move(*blob);
  return true;
}

}  // namespace

HostKeyType host_key_type_from_name(std::string_view name) {
  for (const auto& info : kKeyTypes) {
    if (info.name == name) return info.type;
  }
  return HostKeyType::kUnknown;
}

std::string_view host_key_type_name(HostKeyType type) {
  for (const auto& info : kKeyTypes) {
    if (info.type == type) return info.name;
  }
  return "unknown";
}

std::string_view host_key_type_label(HostKeyType type) {
  for (const auto& info : kKeyTypes) {
    if (info.type == type) return info.label;
  }
  return "UNKNOWN";
}

std::string known_host_name(std::string_view host, int port) {
  std::string name = lowercase(host);
  if (port == 22) return name;
  return "[" + name + "]:" + std::to_string(port);
}

bool entry_matches(const KnownHostEntry& entry, std::string_view host, int port) {
  std::string name = known_host_name(host, port);
  if (entry.hosts.rfind("|1|", 0) == 0) return hashed_matches(entry.hosts, name);
  return match_pattern_list(name, split_commas(entry.hosts)) == PatternMatch::kMatch;
}

void KnownHosts::add_text(std::string_view text, const std::string& file) {
  int line_no = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_no;
    KnownHostEntry entry{file, line_no, Marker::kNone, {}, {}};
    if (parse_line(line, entry)) entries_.push_back(std::move(entry));
    start = end + 1;
  }
}

HostKeyCheck KnownHosts::check(std::string_view host, int port, const HostKey& key) const {
  HostKeyCheck result;
  for (const auto& entry : entries_) {
    if (entry.key.type != key.type || !entry_matches(entry, host, port)) continue;
    bool same = entry.key.blob == key.blob;
    if (entry.marker == Marker::kRevoked) {
      if (same) return HostKeyCheck{HostKeyStatus::kRevoked, &entry};
      continue;
    }
    if (same && result.status != HostKeyStatus::kMatch) {
      result = HostKeyCheck{HostKeyStatus::kMatch, &entry};
    } else if (!same && result.status == HostKeyStatus::kUnknown) {
      result = HostKeyCheck{HostKeyStatus::kChanged, &entry};
    }
  }
  return result;
}

std::vector<HostKeyType> KnownHosts::known_types(std::string_view host, int port) const {
  std::vector<HostKeyType> types;
  for (const auto& entry : entries_) {
    if (entry.marker == Marker::kRevoked || !entry_matches(entry, host, port)) continue;
    if (std::find(types.begin(), types.end(), entry.key.type) == types.end()) types.push_back(entry.key.type);
  }
  return types;
}

std::string sha256_fingerprint(std::string_view blob) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(blob.data(), blob.size(), digest, &len, EVP_sha256(), nullptr);
  return "SHA256:" + base64_encode(std::string_view(reinterpret_cast<char*>(digest), len), Padding::kNoPad);
}

std::string known_hosts_line(std::string_view host, int port, const HostKey& key) {
  return known_host_name(host, port) + " " + std::string(host_key_type_name(key.type)) + " " + base64_encode(key.blob);
}

std::string unknown_host_message(std::string_view host, int port, const HostKey& key) {
  return "host key verification failed: no " + std::string(host_key_type_label(key.type)) + " key for " +
      known_host_name(host, port) + " is known; the host presents " + std::string(host_key_type_label(key.type)) +
      " key fingerprint " + sha256_fingerprint(key.blob) +
      " (add it to known_hosts after checking it, or use strict host key checking 'accept-new')";
}

std::string changed_host_message(std::string_view host, int port, const HostKey& key, const KnownHostEntry& old) {
  std::string label(host_key_type_label(key.type));
  return "WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED for " + known_host_name(host, port) +
      "! Someone could be eavesdropping on you right now (man-in-the-middle attack), or the host key has "
      "just been changed. The fingerprint for the " +
      label + " key sent by the remote host is " + sha256_fingerprint(key.blob) + ". Offending " + label + " key in " + old.file +
      ":" + std::to_string(old.line) + ". Host key verification failed.";
}

Result<KnownHosts> load_known_hosts(const std::vector<std::string>& files) {
  KnownHosts known;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      if (errno == ENOENT) continue;
      return make_error(ErrorCode::kIo, "read " + file + ": " + std::strerror(errno));
    }
    std::stringstream text;
    text << in.rdbuf();
    known.add_text(text.str(), file);
  }
  return known;
}

Status append_known_host(const std::string& file, const std::string& line) {
  std::error_code ec;
  auto dir = std::filesystem::path(file).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  int fd = ::open(file.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(ErrorCode::kIo, "open " + file + ": " + std::strerror(errno));
  // One write with O_APPEND: concurrent skiff runs never interleave a line.
  // A file whose last line lacks its newline gets one first, or the new
  // entry would be glued onto the old one.
  std::string text = line + "\n";
  off_t size = ::lseek(fd, 0, SEEK_END);
  char last = '\n';
  if (size > 0 && ::pread(fd, &last, 1, size - 1) == 1 && last != '\n') text.insert(0, "\n");
  ssize_t n = ::write(fd, text.data(), text.size());
  int saved = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size())) {
    return make_error(ErrorCode::kIo, "append to " + file + ": " + std::strerror(saved));
  }
  return Status::success();
}

}  // namespace skiff::drivers
