#include "drivers/ssh/openssh/ssh_config.hpp"

#include <glob.h>
#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "drivers/ssh/openssh/host_pattern.hpp"

namespace skiff::drivers {

namespace {

constexpr int kMaxIncludeDepth = 16;

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Splits a config line into words: whitespace separates, double quotes
// group, and the first word may end in '=' or be joined to its value by it.
std::vector<std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false, quoted = false;
  for (char c : line) {
    bool space = c == ' ' || c == '\t' || (c == '=' && words.empty() && !quoted);
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (space && !quoted) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::string expand_tilde(const std::string& path, const SshConfigEnv& env) {
  if (path == "~" || path.rfind("~/", 0) == 0) return env.home + path.substr(1);
  return path;
}

Result<int> parse_int(const std::string& text, const std::string& what) {
  char* end = nullptr;
  long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < 0 || v > 65535) {
    return make_error(ErrorCode::kInvalidArgument, "ssh config: bad " + what + " '" + text + "'");
  }
  return static_cast<int>(v);
}

// Expands %h %p %r %u %d %% and a leading ~ in a path-like value.
std::string expand_tokens(const std::string& value, const SshTarget& t, const SshConfigEnv& env) {
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%' || i + 1 == value.size()) {
      out.push_back(value[i]);
      continue;
    }
    char token = value[++i];
    switch (token) {
      case 'h': out += t.address; break;
      case 'p': out += std::to_string(t.port); break;
      case 'r': out += t.user; break;
      case 'u': out += env.local_user; break;
      case 'd': out += env.home; break;
      case '%': out.push_back('%'); break;
      default: out.push_back('%'), out.push_back(token);
    }
  }
  return expand_tilde(out, env);
}

Result<StrictHostKeys> parse_strict(const std::string& value) {
  std::string v = lowercase(value);
  if (v == "yes" || v == "ask" || v == "true") return StrictHostKeys::kYes;
  if (v == "accept-new") return StrictHostKeys::kAcceptNew;
  if (v == "no" || v == "off" || v == "false") return StrictHostKeys::kNo;
  return make_error(ErrorCode::kInvalidArgument, "ssh config: bad StrictHostKeyChecking '" + value + "'");
}

}  // namespace

SshConfigEnv current_ssh_config_env() {
  SshConfigEnv env;
  const passwd* pw = ::getpwuid(::getuid());
  const char* home = std::getenv("HOME");
  env.home = home && *home ? home : (pw ? pw->pw_dir : "/");
  env.local_user = pw ? pw->pw_name : "root";
  return env;
}

Status SshConfig::parse_into(std::string_view text, const std::string& file, const SshConfigEnv& env, int depth) {
  std::istringstream in{std::string(text)};
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    auto words = split_words(line);
    if (words.empty() || words[0][0] == '#') continue;
    std::string keyword = lowercase(words[0]);
    std::vector<std::string> args(words.begin() + 1, words.end());
    std::string where = file + ":" + std::to_string(line_no);
    if (keyword == "host" || keyword == "match") {
      if (args.empty()) return make_error(ErrorCode::kInvalidArgument, where + ": " + words[0] + " needs patterns");
      blocks_.push_back(SshConfigBlock{keyword == "host" ? args : std::vector<std::string>{}, keyword == "match", {}});
      continue;
    }
    if (keyword == "include") {
      if (depth >= kMaxIncludeDepth) return make_error(ErrorCode::kInvalidArgument, where + ": Include nested too deep");
      for (const auto& pattern : args) {
        std::string path = expand_tilde(pattern, env);
        if (path.empty() || path[0] != '/') path = env.home + "/.ssh/" + path;
        glob_t g{};
        if (::glob(path.c_str(), 0, nullptr, &g) == 0) {
          for (size_t i = 0; i < g.gl_pathc; ++i) {
            std::ifstream f(g.gl_pathv[i]);
            std::stringstream body;
            body << f.rdbuf();
            Status s = parse_into(body.str(), g.gl_pathv[i], env, depth + 1);
            if (!s.ok()) {
              ::globfree(&g);
              return s;
            }
          }
        }
        ::globfree(&g);
      }
      continue;
    }
    if (blocks_.empty()) blocks_.push_back(SshConfigBlock{});
    blocks_.back().options.push_back(SshConfigOption{keyword, std::move(args)});
  }
  return Status::success();
}

Result<SshConfig> SshConfig::parse(std::string_view text, const std::string& file, const SshConfigEnv& env) {
  SshConfig config;
  Status s = config.parse_into(text, file, env, 0);
  if (!s.ok()) return s.error();
  return config;
}

Result<SshConfig> SshConfig::load(const std::string& path, const SshConfigEnv& env) {
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return SshConfig{};
    return make_error(ErrorCode::kIo, "read " + path + ": " + std::strerror(errno));
  }
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path, env);
}

namespace {

bool block_applies(const SshConfigBlock& block, std::string_view host) {
  if (block.is_match) return false;
  if (block.patterns.empty()) return true;
  std::vector<std::string_view> patterns(block.patterns.begin(), block.patterns.end());
  return match_pattern_list(host, patterns) == PatternMatch::kMatch;
}

// First value wins for single-valued keywords, as in OpenSSH.
void apply_option(const SshConfigOption& opt, SshHostOptions& out) {
  if (opt.args.empty()) return;
  const std::string& v = opt.args[0];
  auto set_once = [](auto& field, auto value) {
    if (!field) field = std::move(value);
  };
  if (opt.keyword == "hostname") set_once(out.hostname, v);
  if (opt.keyword == "user") set_once(out.user, v);
  if (opt.keyword == "proxyjump") set_once(out.proxy_jump, v);
  if (opt.keyword == "stricthostkeychecking") set_once(out.strict_host_key_checking, v);
  if (opt.keyword == "port") {
    auto port = parse_int(v, "Port");
    if (port.ok()) set_once(out.port, *port);
  }
  if (opt.keyword == "connecttimeout") {
    auto secs = parse_int(v, "ConnectTimeout");
    if (secs.ok()) set_once(out.connect_timeout_seconds, *secs);
  }
  if (opt.keyword == "serveraliveinterval") {
    auto secs = parse_int(v, "ServerAliveInterval");
    if (secs.ok()) set_once(out.server_alive_interval_seconds, *secs);
  }
  // IdentityFile accumulates over every matching block.
  if (opt.keyword == "identityfile") out.identity_files.push_back(v);
  // UserKnownHostsFile takes several files on one line; the first line wins.
  if (opt.keyword == "userknownhostsfile" && out.known_hosts_files.empty()) out.known_hosts_files = opt.args;
}

}  // namespace

SshHostOptions SshConfig::lookup(std::string_view host) const {
  SshHostOptions out;
  for (const auto& block : blocks_) {
    if (!block_applies(block, host)) continue;
    for (const auto& opt : block.options) apply_option(opt, out);
  }
  return out;
}

Result<JumpSpec> parse_jump_spec(std::string_view spec) {
  JumpSpec jump;
  if (spec.find(',') != std::string_view::npos) {
    return make_error(ErrorCode::kUnsupported, "ProxyJump '" + std::string(spec) + "': only one hop is supported");
  }
  if (spec.rfind("ssh://", 0) == 0) spec.remove_prefix(6);
  size_t at = spec.rfind('@');
  if (at != std::string_view::npos) {
    jump.user = std::string(spec.substr(0, at));
    spec.remove_prefix(at + 1);
  }
  size_t colon = spec.rfind(':');
  // "[v6addr]:port" or "host:port"; a bare IPv6 address has several colons.
  if (!spec.empty() && spec[0] == '[') {
    size_t close = spec.find(']');
    if (close == std::string_view::npos) return make_error(ErrorCode::kInvalidArgument, "ProxyJump: unclosed '['");
    if (close + 1 < spec.size() && spec[close + 1] == ':') {
      auto port = parse_int(std::string(spec.substr(close + 2)), "ProxyJump port");
      if (!port.ok()) return port.error();
      jump.port = *port;
    }
    jump.host = std::string(spec.substr(1, close - 1));
  } else if (colon != std::string_view::npos && spec.find(':') == colon) {
    auto port = parse_int(std::string(spec.substr(colon + 1)), "ProxyJump port");
    if (!port.ok()) return port.error();
    jump.port = *port;
    jump.host = std::string(spec.substr(0, colon));
  } else {
    jump.host = std::string(spec);
  }
  if (jump.host.empty()) return make_error(ErrorCode::kInvalidArgument, "ProxyJump: empty host");
  return jump;
}

namespace {

Result<SshTarget> build_target(const SshConfig& config, std::string_view host, const SshConfigEnv& env, const JumpSpec* as_jump) {
  SshHostOptions o = config.lookup(host);
  SshTarget t;
  t.name = std::string(host);
  t.address = o.hostname ? *o.hostname : std::string(host);
  // A jump spec's explicit user and port beat the config, as in OpenSSH.
  t.port = as_jump && as_jump->port ? *as_jump->port : o.port.value_or(22);
  t.user = as_jump && !as_jump->user.empty() ? as_jump->user : o.user.value_or(env.local_user);
  // %h in HostName means the name given.
  if (t.address.find('%') != std::string::npos) {
    SshTarget given = t;
    given.address = std::string(host);
    t.address = expand_tokens(t.address, given, env);
  }
  if (o.identity_files.empty()) o.identity_files = {"~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ed25519"};
  for (const auto& f : o.identity_files) t.identity_files.push_back(expand_tokens(f, t, env));
  if (o.known_hosts_files.empty()) o.known_hosts_files = {"~/.ssh/known_hosts", "~/.ssh/known_hosts2"};
  for (const auto& f : o.known_hosts_files) t.known_hosts_files.push_back(expand_tokens(f, t, env));
  if (o.strict_host_key_checking) {
    auto strict = parse_strict(*o.strict_host_key_checking);
    if (!strict.ok()) return strict.error();
    t.strict = *strict;
  }
  if (o.connect_timeout_seconds) t.connect_timeout = std::chrono::seconds(*o.connect_timeout_seconds);
  if (o.server_alive_interval_seconds) t.keepalive_interval = std::chrono::seconds(*o.server_alive_interval_seconds);
  if (o.proxy_jump && lowercase(*o.proxy_jump) != "none") {
    if (as_jump) {
      return make_error(ErrorCode::kUnsupported,
                        "ProxyJump: bastion '" + std::string(host) + "' has its own ProxyJump; only one hop is supported");
    }
    auto spec = parse_jump_spec(*o.proxy_jump);
    if (!spec.ok()) return spec.error();
    auto bastion = build_target(config, spec->host, env, &*spec);
    if (!bastion.ok()) return bastion.error();
    t.proxy_jump = std::make_shared<SshTarget>(std::move(*bastion));
  }
  return t;
}

}  // namespace

Result<SshTarget> target_from_config(const SshConfig& config, std::string_view host, const SshConfigEnv& env) {
  return build_target(config, host, env, nullptr);
}

}  // namespace skiff::drivers
