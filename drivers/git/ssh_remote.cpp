#include "drivers/git/ssh_remote.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

#include "base/text.hpp"

namespace skiff::drivers {

namespace {

namespace fs = std::filesystem;

// The URL itself is left to the caller's context ("--repo URL: ...").
Error bad_url(const std::string& why) {
  return make_error(ErrorCode::kInvalidArgument, "not an SSH remote libgit2 can use: " + why);
}

// Whether text starts with a bracketed IPv6 address ("[::1]"), as libgit2
// tells one from its "[user@host:port]" form: hex digits and at least two
// colons before the ']'.
bool starts_with_ipv6(std::string_view text) {
  const size_t close = text.find(']');
  if (text.empty() || text[0] != '[' || close == std::string_view::npos) return false;
  const std::string_view inside = text.substr(1, close - 1);
  return std::count(inside.begin(), inside.end(), ':') > 1 &&
      inside.find_first_not_of("0123456789abcdefABCDEF:") == std::string_view::npos;
}

// The first ':' outside brackets, which ends the host of an scp-like URL.
size_t host_end(std::string_view text) {
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') ++depth;
    if (text[i] == ']') --depth;
    if (text[i] == ':' && depth == 0) return i;
  }
  return std::string_view::npos;
}

Result<int> parse_port(std::string_view digits) {
  if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string_view::npos)
    return bad_url("the port \"" + std::string(digits) + "\" is not a number");
  const int port = std::stoi(std::string(digits));
  if (port < 1 || port > 65535) return bad_url("the port " + std::string(digits) + " is out of range");
  return port;
}

// Fills user, host and port from "[user@]host[:port]", host maybe "[v6]".
Status read_authority(std::string_view text, SshGitUrl& out) {
  const size_t at = text.rfind('@');
  if (at != std::string_view::npos) {
    out.user = std::string(text.substr(0, at));
    text.remove_prefix(at + 1);
  }
  if (out.user.find(':') != std::string::npos)
    return bad_url("a password in the URL is never used over SSH (use a key or ssh-agent)");
  size_t port_colon = text.find(':');
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return bad_url("an unclosed '['");
    if (close + 1 < text.size() && text[close + 1] != ':') return bad_url("no ':' before the port");
    out.host = std::string(text.substr(1, close - 1));
    port_colon = close + 1 < text.size() ? close + 1 : std::string_view::npos;
  } else {
    out.host = std::string(text.substr(0, port_colon));
  }
  if (out.host.empty()) return bad_url("no host");
  if (port_colon == std::string_view::npos) return Status::success();
  Result<int> port = parse_port(text.substr(port_colon + 1));
  if (!port.ok()) return port.error();
  out.port = *port;
  return Status::success();
}

// libgit2 1.5 sends the path to the server's shell in single quotes
// without escaping it: a quote would end them, a control character would
// end the line.
Status check_path(std::string_view path) {
  if (path.empty() || path == "/") return bad_url("no repository path");
  for (char c : path)
    if (c == '\'' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return bad_url("its path holds a quote or a control character, which libgit2 cannot pass to the server safely");
  return Status::success();
}

Result<SshGitUrl> parse_url_form(std::string_view rest) {
  SshGitUrl out;
  out.form = SshUrlForm::kUrl;
  const size_t slash = rest.find('/');
  Status read = read_authority(rest.substr(0, slash), out);
  if (!read.ok()) return read.error();
  if (slash != std::string_view::npos) out.path = std::string(rest.substr(slash));
  Status path = check_path(out.path);
  if (!path.ok()) return path.error();
  return out;
}

Result<SshGitUrl> parse_scp_form(std::string_view url) {
  SshGitUrl out;
  out.form = SshUrlForm::kScp;
  std::string_view authority;
  std::string_view after;
  if (!url.empty() && url[0] == '[' && !starts_with_ipv6(url)) {
    // libgit2's "[user@host:port]:path", the only scp-like form with a port.
    const size_t close = url.find(']');
    if (close == std::string_view::npos || close + 1 >= url.size() || url[close + 1] != ':')
      return bad_url("\"[host:port]\" must be followed by \":path\"");
    authority = url.substr(1, close - 1);
    after = url.substr(close + 2);
  } else {
    const size_t colon = host_end(url);
    if (colon == std::string_view::npos) return bad_url("no ':' after the host");
    authority = url.substr(0, colon);
    after = url.substr(colon + 1);
  }
  Status read = read_authority(authority, out);
  if (!read.ok()) return read.error();
  out.path = std::string(after);
  Status path = check_path(out.path);
  if (!path.ok()) return path.error();
  return out;
}

std::string host_port(const SshTarget& target) { return target.address + ":" + std::to_string(target.port); }

// "ED25519" → "ed25519", the name ssh-keyscan -t takes.
std::string keyscan_type(HostKeyType type) {
  std::string name(host_key_type_label(type));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name == "dss" ? "dsa" : name;
}

// The refusal of a key known_hosts does not hold. When it holds keys of
// other types for the host, it says so: libssh2 asks the server for its
// best key type, which need not be the one recorded.
std::string unknown_key_message(const KnownHosts& known, const SshTarget& target, const HostKey& key) {
  const std::string file = target.known_hosts_files.empty() ? "~/.ssh/known_hosts" : target.known_hosts_files.front();
  const std::string label(host_key_type_label(key.type));
  std::string message = "host key of " + host_port(target) + " is not known (" + sha256_fingerprint(key.blob) + ")";
  std::string others;
  for (HostKeyType type : known.known_types(target.address, target.port))
    others += (others.empty() ? "" : " and ") + std::string(host_key_type_label(type));
  if (!others.empty()) message += "; known_hosts holds its " + others + " key, but the server presented its " + label + " key";
  return message + ": check that " + label + " fingerprint, then add the key to " + file + " (ssh-keyscan" +
      (target.port == 22 ? "" : " -p " + std::to_string(target.port)) + " -t " + keyscan_type(key.type) + " " + target.address +
      " >> " + file + ")";
}

// libgit2 1.5 reports an ECDSA-521 key as of unknown type (it compares
// with the wrong libssh2 constant), so the type is then read from the key
// blob itself, which starts with its name as an SSH string.
HostKeyType raw_key_type(const git_cert_hostkey& cert) {
  switch (cert.raw_type) {
    case GIT_CERT_SSH_RAW_TYPE_RSA: return HostKeyType::kRsa;
    case GIT_CERT_SSH_RAW_TYPE_DSS: return HostKeyType::kDss;
    case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_256: return HostKeyType::kEcdsa256;
    case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_384: return HostKeyType::kEcdsa384;
    case GIT_CERT_SSH_RAW_TYPE_KEY_ECDSA_521: return HostKeyType::kEcdsa521;
    case GIT_CERT_SSH_RAW_TYPE_KEY_ED25519: return HostKeyType::kEd25519;
    case GIT_CERT_SSH_RAW_TYPE_UNKNOWN: break;
  }
  if (cert.hostkey_len < 4) return HostKeyType::kUnknown;
  const auto* p = reinterpret_cast<const unsigned char*>(cert.hostkey);
  const size_t len = (size_t{p[0]} << 24) | (size_t{p[1]} << 16) | (size_t{p[2]} << 8) | p[3];
  if (len > cert.hostkey_len - 4) return HostKeyType::kUnknown;
  return host_key_type_from_name(std::string_view(cert.hostkey + 4, len));
}

}  // namespace

Result<SshGitUrl> parse_ssh_git_url(std::string_view url) {
  for (std::string_view scheme : {"ssh://", "git+ssh://", "ssh+git://"})
    if (url.substr(0, scheme.size()) == scheme) return parse_url_form(url.substr(scheme.size()));
  return parse_scp_form(url);
}

Result<SshTarget> ssh_target_for_url(const SshGitUrl& url, const SshConfig& config, const SshConfigEnv& env) {
  Result<SshTarget> target = target_from_config(config, url.host, env);
  if (!target.ok()) return target.error().wrap("ssh config for \"" + url.host + "\"");
  if (target->proxy_jump)
    return make_error(ErrorCode::kUnsupported,
                      "the ssh config gives \"" + url.host + "\" a ProxyJump (" + target->proxy_jump->name +
                          "), which git over SSH cannot follow: libgit2 connects to the host directly");
  if (!url.user.empty()) target->user = url.user;
  if (url.port) target->port = *url.port;
  return target;
}

std::string libgit2_ssh_url(const SshGitUrl& url, const SshTarget& target) {
  const std::string port = std::to_string(target.port);
  const bool ipv6 = target.address.find(':') != std::string::npos;
  if (url.form == SshUrlForm::kScp && !ipv6) {
    if (target.port == 22) return target.user + "@" + target.address + ":" + url.path;
    return "[" + target.user + "@" + target.address + ":" + port + "]:" + url.path;
  }
  // An scp-like path relative to the home becomes "/~/path": libgit2 drops
  // the leading '/' and git-upload-pack expands the '~'.
  std::string path = url.path;
  if (path.front() != '/') path = (path.front() == '~' ? "/" : "/~/") + path;
  return "ssh://" + target.user + "@" + (ipv6 ? "[" + target.address + "]" : target.address) + ":" + port + path;
}

Status check_ssh_host_key(const KnownHosts& known, const SshTarget& target, const HostKey& key) {
  const HostKeyCheck check = known.check(target.address, target.port, key);
  switch (check.status) {
    case HostKeyStatus::kMatch: return Status::success();
    case HostKeyStatus::kChanged:
      return make_error(ErrorCode::kUnavailable, changed_host_message(target.address, target.port, key, *check.entry));
    case HostKeyStatus::kRevoked:
      return make_error(ErrorCode::kUnavailable,
                        "host key of " + host_port(target) + " (" + sha256_fingerprint(key.blob) + ") is marked as revoked in " +
                            check.entry->file + ":" + std::to_string(check.entry->line));
    case HostKeyStatus::kUnknown: break;
  }
  return make_error(ErrorCode::kUnavailable, unknown_key_message(known, target, key));
}

Result<RemoteAccess> RemoteAccess::open(const GitSourceOptions& options) {
  RemoteAccess access;
  access.url_ = options.url;
  if (options.url.rfind("https://", 0) == 0) {
    access.kind_ = Kind::kHttps;
    access.https_token_ = options.https_token;
    return access;
  }
  if (!is_ssh_git_url(options.url)) return access;
  Result<SshGitUrl> url = parse_ssh_git_url(options.url);
  if (!url.ok()) return url.error();
  SshConfigEnv env = current_ssh_config_env();
  if (!options.home_dir.empty()) env.home = options.home_dir;
  const std::string config_file = options.ssh_config_file.empty() ? env.home + "/.ssh/config" : options.ssh_config_file;
  Result<SshConfig> config = SshConfig::load(config_file, env);
  if (!config.ok()) return config.error();
  Result<SshTarget> target = ssh_target_for_url(*url, *config, env);
  if (!target.ok()) return target.error();
  access.kind_ = Kind::kSsh;
  access.target_ = std::move(*target);
  access.url_ = libgit2_ssh_url(*url, access.target_);
  // The agent first, as ssh and the transport do; key files that are not
  // there are passed over, as ssh passes over its default ones.
  const char* agent = std::getenv("SSH_AUTH_SOCK");
  if (agent && *agent) access.keys_.push_back({KeySource::kAgent, "", ""});
  std::error_code ec;
  for (const std::string& file : access.target_.identity_files) {
    if (!fs::is_regular_file(file, ec)) continue;
    access.keys_.push_back({KeySource::kFile, file, fs::is_regular_file(file + ".pub", ec) ? file + ".pub" : ""});
  }
  return access;
}

void RemoteAccess::install(git_remote_callbacks& callbacks, git_remote_redirect_t& follow_redirects) {
  if (kind_ == Kind::kLocal) return;
  callbacks.credentials = &RemoteAccess::on_credentials;
  callbacks.payload = this;
  // Only an SSH key is checked here; an https certificate stays libgit2's
  // to check against the system's CAs.
  if (kind_ == Kind::kSsh) callbacks.certificate_check = &RemoteAccess::on_certificate;
  if (kind_ == Kind::kHttps && !https_token_.empty()) follow_redirects = GIT_REMOTE_REDIRECT_NONE;
}

Error RemoteAccess::failure(const std::string& what) const {
  if (refusal_) return refusal_->wrap(what);
  const git_error* e = git_error_last();
  std::string message = e && e->message ? base::terminal_safe(e->message) : std::string("unknown libgit2 error");
  // A key file libssh2 cannot load (encrypted, with no .pub beside it)
  // ends libgit2's authentication at once, with a message naming no file.
  if (kind_ == Kind::kSsh && e && e->klass == GIT_ERROR_SSH && message.find("authenticate") != std::string::npos &&
      next_key_ > 0 && keys_[next_key_ - 1].source == KeySource::kFile)
    message += " (" + login() + ", identity file " + keys_[next_key_ - 1].private_key + ")";
  return make_error(ErrorCode::kUnavailable, what + ": " + message);
}

int RemoteAccess::on_credentials(git_credential** out, const char* /*url*/, const char* user_from_url, unsigned int allowed_types,
                                 void* payload) {
  RemoteAccess& self = *static_cast<RemoteAccess*>(payload);
  return self.kind_ == Kind::kSsh ? self.ssh_credential(out, user_from_url, allowed_types)
                                  : self.https_credential(out, user_from_url, allowed_types);
}

int RemoteAccess::on_certificate(git_cert* cert, int /*valid*/, const char* /*host*/, void* payload) {
  RemoteAccess& self = *static_cast<RemoteAccess*>(payload);
  if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2) return GIT_PASSTHROUGH;
  // libgit2's own verdict (`valid`) is libssh2's reading of
  // $HOME/.ssh/known_hosts alone (no other file, no wildcards, no
  // @revoked): the check here decides alone.
  Status checked = self.check_host_key(*reinterpret_cast<const git_cert_hostkey*>(cert));
  return checked.ok() ? 0 : self.refuse(checked.error(), GIT_ECERTIFICATE);
}

// libgit2 asks again after every key the server refused, so each call
// offers the next candidate, and once none is left the fetch fails.
int RemoteAccess::ssh_credential(git_credential** out, const char* user_from_url, unsigned int allowed_types) {
  const std::string user = user_from_url && *user_from_url ? user_from_url : target_.user;
  if (allowed_types & GIT_CREDENTIAL_USERNAME) return git_credential_username_new(out, user.c_str());
  if (!(allowed_types & GIT_CREDENTIAL_SSH_KEY))
    return refuse(make_error(ErrorCode::kUnavailable, login() + ": the server takes no public key"), GIT_EAUTH);
  if (next_key_ == keys_.size()) return refuse(keys_exhausted(), GIT_EAUTH);
  const KeyCandidate& key = keys_[next_key_++];
  if (key.source == KeySource::kAgent) return git_credential_ssh_key_from_agent(out, user.c_str());
  // An empty passphrase rather than none: libssh2 1.10 would take strlen()
  // of a null one.
  return git_credential_ssh_key_new(out, user.c_str(), key.public_key.empty() ? nullptr : key.public_key.c_str(),
                                    key.private_key.c_str(), "");
}

// The token is offered once: a second call means the server refused it.
int RemoteAccess::https_credential(git_credential** out, const char* user_from_url, unsigned int allowed_types) {
  if (https_token_.empty())
    return refuse(make_error(ErrorCode::kUnavailable, "the server asks for credentials, and no access token was given"),
                  GIT_EAUTH);
  if (!(allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT))
    return refuse(make_error(ErrorCode::kUnavailable, "the server asks for credentials other than a user and password"),
                  GIT_EAUTH);
  if (token_offered_)
    return refuse(make_error(ErrorCode::kUnavailable,
                             "the server refused the access token (is it expired, or without "
                             "read access to the repository?)"),
                  GIT_EAUTH);
  token_offered_ = true;
  const std::string user = user_from_url && *user_from_url ? user_from_url : std::string(kTokenUser);
  return git_credential_userpass_plaintext_new(out, user.c_str(), https_token_.c_str());
}

Status RemoteAccess::check_host_key(const git_cert_hostkey& cert) const {
  if (!(cert.type & GIT_CERT_SSH_RAW) || cert.hostkey == nullptr || cert.hostkey_len == 0)
    return make_error(ErrorCode::kUnavailable,
                      "host key of " + host_port(target_) + ": libgit2 gave no raw key to check against known_hosts");
  const HostKey key{raw_key_type(cert), std::string(cert.hostkey, cert.hostkey_len)};
  Result<KnownHosts> known = load_known_hosts(target_.known_hosts_files);
  if (!known.ok()) return known.error();
  return check_ssh_host_key(*known, target_, key);
}

Error RemoteAccess::keys_exhausted() const {
  std::string tried;
  for (const KeyCandidate& key : keys_)
    tried += (tried.empty() ? "" : ", ") + (key.source == KeySource::kAgent ? std::string("ssh-agent") : key.private_key);
  if (!tried.empty())
    return make_error(ErrorCode::kUnavailable, login() + ": the server accepted none of the keys offered (" + tried + ")");
  std::string files;
  for (const std::string& file : target_.identity_files) files += (files.empty() ? "" : ", ") + file;
  return make_error(
      ErrorCode::kUnavailable,
      login() + ": no key to offer: $SSH_AUTH_SOCK names no ssh-agent and none of the identity files exists (" + files + ")");
}

// Stores the refusal for failure() and gives libgit2 its text too, so that
// its own message (should it be read) says the same.
int RemoteAccess::refuse(Error error, int code) {
  git_error_set_str(kind_ == Kind::kSsh ? GIT_ERROR_SSH : GIT_ERROR_HTTP, error.message.c_str());
  refusal_ = std::move(error);
  return code;
}

std::string RemoteAccess::login() const { return "ssh " + target_.user + "@" + host_port(target_); }

}  // namespace skiff::drivers
