#include "drivers/ssh/ssh_shell.hpp"

#include "base/random_bytes.hpp"
#include "drivers/shell_quote.hpp"

namespace skiff::drivers {

namespace {

constexpr size_t kWriteChunk = 64 * 1024;
constexpr const char* kShellCommand = "exec /bin/sh";

// Parses "TOKEN STATUS\n" at `at` in `out`; false until the line is whole.
bool parse_status(const std::string& out, size_t at, const std::string& token, int& status) {
  size_t start = at + token.size() + 1;
  size_t end = out.find('\n', start);
  if (end == std::string::npos) return false;
  status = std::atoi(out.substr(start, end - start).c_str());
  return true;
}

}  // namespace

Result<std::string> random_shell_token() {
  Result<std::vector<uint8_t>> bytes = base::random_bytes(16);
  if (!bytes.ok()) return bytes.error().wrap("shell marker");
  static const char* kHex = "0123456789abcdef";
  std::string token = "skiff-";
  for (unsigned char b : *bytes) {
    token += kHex[b >> 4];
    token += kHex[b & 15];
  }
  return token;
}

SshShell::SshShell(SshSession& session) : session_(session), raw_(session.raw()) {}

// Like SshExec: a channel left open belongs to a session the pool drops or
// frees, and libssh2_session_free() frees it with the session.
SshShell::~SshShell() = default;

namespace {

// `sh -c SCRIPT NAME ARGS...` that allows it runs as `set -- ARGS...; eval
// SCRIPT` in the subshell: the same script with the same arguments, without
// starting another shell on the host. Anything else runs as its quoted
// command line.
std::string subshell_line(const Command& command) {
  const std::vector<std::string>& argv = command.argv;
  if (command.script_shell != ScriptShell::kSubshell || argv.size() < 3 || argv[0] != "sh" || argv[1] != "-c")
    return shell_join(argv);
  std::vector<std::string> set = {"set", "--"};
  if (argv.size() > 4) set.insert(set.end(), argv.begin() + 4, argv.end());
  return shell_join(set) + "; eval " + shell_quote(argv[2]);
}

}  // namespace

void SshShell::begin(const Command& command, const std::string& token, SteadyClock::time_point now) {
  token_ = token;
  script_ = "( " + subshell_line(command) + "\n) </dev/null; printf '%s %d\\n' " + token + " \"$?\"; printf '%s\\n' " + token +
      " >&2\n";
  script_sent_ = 0;
  stdout_.clear();
  stderr_.clear();
  result_ = CommandResult{};
  command_name_ = command_name(command);
  timeout_ = command.timeout.count() > 0 ? command.timeout : session_.target().command_timeout;
  deadline_ = timeout_.count() > 0 ? now + timeout_ : SteadyClock::time_point::max();
}

ExecState SshShell::fail(ErrorCode code, const std::string& what) {
  error_ = make_error(code, libssh2_error_text(raw_, what));
  phase_ = Phase::kFailed;
  return ExecState::kFailed;
}

short SshShell::poll_events() const { return wait_events_ ? wait_events_ : libssh2_poll_events(raw_); }

bool SshShell::write_script() {
  while (script_sent_ < script_.size()) {
    size_t n = std::min(kWriteChunk, script_.size() - script_sent_);
    ssize_t w = libssh2_channel_write(channel_, script_.data() + script_sent_, n);
    if (w == LIBSSH2_ERROR_EAGAIN) {
      wait_events_ |= libssh2_poll_events(raw_);
      send_blocked_ = send_pending(raw_);
      return true;
    }
    if (w < 0) {
      fail(ErrorCode::kUnavailable, "write to the host's shell");
      return false;
    }
    script_sent_ += static_cast<size_t>(w);
  }
  return true;
}

// The streams also carry the two end markers, which do not count against
// max_output: the result is checked exactly once it is cut out of them.
bool SshShell::read_stream(int stream, std::string& sink) {
  const uint64_t allowed = session_.target().max_output + 2 * (token_.size() + 24);
  if (read_channel_stream(raw_, channel_, stream, sink, wait_events_, allowed) != 0) {
    fail(ErrorCode::kUnavailable, "read output");
    return false;
  }
  return stdout_.size() + stderr_.size() <= allowed || too_large();
}

// Past max_output the command fails and what it printed is dropped at once.
bool SshShell::too_large() {
  stdout_ = std::string();
  stderr_ = std::string();
  result_ = CommandResult{};
  error_ = output_too_large(session_.target().name, command_name_, session_.target().max_output);
  phase_ = Phase::kFailed;
  return false;
}

// Both markers in: the result is cut out of the streams.
bool SshShell::collect_if_done() {
  size_t out_at = stdout_.find(token_ + " ");
  size_t err_at = stderr_.find(token_ + "\n");
  int status = 0;
  if (out_at == std::string::npos || err_at == std::string::npos || !parse_status(stdout_, out_at, token_, status)) {
    return false;
  }
  result_.stdout_data = stdout_.substr(0, out_at);
  result_.stderr_data = stderr_.substr(0, err_at);
  result_.exit_status = status;
  return true;
}

ExecState SshShell::step(SteadyClock::time_point now) {
  wait_events_ = 0;
  if (phase_ == Phase::kFailed) return ExecState::kFailed;
  if (phase_ == Phase::kOpen) {
    channel_ = libssh2_channel_open_session(raw_);
    if (!channel_) return would_block(raw_) ? ExecState::kOpen : fail(ErrorCode::kUnavailable, "open channel");
    phase_ = Phase::kExec;
  }
  if (phase_ == Phase::kExec) {
    int rc = libssh2_channel_exec(channel_, kShellCommand);
    if (rc == LIBSSH2_ERROR_EAGAIN) return ExecState::kExec;
    if (rc != 0) return fail(ErrorCode::kUnavailable, "exec the host's shell");
    phase_ = Phase::kIo;
  }
  for (;;) {
    size_t before = script_sent_ + stdout_.size() + stderr_.size();
    send_blocked_ = false;
    if (!write_script()) return ExecState::kFailed;
    if (send_blocked_) break;  // reading now could send, see send_pending()
    if (!read_stream(0, stdout_) || !read_stream(SSH_EXTENDED_DATA_STDERR, stderr_)) return ExecState::kFailed;
    if (collect_if_done()) {
      bool within = result_.stdout_data.size() + result_.stderr_data.size() <= session_.target().max_output || too_large();
      return within ? ExecState::kDone : ExecState::kFailed;
    }
    if (libssh2_channel_eof(channel_)) {
      std::string said = stderr_.size() > 500 ? stderr_.substr(stderr_.size() - 500) : stderr_;
      error_ = make_error(ErrorCode::kUnavailable,
                          "the host's shell ended during the command" + (said.empty() ? std::string() : ": " + said));
      phase_ = Phase::kFailed;
      return ExecState::kFailed;
    }
    if (script_sent_ + stdout_.size() + stderr_.size() == before) break;
  }
  if (now >= deadline_) {
    error_ = make_error(ErrorCode::kTimeout, "command timed out after " + std::to_string(timeout_.count()) + " ms");
    phase_ = Phase::kFailed;
    return ExecState::kFailed;
  }
  return ExecState::kIo;
}

}  // namespace skiff::drivers
