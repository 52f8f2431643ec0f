#include "drivers/ssh/keeper/keeper_wire.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace skiff::drivers {
namespace {

constexpr uint32_t kSpecVersion = 2;  // 2: targets carry max_output

class Writer {
 public:
  void u32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void i64(int64_t v) {
    auto u = static_cast<uint64_t>(v);
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
  }
  void str(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void optional_str(const std::optional<std::string>& s) {
    u32(s ? 1 : 0);
    if (s) str(*s);
  }
  void strings(const std::vector<std::string>& list) {
    u32(static_cast<uint32_t>(list.size()));
    for (const std::string& s : list) str(s);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads fields in order; after the first short read every later one fails
// too, so callers check ok() once at the end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  uint32_t u32() {
    if (!need(4)) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(in_[at_ + i])) << (8 * i);
    at_ += 4;
    return v;
  }
  int64_t i64() {
    if (!need(8)) return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(in_[at_ + i])) << (8 * i);
    at_ += 8;
    return static_cast<int64_t>(v);
  }
  std::string str() {
    uint32_t n = u32();
    if (!need(n)) return {};
    std::string s(in_.substr(at_, n));
    at_ += n;
    return s;
  }
  std::optional<std::string> optional_str() {
    if (u32() == 0) return std::nullopt;
    return str();
  }
  std::vector<std::string> strings() {
    std::vector<std::string> list(count());
    for (std::string& s : list) s = str();
    return list;
  }
  // A list length, refused when the rest could not hold that many entries
  // (each takes 4 bytes at least), so a corrupt count allocates nothing.
  size_t count() {
    uint32_t n = u32();
    if (!need(static_cast<size_t>(n) * 4)) return 0;
    return n;
  }
  bool ok() const { return ok_; }
  bool finished() const { return ok_ && at_ == in_.size(); }

 private:
  bool need(size_t n) {
    if (ok_ && in_.size() - at_ >= n) return true;
    ok_ = false;
    return false;
  }
  std::string_view in_;
  size_t at_ = 0;
  bool ok_ = true;
};

Error malformed(const std::string& what) {
  return make_error(ErrorCode::kInternal, "malformed " + what + " from the SSH keeper protocol");
}

int64_t ms(std::chrono::milliseconds d) { return d.count(); }

void write_target(Writer& w, const SshTarget& t) {
  w.str(t.name);
  w.str(t.address);
  w.i64(t.port);
  w.str(t.user);
  w.strings(t.identity_files);
  w.strings(t.known_hosts_files);
  w.u32(static_cast<uint32_t>(t.strict));
  w.i64(ms(t.connect_timeout));
  w.i64(ms(t.command_timeout));
  w.i64(static_cast<int64_t>(std::min<uint64_t>(t.max_output, INT64_MAX)));
  w.i64(t.keepalive_interval.count());
  w.u32(t.proxy_jump ? 1 : 0);
  if (t.proxy_jump) write_target(w, *t.proxy_jump);
}

SshTarget read_target(Reader& r, int depth) {
  SshTarget t;
  t.name = r.str();
  t.address = r.str();
  t.port = static_cast<int>(r.i64());
  t.user = r.str();
  t.identity_files = r.strings();
  t.known_hosts_files = r.strings();
  uint32_t strict = r.u32();
  t.strict = strict <= static_cast<uint32_t>(StrictHostKeys::kNo) ? static_cast<StrictHostKeys>(strict) : StrictHostKeys::kYes;
  t.connect_timeout = std::chrono::milliseconds(r.i64());
  t.command_timeout = std::chrono::milliseconds(r.i64());
  t.max_output = static_cast<uint64_t>(std::max<int64_t>(0, r.i64()));
  t.keepalive_interval = std::chrono::seconds(r.i64());
  // One hop only, as SshTarget allows; deeper nesting is malformed.
  if (r.u32() == 1 && depth == 0) t.proxy_jump = std::make_shared<const SshTarget>(read_target(r, 1));
  return t;
}

}  // namespace

std::string encode_keeper_spec(const KeeperSpec& spec) {
  Writer w;
  w.u32(kSpecVersion);
  w.i64(static_cast<int64_t>(spec.pool.parallelism));
  w.u32(spec.pool.persistent_shell ? 1 : 0);
  w.u32(static_cast<uint32_t>(spec.targets.size()));
  for (const SshTarget& t : spec.targets) write_target(w, t);
  return w.take();
}

Result<KeeperSpec> decode_keeper_spec(std::string_view bytes) {
  Reader r(bytes);
  if (r.u32() != kSpecVersion) return malformed("keeper spec (another skiff version?)");
  KeeperSpec spec;
  spec.pool.parallelism = static_cast<size_t>(std::max<int64_t>(1, r.i64()));
  spec.pool.persistent_shell = r.u32() == 1;
  spec.targets.resize(r.count());
  for (SshTarget& t : spec.targets) t = read_target(r, 0);
  if (!r.finished()) return malformed("keeper spec");
  return spec;
}

std::string encode_batch(const std::vector<HostCommand>& batch) {
  Writer w;
  w.u32(static_cast<uint32_t>(batch.size()));
  for (const HostCommand& item : batch) {
    w.str(item.host);
    w.strings(item.command.argv);
    w.optional_str(item.command.stdin_data);
    w.i64(ms(item.command.timeout));
    w.u32(item.command.script_shell == ScriptShell::kSubshell ? 1 : 0);
  }
  return w.take();
}

Result<std::vector<HostCommand>> decode_batch(std::string_view bytes) {
  Reader r(bytes);
  std::vector<HostCommand> batch(r.count());
  for (HostCommand& item : batch) {
    item.host = r.str();
    item.command.argv = r.strings();
    item.command.stdin_data = r.optional_str();
    item.command.timeout = std::chrono::milliseconds(r.i64());
    item.command.script_shell = r.u32() == 1 ? ScriptShell::kSubshell : ScriptShell::kOwn;
  }
  if (!r.finished()) return malformed("batch");
  return batch;
}

std::string encode_results(const std::vector<Result<CommandResult>>& results) {
  Writer w;
  w.u32(static_cast<uint32_t>(results.size()));
  for (const Result<CommandResult>& result : results) {
    w.u32(result.ok() ? 1 : 0);
    if (!result.ok()) {
      w.u32(static_cast<uint32_t>(result.error().code));
      w.str(result.error().message);
      continue;
    }
    w.i64(result->exit_status);
    w.str(result->stdout_data);
    w.str(result->stderr_data);
    w.optional_str(result->signal);
  }
  return w.take();
}

Result<std::vector<Result<CommandResult>>> decode_results(std::string_view bytes) {
  Reader r(bytes);
  std::vector<Result<CommandResult>> results;
  size_t n = r.count();
  for (size_t i = 0; i < n && r.ok(); ++i) {
    if (r.u32() != 1) {
      uint32_t code = r.u32();
      Error e{code <= static_cast<uint32_t>(ErrorCode::kInternal) ? static_cast<ErrorCode>(code) : ErrorCode::kInternal, r.str()};
      results.emplace_back(std::move(e));
      continue;
    }
    CommandResult c;
    c.exit_status = static_cast<int>(r.i64());
    c.stdout_data = r.str();
    c.stderr_data = r.str();
    c.signal = r.optional_str();
    results.emplace_back(std::move(c));
  }
  if (!r.finished()) return malformed("results");
  return results;
}

std::string frame(const std::string& message) {
  Writer w;
  w.u32(static_cast<uint32_t>(message.size()));
  return w.take() + message;
}

uint32_t frame_length(std::string_view header) {
  Reader r(header.substr(0, kFrameHeader));
  return r.u32();
}

}  // namespace skiff::drivers
