// The keeper process itself: one SshPool, served over a Unix socket one
// batch at a time (ssh_keeper.hpp).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <list>

#include "drivers/ssh/keeper/keeper_io.hpp"
#include "drivers/ssh/keeper/ssh_keeper.hpp"

namespace skiff::drivers {
namespace {

using Clock = std::chrono::steady_clock;

volatile sig_atomic_t g_stop = 0;
void on_stop_signal(int) { g_stop = 1; }

struct Caller {
  int fd;
  std::string pending;  // bytes of an incomplete frame
};

// The socket, as created: the keeper removes the path only while it is
// still this socket, and stops when someone else removed or replaced it.
struct Listener {
  int fd = -1;
  std::string path;
  ino_t inode = 0;
  dev_t device = 0;

  bool still_ours() const {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && st.st_ino == inode && st.st_dev == device;
  }
  // Removes the path (while it is ours), so that no new caller finds the
  // socket; accepts the callers already queued into `callers` (they are
  // still served); then closes the socket.
  void stop(std::list<Caller>& callers);
};

std::string listen_on(Listener& listener) {
  std::optional<sockaddr_un> address = unix_socket_address(listener.path);
  if (!address) return "socket path too long: " + listener.path;
  listener.fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  ::umask(077);
  if (listener.fd < 0 || ::bind(listener.fd, reinterpret_cast<const sockaddr*>(&*address), sizeof(*address)) != 0 ||
      ::listen(listener.fd, 64) != 0)
    return "cannot listen on " + listener.path + ": " + std::strerror(errno);
  struct stat st {};
  if (::lstat(listener.path.c_str(), &st) != 0) return "cannot read " + listener.path + ": " + std::strerror(errno);
  listener.inode = st.st_ino;
  listener.device = st.st_dev;
  return {};
}

// Accepts every pending caller of this user; others are hung up on.
void accept_callers(const Listener& listener, std::list<Caller>& callers) {
  while (true) {
    int fd = ::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    ucred peer{};
    socklen_t size = sizeof(peer);
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0 || peer.uid != ::geteuid()) {
      ::close(fd);
      continue;
    }
    callers.push_back(Caller{fd, {}});
  }
}

// The pool, and the ".busy" file it holds locked while it runs a batch.
struct Work {
  SshPool& pool;
  int busy;

  std::vector<Result<CommandResult>> run(const std::vector<HostCommand>& batch) {
    ::flock(busy, LOCK_EX);
    std::vector<Result<CommandResult>> results = pool.run_all(batch);
    ::flock(busy, LOCK_UN);
    return results;
  }
};

// Reads what `caller` sent and runs each whole batch in it; false when the
// caller hung up or broke the protocol.
bool serve(Caller& caller, Work& work) {
  char buffer[65536];
  ssize_t got = ::recv(caller.fd, buffer, sizeof(buffer), MSG_DONTWAIT);
  if (got < 0) return errno == EAGAIN || errno == EINTR;
  if (got == 0) return false;
  caller.pending.append(buffer, static_cast<size_t>(got));
  while (caller.pending.size() >= kFrameHeader) {
    uint32_t length = frame_length(caller.pending);
    if (length > kMaxFrame) return false;
    if (caller.pending.size() < kFrameHeader + length) break;
    Result<std::vector<HostCommand>> batch = decode_batch(std::string_view(caller.pending).substr(kFrameHeader, length));
    caller.pending.erase(0, kFrameHeader + length);
    if (!batch.ok()) return false;
    if (!write_all(caller.fd, frame(encode_results(work.run(*batch))))) return false;
  }
  return true;
}

void Listener::stop(std::list<Caller>& callers) {
  if (fd < 0) return;
  if (still_ours()) ::unlink(path.c_str());
  accept_callers(*this, callers);
  ::close(fd);
  fd = -1;
}

int serve_until_idle(Listener& listener, Work& work, std::chrono::milliseconds persist) {
  std::list<Caller> callers;
  Clock::time_point last_seen = Clock::now();
  while (!g_stop) {
    if (callers.empty()) {
      bool idle = Clock::now() - last_seen >= persist;
      if (listener.fd >= 0 && (idle || !listener.still_ours())) {
        listener.stop(callers);
        continue;
      }
      if (listener.fd < 0) return 0;
    }
    std::vector<pollfd> fds;
    if (listener.fd >= 0) fds.push_back(pollfd{listener.fd, POLLIN, 0});
    for (const Caller& c : callers) fds.push_back(pollfd{c.fd, POLLIN, 0});
    auto wait = callers.empty() ? std::chrono::duration_cast<std::chrono::milliseconds>(last_seen + persist - Clock::now())
                                : std::chrono::milliseconds(60000);
    // Wake at least every 5 s to notice a removed socket.
    int timeout = static_cast<int>(std::clamp<int64_t>(wait.count() + 1, 0, 5000));
    if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) return 1;
    size_t at = 0;
    if (listener.fd >= 0 && (fds[at++].revents & POLLIN)) accept_callers(listener, callers);
    for (auto c = callers.begin(); c != callers.end(); ++at) {
      if (fds.size() > at && fds[at].revents == 0) {
        ++c;
        continue;
      }
      if (serve(*c, work)) {
        ++c;
      } else {
        ::close(c->fd);
        c = callers.erase(c);
      }
      last_seen = Clock::now();
    }
  }
  listener.stop(callers);  // signalled: queued callers go with the process
  return 0;
}

}  // namespace

int ssh_keeper_main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: skiff %s SOCKET PERSIST_MS (started by skiff itself; see ssh.control_persist)\n",
                 kKeeperCommand);
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  ::signal(SIGHUP, SIG_IGN);
  struct sigaction stop {};
  stop.sa_handler = on_stop_signal;
  ::sigaction(SIGTERM, &stop, nullptr);
  ::sigaction(SIGINT, &stop, nullptr);
  std::chrono::milliseconds persist(std::strtoll(argv[3], nullptr, 10));

  std::string spec_bytes;
  char buffer[65536];
  for (ssize_t got; (got = ::read(0, buffer, sizeof(buffer))) != 0;) {
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) break;
    spec_bytes.append(buffer, static_cast<size_t>(got));
  }
  Result<KeeperSpec> spec = decode_keeper_spec(spec_bytes);
  Listener listener;
  listener.path = argv[2];
  std::string problem = !spec.ok() ? spec.error().message
      : persist.count() <= 0       ? "control_persist must be longer than 0s"
                                   : listen_on(listener);
  if (!problem.empty()) {
    write_all(1, "error: " + problem + "\n");
    return 1;
  }
  SshPool pool(spec->pool);
  for (SshTarget& target : spec->targets) pool.add_host(std::move(target));
  // Kept when the keeper leaves, like ".lock": the next keeper shares it.
  Work work{pool, ::open(keeper_sibling(listener.path, ".busy").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)};
  write_all(1, "ready\n");
  int null = ::open("/dev/null", O_RDWR);
  ::dup2(null, 0);
  ::dup2(null, 1);
  if (null > 2) ::close(null);
  return serve_until_idle(listener, work, persist);
}

}  // namespace skiff::drivers
