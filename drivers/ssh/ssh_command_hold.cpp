#include "drivers/ssh/ssh_command_hold.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "drivers/shell_quote.hpp"
#include "drivers/ssh/libssh2_util.hpp"
#include "drivers/ssh/ssh_connection.hpp"

namespace skiff::drivers {

namespace {

using Clock = SteadyClock;
using namespace std::chrono_literals;

// How long a destroyed hold waits for its command to end after closing its
// stdin, before it just drops the connection (which ends it all the same,
// only later).
constexpr std::chrono::milliseconds kReleaseWait = 5s;

// What a live hold reads of its command's output at a time, and drops.
constexpr uint64_t kDrainChunk = 256 * 1024;

// "ssh root@10.0.0.5:22 via 10.0.0.1", as the pool names a target.
std::string where(const SshTarget& target) {
  std::string text = "ssh " + (target.user.empty() ? "" : target.user + "@") + target.address + ":" + std::to_string(target.port);
  if (target.proxy_jump) text += " via " + target.proxy_jump->address;
  return text;
}

int poll_ms(Clock::time_point deadline, int cap_ms) {
  if (deadline == Clock::time_point::max()) return cap_ms;
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, cap_ms));
}

// Whether `out` holds `line` as a whole line.
bool has_line(const std::string& out, const std::string& line) {
  return out.rfind(line + "\n", 0) == 0 || out.find("\n" + line + "\n") != std::string::npos;
}

class SshHold : public CommandHold {
 public:
  SshHold(const SshTarget& target, std::string release_input)
      : target_(target), release_input_(std::move(release_input)), link_(target_, verifier_, Clock::now()) {}
  ~SshHold() override;
  SshHold(const SshHold&) = delete;
  SshHold& operator=(const SshHold&) = delete;

  Status connect();
  Status exec(const std::string& line, Clock::time_point deadline);
  // True once the command printed `ready_line`; false when it ended first
  // (`ended` then holds how). Fails when it printed more than the target's
  // max_output before either (`name` is the command's, for that message).
  Result<bool> wait_ready(const std::string& name, const std::string& ready_line, Clock::time_point deadline,
                          CommandResult& ended);
  Status start_pump();

  Status alive() const override {
    if (!lost_.load()) return Status();
    std::lock_guard<std::mutex> guard(lost_mutex_);
    return lost_reason_;
  }

 private:
  LIBSSH2_SESSION* raw() { return link_.session().raw(); }
  // Polls the connection for `session_events` (or what it waits for) until
  // something moves, `deadline` or `cap_ms`, then lets the connection step
  // (which pumps a ProxyJump tunnel). False when the connection failed.
  bool wait_io(short session_events, Clock::time_point deadline, int cap_ms = 1000);
  Status timed_out(const std::string& what) const;
  Result<CommandResult> close_channel(Clock::time_point deadline);
  bool release(Clock::time_point deadline);
  void pump();
  void lose(const std::string& why);

  SshTarget target_;
  std::string release_input_;
  HostKeyVerifier verifier_;
  SshConnection link_;
  LIBSSH2_CHANNEL* channel_ = nullptr;
  std::string stdout_, stderr_;
  std::thread pump_;
  int wake_[2] = {-1, -1};
  std::atomic<bool> lost_{false};
  mutable std::mutex lost_mutex_;
  Error lost_reason_;
};

bool SshHold::wait_io(short session_events, Clock::time_point deadline, int cap_ms) {
  std::vector<pollfd> fds;
  link_.poll_fds(fds, session_events);
  ::poll(fds.data(), fds.size(), poll_ms(deadline, cap_ms));
  return link_.step(Clock::now()) != SessionState::kFailed;
}

Status SshHold::timed_out(const std::string& what) const {
  return make_error(ErrorCode::kTimeout, where(target_) + ": " + what + ": timed out");
}

Status SshHold::connect() {
  for (;;) {
    SessionState state = link_.step(Clock::now());
    if (state == SessionState::kReady) return Status();
    if (state == SessionState::kFailed) return link_.error().wrap(where(target_));
    std::vector<pollfd> fds;
    link_.poll_fds(fds);
    ::poll(fds.data(), fds.size(), poll_ms(link_.deadline(), 1000));
  }
}

Status SshHold::exec(const std::string& line, Clock::time_point deadline) {
  while (!channel_) {
    channel_ = libssh2_channel_open_session(raw());
    if (channel_) break;
    if (!would_block(raw()))
      return make_error(ErrorCode::kUnavailable, where(target_) + ": " + libssh2_error_text(raw(), "open channel"));
    if (Clock::now() >= deadline) return timed_out("open channel");
    if (!wait_io(libssh2_poll_events(raw()), deadline)) return link_.error().wrap(where(target_));
  }
  for (;;) {
    int rc = libssh2_channel_exec(channel_, line.c_str());
    if (rc == 0) return Status();
    if (rc != LIBSSH2_ERROR_EAGAIN)
      return make_error(ErrorCode::kUnavailable, where(target_) + ": " + libssh2_error_text(raw(), "exec"));
    if (Clock::now() >= deadline) return timed_out("exec");
    if (!wait_io(libssh2_poll_events(raw()), deadline)) return link_.error().wrap(where(target_));
  }
}

Result<bool> SshHold::wait_ready(const std::string& name, const std::string& ready_line, Clock::time_point deadline,
                                 CommandResult& ended) {
  for (;;) {
    short events = 0;
    if (read_channel_stream(raw(), channel_, 0, stdout_, events, target_.max_output) < 0 ||
        read_channel_stream(raw(), channel_, SSH_EXTENDED_DATA_STDERR, stderr_, events, target_.max_output) < 0)
      return make_error(ErrorCode::kUnavailable, where(target_) + ": " + libssh2_error_text(raw(), "read output"));
    if (has_line(stdout_, ready_line)) return true;
    if (stdout_.size() + stderr_.size() > target_.max_output) return output_too_large(target_.name, name, target_.max_output);
    if (libssh2_channel_eof(channel_)) {
      Result<CommandResult> result = close_channel(deadline);
      if (!result.ok()) return result.error();
      ended = std::move(*result);
      return false;
    }
    if (Clock::now() >= deadline) return timed_out("waiting for the command to print \"" + ready_line + "\"").error();
    if (!wait_io(events ? events : libssh2_poll_events(raw()), deadline)) return link_.error().wrap(where(target_));
  }
}

// After EOF from the command: closes the channel both ways and collects
// its exit status or signal, as SshExec does.
Result<CommandResult> SshHold::close_channel(Clock::time_point deadline) {
  for (;;) {
    short events = 0;
    read_channel_stream(raw(), channel_, 0, stdout_, events);
    read_channel_stream(raw(), channel_, SSH_EXTENDED_DATA_STDERR, stderr_, events);
    int rc = libssh2_channel_close(channel_);
    if (rc == 0) rc = libssh2_channel_wait_closed(channel_);
    if (rc == 0) break;
    if (rc != LIBSSH2_ERROR_EAGAIN)
      return make_error(ErrorCode::kUnavailable, where(target_) + ": " + libssh2_error_text(raw(), "close channel"));
    if (Clock::now() >= deadline) return timed_out("close channel").error();
    if (!wait_io(libssh2_poll_events(raw()), deadline)) return link_.error().wrap(where(target_));
  }
  CommandResult result;
  char* signal = nullptr;
  size_t signal_len = 0;
  libssh2_channel_get_exit_signal(channel_, &signal, &signal_len, nullptr, nullptr, nullptr, nullptr);
  if (signal) {
    result.signal = std::string(signal, signal_len);
    libssh2_free(raw(), signal);
  } else {
    result.exit_status = libssh2_channel_get_exit_status(channel_);
  }
  result.stdout_data = std::move(stdout_);
  result.stderr_data = std::move(stderr_);
  while (libssh2_channel_free(channel_) == LIBSSH2_ERROR_EAGAIN && Clock::now() < deadline)
    wait_io(libssh2_poll_events(raw()), deadline);
  channel_ = nullptr;
  return result;
}

Status SshHold::start_pump() {
  if (::pipe2(wake_, O_CLOEXEC) != 0) return make_error(ErrorCode::kIo, "pipe for the hold's thread failed");
  pump_ = std::thread([this] { pump(); });
  return Status();
}

void SshHold::lose(const std::string& why) {
  std::lock_guard<std::mutex> guard(lost_mutex_);
  lost_reason_ = make_error(ErrorCode::kUnavailable, where(target_) + ": " + why);
  lost_.store(true);
}

// The hold's thread: serves the connection until told to stop through the
// wake pipe, or until the connection or the command ends.
void SshHold::pump() {
  std::string sink;
  const bool keepalives = target_.keepalive_interval.count() > 0;
  for (;;) {
    int next_keepalive = 60;
    if (keepalives) libssh2_keepalive_send(raw(), &next_keepalive);
    std::vector<pollfd> fds;
    link_.poll_fds(fds, libssh2_poll_events(raw()));
    size_t link_fds = fds.size();
    fds.push_back(pollfd{wake_[0], POLLIN, 0});
    ::poll(fds.data(), fds.size(), std::max(next_keepalive, 1) * 1000);
    if (fds.back().revents != 0) return;
    if (link_.step(Clock::now()) == SessionState::kFailed) return lose("connection lost: " + link_.error().message);
    short events = 0;
    sink.clear();
    if (read_channel_stream(raw(), channel_, 0, sink, events, kDrainChunk) < 0 ||
        read_channel_stream(raw(), channel_, SSH_EXTENDED_DATA_STDERR, sink, events, kDrainChunk) < 0)
      return lose(libssh2_error_text(raw(), "connection lost"));
    if (libssh2_channel_eof(channel_)) return lose("the held command ended");
    for (size_t i = 0; i < link_fds; ++i)
      if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) return lose("connection lost");
  }
}

// Closes the command's stdin and waits for it to end, so that what it held
// is free once this returns. False when that did not finish in time.
bool SshHold::release(Clock::time_point deadline) {
  for (size_t sent = 0; sent < release_input_.size();) {
    ssize_t n = libssh2_channel_write(channel_, release_input_.data() + sent, release_input_.size() - sent);
    if (n >= 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n != LIBSSH2_ERROR_EAGAIN || Clock::now() >= deadline) return false;
    if (!wait_io(libssh2_poll_events(raw()), deadline)) return false;
  }
  for (;;) {
    int rc = libssh2_channel_send_eof(channel_);
    if (rc == 0) break;
    if (rc != LIBSSH2_ERROR_EAGAIN || Clock::now() >= deadline) return false;
    if (!wait_io(libssh2_poll_events(raw()), deadline)) return false;
  }
  while (!libssh2_channel_eof(channel_)) {
    short events = 0;
    std::string sink;
    if (read_channel_stream(raw(), channel_, 0, sink, events) < 0 ||
        read_channel_stream(raw(), channel_, SSH_EXTENDED_DATA_STDERR, sink, events) < 0)
      return false;
    if (libssh2_channel_eof(channel_)) break;
    if (Clock::now() >= deadline || !wait_io(events ? events : libssh2_poll_events(raw()), deadline)) return false;
  }
  return close_channel(deadline).ok();
}

SshHold::~SshHold() {
  if (pump_.joinable()) {
    char stop = 0;
    if (::write(wake_[1], &stop, 1) != 1) {
      // A pipe with room for a byte cannot fail this write; if it did, the
      // thread still ends with the connection below.
    }
    pump_.join();
  }
  for (int fd : wake_)
    if (fd >= 0) ::close(fd);
  if (!channel_ || link_.state() != SessionState::kReady) return;
  // A hold that cannot be released politely is dropped: sshd then ends the
  // command when it sees the connection go.
  if (lost_.load() || !release(Clock::now() + kReleaseWait)) link_.fail(make_error(ErrorCode::kUnavailable, "hold dropped"));
}

}  // namespace

Result<HoldStart> SshCommandHolder::start(const Command& command, const std::string& ready_line,
                                          const std::string& release_input) {
  if (command.argv.empty() || command.stdin_data)
    return make_error(ErrorCode::kInvalidArgument, "hold: a command without stdin bytes is required");
  auto hold = std::make_unique<SshHold>(target_, release_input);
  Status connected = hold->connect();
  if (!connected) return connected.error();
  std::chrono::milliseconds timeout = command.timeout.count() > 0 ? command.timeout : target_.command_timeout;
  Clock::time_point deadline = timeout.count() > 0 ? Clock::now() + timeout : Clock::time_point::max();
  Status started = hold->exec(shell_join(command.argv), deadline);
  if (!started) return started.error();
  HoldStart result;
  Result<bool> ready = hold->wait_ready(command_name(command), ready_line, deadline, result.ended);
  if (!ready.ok()) return ready.error();
  if (!*ready) return result;
  Status pumping = hold->start_pump();
  if (!pumping) return pumping.error();
  result.hold = std::move(hold);
  return result;
}

}  // namespace skiff::drivers
