// The skiff side of the SSH keeper: finding or starting it, and sending it
// batches (ssh_keeper.hpp).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "base/digest.hpp"
#include "base/owned_directory.hpp"
#include "drivers/ssh/keeper/keeper_io.hpp"
#include "drivers/ssh/keeper/ssh_keeper.hpp"

namespace skiff::drivers {
namespace {

std::string errno_text() { return std::strerror(errno); }

// Connects to the keeper's socket; -1 when nothing listens there (or the
// path is too long to be one).
int connect_socket(const std::string& path) {
  std::optional<sockaddr_un> address = unix_socket_address(path);
  if (!address) return -1;
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&*address), sizeof(*address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Starts `skiff __ssh-keeper SOCKET PERSIST_MS` detached from this process
// (its own session, reparented away, no descriptor of ours but the two
// pipes), hands it the spec and waits for its "ready".
Status start_keeper(const std::string& path, const std::string& spec_bytes, const KeeperOptions& options) {
  std::string persist_ms = std::to_string(options.persist.count());
  std::vector<char*> argv{const_cast<char*>(options.executable.c_str()), const_cast<char*>(kKeeperCommand),
                          const_cast<char*>(path.c_str()), persist_ms.data(), nullptr};
  int spec_pipe[2], ready_pipe[2];
  if (::pipe2(spec_pipe, O_CLOEXEC) != 0) return make_error(ErrorCode::kIo, "pipe: " + errno_text());
  if (::pipe2(ready_pipe, O_CLOEXEC) != 0) {
    ::close(spec_pipe[0]);
    ::close(spec_pipe[1]);
    return make_error(ErrorCode::kIo, "pipe: " + errno_text());
  }
  pid_t child = ::fork();
  if (child == 0) {
    // Only async-signal-safe calls from here to exec.
    ::setsid();
    if (::fork() != 0) ::_exit(0);
    int null = ::open("/dev/null", O_RDWR);
    if (::dup2(spec_pipe[0], 0) < 0 || ::dup2(ready_pipe[1], 1) < 0 || null < 0 || ::dup2(null, 2) < 0) ::_exit(127);
    // Every other descriptor closes: an inherited state-lock file or SSH
    // socket would keep a lock alive after its skiff died.
    ::close_range(3, ~0u, 0);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(spec_pipe[0]);
  ::close(ready_pipe[1]);
  if (child < 0) {
    ::close(spec_pipe[1]);
    ::close(ready_pipe[0]);
    return make_error(ErrorCode::kIo, "fork: " + errno_text());
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  bool written = write_all(spec_pipe[1], spec_bytes);
  ::close(spec_pipe[1]);
  std::string said = read_line_within(ready_pipe[0], std::chrono::seconds(10));
  ::close(ready_pipe[0]);
  if (said == "ready") return Status::success();
  return make_error(ErrorCode::kIo,
                    "the SSH keeper (" + options.executable + " " + kKeeperCommand + ") did not start" +
                        (said.empty() ? (written ? "" : ": could not hand it its hosts") : ": " + said));
}

// Whether the keeper is running a batch (for another run) just now.
bool keeper_is_busy(const std::string& socket_path) {
  int busy = ::open(keeper_sibling(socket_path, ".busy").c_str(), O_RDONLY | O_CLOEXEC);
  if (busy < 0) return false;
  bool locked = ::flock(busy, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  ::close(busy);
  return locked;
}

}  // namespace

Result<std::string> keeper_directory(const std::string& runtime_dir) {
  std::string dir =
      !runtime_dir.empty() && runtime_dir[0] == '/' ? runtime_dir + "/skiff" : "/tmp/skiff-" + std::to_string(::geteuid());
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return make_error(ErrorCode::kIo, "cannot create " + dir + ": " + errno_text());
  Result<base::UniqueFd> checked = base::open_owned_directory(dir, "SSH keeper sockets", base::OthersMay::kNothing);
  if (!checked.ok()) return checked.error();
  return dir;
}

std::string keeper_socket_path(const std::string& directory, const std::string& spec_bytes, const KeeperOptions& options) {
  std::string binary = options.executable;
  struct stat st {};
  if (::stat(options.executable.c_str(), &st) == 0)
    binary +=
        ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
  std::string key = spec_bytes;
  for (const std::string& part : {std::to_string(options.persist.count()), options.agent_socket, options.version, binary})
    key += '\0' + part;
  return directory + "/keeper-" + base::sha256_hex_prefix(key, 16) + ".sock";
}

std::string keeper_sibling(const std::string& socket_path, const std::string& suffix) {
  const std::string sock = ".sock";
  bool named = socket_path.size() >= sock.size() && socket_path.compare(socket_path.size() - sock.size(), sock.size(), sock) == 0;
  return (named ? socket_path.substr(0, socket_path.size() - sock.size()) : socket_path) + suffix;
}

KeptSshFleet::KeptSshFleet(SshPoolOptions pool, KeeperOptions options) : options_(std::move(options)) { spec_.pool = pool; }

KeptSshFleet::~KeptSshFleet() {
  if (fd_ >= 0) ::close(fd_);
}

void KeptSshFleet::add_host(SshTarget target) {
  for (SshTarget& t : spec_.targets)
    if (t.name == target.name) {
      t = std::move(target);
      return;
    }
  spec_.targets.push_back(std::move(target));
}

Status KeptSshFleet::reach_keeper() {
  Result<std::string> dir = keeper_directory(options_.runtime_dir);
  if (!dir.ok()) return dir.error();
  std::string spec_bytes = encode_keeper_spec(spec_);
  socket_path_ = keeper_socket_path(*dir, spec_bytes, options_);
  if ((fd_ = connect_socket(socket_path_)) >= 0) return Status::success();
  // Under a lock, so that two skiffs starting at once start one keeper.
  std::string lock_path = keeper_sibling(socket_path_, ".lock");
  int lock = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) return make_error(ErrorCode::kIo, "cannot open " + lock_path + ": " + errno_text());
  ::flock(lock, LOCK_EX);
  Status started = Status::success();
  if ((fd_ = connect_socket(socket_path_)) < 0) {
    ::unlink(socket_path_.c_str());  // a keeper that died without removing it
    started = start_keeper(socket_path_, spec_bytes, options_);
    if (started.ok() && (fd_ = connect_socket(socket_path_)) < 0)
      started = make_error(ErrorCode::kIo, "cannot connect to the SSH keeper at " + socket_path_ + ": " + errno_text());
  }
  ::close(lock);
  return started;
}

std::vector<Result<CommandResult>> KeptSshFleet::run_all(const std::vector<HostCommand>& batch) {
  if (fd_ < 0 && !direct_) {
    Status reached = reach_keeper();
    if (!reached.ok() && options_.warn)
      options_.warn("cannot keep SSH connections (" + reached.error().message + "); connecting directly");
    // Busy with another run's batch: this run would wait behind it.
    if (reached.ok() && !options_.wait_when_busy && keeper_is_busy(socket_path_)) {
      ::close(fd_);
      fd_ = -1;
    }
    if (fd_ < 0) {
      direct_ = std::make_unique<SshPool>(spec_.pool);
      for (const SshTarget& t : spec_.targets) direct_->add_host(t);
    }
  }
  if (direct_) return direct_->run_all(batch);
  std::string reply;
  Result<std::vector<Result<CommandResult>>> results = make_error(ErrorCode::kUnavailable, "no reply");
  if (write_all(fd_, frame(encode_batch(batch))) && read_frame(fd_, reply)) results = decode_results(reply);
  if (results.ok() && results->size() == batch.size()) return std::move(*results);
  ::close(fd_);
  fd_ = -1;
  std::string why = results.ok() ? "a reply of the wrong length" : results.error().message;
  return std::vector<Result<CommandResult>>(
      batch.size(),
      make_error(ErrorCode::kUnavailable,
                 "the SSH keeper at " + socket_path_ + " went away during the command (" + why + "); whether it ran is unknown"));
}

}  // namespace skiff::drivers
