#include "drivers/local_transport.hpp"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>

#include "drivers/shell_quote.hpp"

extern char** environ;

namespace skiff::drivers {

namespace {

using Clock = std::chrono::steady_clock;

// Owns a file descriptor; -1 when empty.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

Result<Pipe> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return make_error(ErrorCode::kIo, std::string("pipe: ") + strerror(errno));
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

// The child: /bin/sh -c LINE in a new process group, with the default signal
// mask and SIGPIPE disposition whatever the parent has set.
Result<pid_t> spawn_shell(const std::string& line, Pipe& in, Pipe& out, Pipe& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.read.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out.write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err.write.get(), 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::string sh = "/bin/sh", dash_c = "-c", body = line;
  char* argv[] = {sh.data(), dash_c.data(), body.data(), nullptr};
  pid_t pid = -1;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return make_error(ErrorCode::kIo, std::string("spawn /bin/sh: ") + strerror(rc));
  return pid;
}

// Writing to a pipe whose reader has exited raises SIGPIPE, which would kill
// skiff. Blocking it in this thread turns it into EPIPE; the pending signal
// is then consumed so it is never delivered later. This avoids changing the
// process-wide disposition, which children would inherit.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeGuard() {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {}
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_, old_;
};

enum class Pumped { kFinished, kTimedOut, kTooLarge };

// Moves bytes between skiff and the child until both output pipes close,
// the deadline passes, or the child has printed more than `max_output`
// bytes (then what it printed is dropped).
Pumped pump(Fd& in, const std::string& input, Fd& out, Fd& err, CommandResult& result, std::optional<Clock::time_point> deadline,
            uint64_t max_output) {
  size_t written = 0;
  if (input.empty()) in.reset();
  std::array<char, 65536> buf;
  while (out.get() >= 0 || err.get() >= 0) {
    std::array<pollfd, 3> fds = {pollfd{in.get(), POLLOUT, 0}, pollfd{out.get(), POLLIN, 0}, pollfd{err.get(), POLLIN, 0}};
    int wait_ms = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      if (left <= 0) return Pumped::kTimedOut;
      wait_ms = static_cast<int>(left) + 1;
    }
    int n = ::poll(fds.data(), fds.size(), wait_ms);
    if (n < 0 && errno != EINTR) return Pumped::kFinished;
    if (n <= 0) continue;
    if (fds[0].revents) {
      ssize_t w = ::write(in.get(), input.data() + written, input.size() - written);
      if (w > 0) written += static_cast<size_t>(w);
      if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) in.reset();
    }
    Fd* readers[2] = {&out, &err};
    std::string* sinks[2] = {&result.stdout_data, &result.stderr_data};
    for (int i = 0; i < 2; ++i) {
      if (!fds[i + 1].revents) continue;
      ssize_t r = ::read(readers[i]->get(), buf.data(), buf.size());
      if (r > 0) sinks[i]->append(buf.data(), static_cast<size_t>(r));
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) readers[i]->reset();
    }
    if (result.stdout_data.size() + result.stderr_data.size() > max_output) {
      result = CommandResult{};
      return Pumped::kTooLarge;
    }
  }
  return Pumped::kFinished;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

int wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  return status;
}

void fill_exit(int status, CommandResult& result) {
  if (WIFEXITED(status)) {
    result.exit_status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    const char* name = sigabbrev_np(WTERMSIG(status));
    result.signal = name ? name : std::to_string(WTERMSIG(status));
  }
}

}  // namespace

Result<CommandResult> LocalTransport::run(const Command& command) {
  if (command.argv.empty()) return make_error(ErrorCode::kInvalidArgument, "run: empty command");
  auto in = make_pipe(), out = make_pipe(), err = make_pipe();
  if (!in.ok()) return in.error();
  if (!out.ok()) return out.error();
  if (!err.ok()) return err.error();
  auto pid = spawn_shell(shell_join(command.argv), *in, *out, *err);
  if (!pid.ok()) return pid.error();
  // The parent keeps only its own ends, so EOF arrives when the child exits.
  in->read.reset();
  out->write.reset();
  err->write.reset();
  for (int fd : {in->write.get(), out->read.get(), err->read.get()}) set_nonblocking(fd);

  auto timeout = command.timeout.count() > 0 ? command.timeout : default_timeout_;
  std::optional<Clock::time_point> deadline;
  if (timeout.count() > 0) deadline = Clock::now() + timeout;
  CommandResult result;
  Pumped pumped;
  {
    SigpipeGuard guard;
    pumped = pump(in->write, command.stdin_data.value_or(""), out->read, err->read, result, deadline, max_output_);
  }
  if (pumped != Pumped::kFinished) {
    ::kill(-*pid, SIGKILL);
    wait_child(*pid);
    if (pumped == Pumped::kTooLarge) return output_too_large(host_, command_name(command), max_output_);
    return make_error(ErrorCode::kTimeout, "command timed out after " + std::to_string(timeout.count()) + " ms");
  }
  fill_exit(wait_child(*pid), result);
  return result;
}

Status LocalTransport::put_file(const FileSpec& file) { return put_file_status(file, run(put_file_command(file))); }

}  // namespace skiff::drivers
