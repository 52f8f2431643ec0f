#include "drivers/ssh/ssh_exec.hpp"

#include "drivers/shell_quote.hpp"

namespace skiff::drivers {

namespace {

constexpr size_t kWriteChunk = 64 * 1024;

}  // namespace

SshExec::SshExec(SshSession& session, const Command& command, SteadyClock::time_point now)
    : raw_(session.raw()),
      line_(shell_join(command.argv)),
      stdin_(command.stdin_data.value_or("")),
      host_(session.target().name),
      command_name_(command_name(command)),
      max_output_(session.target().max_output),
      timeout_(command.timeout.count() > 0 ? command.timeout : session.target().command_timeout),
      deadline_(timeout_.count() > 0 ? now + timeout_ : SteadyClock::time_point::max()) {
  if (command.argv.empty()) fail(ErrorCode::kInvalidArgument, "run: empty command");
}

// A channel abandoned mid-command (timeout, error) belongs to a session the
// pool drops anyway, and libssh2_session_free() frees it with the session.
SshExec::~SshExec() = default;

ExecState SshExec::step(SteadyClock::time_point now) {
  wait_events_ = 0;
  for (;;) {
    ExecState before = state_;
    switch (state_) {
      case ExecState::kOpen: step_open(); break;
      case ExecState::kExec: step_exec(); break;
      case ExecState::kIo: step_io(); break;
      case ExecState::kClose: step_close(); break;
      case ExecState::kFree: step_free(); break;
      case ExecState::kDone:
      case ExecState::kFailed: return state_;
    }
    if (state_ == before) break;
  }
  if (now >= deadline_) {
    error_ = make_error(ErrorCode::kTimeout, "command timed out after " + std::to_string(timeout_.count()) + " ms");
    state_ = ExecState::kFailed;
  }
  return state_;
}

ExecState SshExec::fail(ErrorCode code, const std::string& what) {
  error_ = make_error(code, libssh2_error_text(raw_, what));
  state_ = ExecState::kFailed;
  return state_;
}

ExecState SshExec::step_open() {
  channel_ = libssh2_channel_open_session(raw_);
  if (!channel_) return would_block(raw_) ? state_ : fail(ErrorCode::kUnavailable, "open channel");
  state_ = ExecState::kExec;
  return state_;
}

ExecState SshExec::step_exec() {
  int rc = libssh2_channel_exec(channel_, line_.c_str());
  if (rc == LIBSSH2_ERROR_EAGAIN) return state_;
  if (rc != 0) return fail(ErrorCode::kUnavailable, "exec");
  state_ = ExecState::kIo;
  return state_;
}

// Returns false on a hard error (already recorded).
bool SshExec::write_stdin() {
  while (stdin_sent_ < stdin_.size()) {
    size_t n = std::min(kWriteChunk, stdin_.size() - stdin_sent_);
    ssize_t w = libssh2_channel_write(channel_, stdin_.data() + stdin_sent_, n);
    if (w == LIBSSH2_ERROR_EAGAIN) {
      wait_events_ |= libssh2_poll_events(raw_);
      send_blocked_ = send_pending(raw_);
      return true;
    }
    // The command may exit without reading all its input; that is its choice.
    if (w < 0) {
      stdin_sent_ = stdin_.size();
      break;
    }
    stdin_sent_ += static_cast<size_t>(w);
  }
  if (!eof_sent_) {
    int rc = libssh2_channel_send_eof(channel_);
    if (rc == LIBSSH2_ERROR_EAGAIN) {
      wait_events_ |= libssh2_poll_events(raw_);
      send_blocked_ = send_pending(raw_);
      return true;
    }
    eof_sent_ = true;
  }
  return true;
}

bool SshExec::read_stream(int stream, std::string& sink) {
  if (read_channel_stream(raw_, channel_, stream, sink, wait_events_, max_output_) != 0) {
    fail(ErrorCode::kUnavailable, "read output");
    return false;
  }
  return result_.stdout_data.size() + result_.stderr_data.size() <= max_output_ || too_large();
}

// Past max_output the command fails and what it printed is dropped at once.
bool SshExec::too_large() {
  result_ = CommandResult{};
  error_ = output_too_large(host_, command_name_, max_output_);
  state_ = ExecState::kFailed;
  return false;
}

short SshExec::poll_events() const { return wait_events_ ? wait_events_ : libssh2_poll_events(raw_); }

// Repeats until nothing moves: reading can take in a window adjustment
// that lets stdin move again, and nothing else would wake us for it.
ExecState SshExec::step_io() {
  for (;;) {
    size_t before = stdin_sent_ + result_.stdout_data.size() + result_.stderr_data.size() + eof_sent_;
    wait_events_ = 0;
    send_blocked_ = false;
    if (!write_stdin()) return state_;
    if (send_blocked_) return state_;  // reading now could send, see send_pending()
    if (!read_stream(0, result_.stdout_data)) return state_;
    if (!read_stream(SSH_EXTENDED_DATA_STDERR, result_.stderr_data)) return state_;
    if (libssh2_channel_eof(channel_)) {
      state_ = ExecState::kClose;
      return state_;
    }
    if (stdin_sent_ + result_.stdout_data.size() + result_.stderr_data.size() + eof_sent_ == before) return state_;
  }
}

ExecState SshExec::step_close() {
  // Drain anything that arrived with the EOF, then close both ways.
  if (!read_stream(0, result_.stdout_data) || !read_stream(SSH_EXTENDED_DATA_STDERR, result_.stderr_data)) {
    return state_;
  }
  int rc = libssh2_channel_close(channel_);
  if (rc == LIBSSH2_ERROR_EAGAIN) return state_;
  rc = libssh2_channel_wait_closed(channel_);
  if (rc == LIBSSH2_ERROR_EAGAIN) return state_;
  if (rc != 0) return fail(ErrorCode::kUnavailable, "close channel");
  char* signal = nullptr;
  size_t signal_len = 0;
  libssh2_channel_get_exit_signal(channel_, &signal, &signal_len, nullptr, nullptr, nullptr, nullptr);
  if (signal) {
    result_.signal = std::string(signal, signal_len);
    result_.exit_status = -1;
    libssh2_free(raw_, signal);
  } else {
    result_.exit_status = libssh2_channel_get_exit_status(channel_);
  }
  state_ = ExecState::kFree;
  return state_;
}

// The channel is freed as soon as it is done, so a session never holds more
// than one: libssh2 1.10 double-frees when several finished channels of one
// session are freed later in a row.
ExecState SshExec::step_free() {
  int rc = libssh2_channel_free(channel_);
  if (rc == LIBSSH2_ERROR_EAGAIN) return state_;
  channel_ = nullptr;
  state_ = ExecState::kDone;
  return state_;
}

}  // namespace skiff::drivers
