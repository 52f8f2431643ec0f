#include "drivers/git/ssh_signature.hpp"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <chrono>
#include <optional>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "base/text.hpp"
#include "base/unique_fd.hpp"

extern char** environ;

namespace skiff::drivers {

namespace {

using base::UniqueFd;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kRunTimeout{10};
// ssh-keygen answers in a line or a few; past this it is not answering.
constexpr size_t kMaxOutput = 256 * 1024;
constexpr std::string_view kSshArmour = "-----BEGIN SSH SIGNATURE-----";
constexpr std::string_view kGood = "Good \"git\" signature ";

Error io_error(const std::string& what, int err) { return make_error(ErrorCode::kIo, what + ": " + strerror(err)); }

// A file below $TMPDIR made with mkostemp (0600, close-on-exec), removed
// when its owner goes, whichever way a verification ends.
class TempFile {
 public:
  static Result<TempFile> make(std::string_view contents);
  TempFile(TempFile&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  TempFile& operator=(TempFile&& other) noexcept {
    std::swap(path_, other.path_);
    return *this;
  }
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

Result<TempFile> TempFile::make(std::string_view contents) {
  const char* dir = ::getenv("TMPDIR");
  std::string name = std::string(dir && *dir ? dir : "/tmp") + "/skiff-signature-XXXXXX";
  UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (fd.get() < 0) return io_error("temporary file " + name, errno);
  TempFile file(name);  // removed from here on, should a write fail
  for (size_t done = 0; done < contents.size();) {
    const ssize_t n = ::write(fd.get(), contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("write " + name, errno);
    done += static_cast<size_t>(n);
  }
  return file;
}

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

Result<Pipe> make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return io_error("pipe", errno);
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Starts `ssh-keygen ARGS` (found on PATH, no shell between) reading
// `stdin_path`, writing to the pipes; with an empty signal mask and the
// default SIGPIPE whatever skiff has set.
Result<pid_t> spawn_ssh_keygen(const std::vector<std::string>& args, const std::string& stdin_path, const Pipe& out,
                               const Pipe& err) {
  std::vector<std::string> words{"ssh-keygen"};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
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
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int rc = ::posix_spawnp(&pid, "ssh-keygen", &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc == ENOENT)
    return make_error(ErrorCode::kNotFound,
                      "ssh-keygen is not installed (or not on PATH): install openssh-client to verify SSH signatures");
  if (rc != 0) return io_error("run ssh-keygen", rc);
  return pid;
}

enum class Collected { kDone, kTimedOut, kTooLarge, kFailed };

struct Run {
  int exit_status = -1;  // -1: ended by a signal
  std::string out;
  std::string err;
};

// Reads the child's stdout and stderr until both close, the deadline
// passes, or they hold more than kMaxOutput bytes.
Collected collect(UniqueFd& out, UniqueFd& err, Run& run, Clock::time_point deadline) {
  std::array<char, 16384> buffer;
  UniqueFd* sources[2] = {&out, &err};
  std::string* sinks[2] = {&run.out, &run.err};
  while (out.get() >= 0 || err.get() >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return Collected::kTimedOut;
    std::array<pollfd, 2> polled = {pollfd{out.get(), POLLIN, 0}, pollfd{err.get(), POLLIN, 0}};
    const int ready = ::poll(polled.data(), polled.size(), static_cast<int>(left));
    if (ready < 0 && errno != EINTR) return Collected::kFailed;
    for (int i = 0; ready > 0 && i < 2; ++i) {
      if (!polled[i].revents) continue;
      const ssize_t n = ::read(sources[i]->get(), buffer.data(), buffer.size());
      if (n > 0) sinks[i]->append(buffer.data(), static_cast<size_t>(n));
      if (n == 0 || (n < 0 && errno != EINTR)) sources[i]->reset();
    }
    if (run.out.size() + run.err.size() > kMaxOutput) return Collected::kTooLarge;
  }
  return Collected::kDone;
}

// The child's exit status once it has ended (-1: ended by a signal, or
// not ours to wait for), or nothing when the deadline passes first: a child
// that closed its output may still linger.
std::optional<int> wait_until(pid_t pid, Clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (done < 0 && errno != EINTR) return -1;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
}

// `ssh-keygen ARGS` with `stdin_path` on its stdin, within kRunTimeout.
Result<Run> run_ssh_keygen(const std::vector<std::string>& args, const std::string& stdin_path) {
  const std::string what = "ssh-keygen " + args.at(0) + " " + args.at(1);
  Result<Pipe> out = make_pipe();
  if (!out.ok()) return out.error();
  Result<Pipe> err = make_pipe();
  if (!err.ok()) return err.error();
  Result<pid_t> pid = spawn_ssh_keygen(args, stdin_path, *out, *err);
  if (!pid.ok()) return pid.error();
  // Only the child holds the write ends now, so the reads end when it does.
  out->write.reset();
  err->write.reset();
  const Clock::time_point deadline = Clock::now() + kRunTimeout;
  Run run;
  const Collected collected = collect(out->read, err->read, run, deadline);
  const int collect_errno = errno;
  const std::optional<int> exit_status = collected == Collected::kDone ? wait_until(*pid, deadline) : std::nullopt;
  if (!exit_status) kill_and_reap(*pid);
  if (collected == Collected::kTooLarge)
    return make_error(ErrorCode::kIo, what + " printed more than " + std::to_string(kMaxOutput >> 10) + " KiB");
  if (collected == Collected::kFailed) return io_error("read the output of " + what, collect_errno);
  if (!exit_status)
    return make_error(ErrorCode::kTimeout, what + " did not finish within " + std::to_string(kRunTimeout.count()) + " s");
  run.exit_status = *exit_status;
  return run;
}

// git checks a key's valid-after and valid-before against the committer's
// time rather than the clock, so that a commit made while its key was valid
// stays good. OpenSSH reads such dates as local time, so git writes it in
// local time too. "" (the clock, then) when the commit names no time.
std::string verify_time_option(std::string_view commit) {
  const std::string_view header = commit.substr(0, commit.find("\n\n"));
  for (size_t start = 0; start < header.size();) {
    const size_t end = std::min(header.find('\n', start), header.size());
    const std::string_view line = header.substr(start, end - start);
    start = end + 1;
    if (!line.starts_with("committer ")) continue;
    std::string_view rest = line.substr(std::min(line.rfind('>'), line.size()));
    rest = rest.substr(std::min(rest.find_first_not_of("> "), rest.size()));
    int64_t seconds = 0;
    std::from_chars(rest.data(), rest.data() + rest.size(), seconds);
    const time_t when = static_cast<time_t>(seconds);
    struct tm local = {};
    char text[32] = {};
    if (seconds <= 0 || !::localtime_r(&when, &local) || std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &local) == 0) return "";
    return std::string("-Overify-time=") + text;
  }
  return "";
}

// What every ssh-keygen run of one verification is given.
struct Inputs {
  std::string allowed_signers;
  TempFile signature;
  TempFile signed_data;
  std::string verify_time;  // "-Overify-time=..." or ""
};

Result<Inputs> prepare(const CommitSignature& signature, const std::string& allowed_signers) {
  // libgit2 hands the armour over without the newline that ends its last
  // line in the commit; ssh-keygen reads the file as git writes it, ended.
  std::string armour = signature.signature;
  if (armour.back() != '\n') armour += '\n';
  Result<TempFile> signature_file = TempFile::make(armour);
  if (!signature_file.ok()) return signature_file.error();
  Result<TempFile> data_file = TempFile::make(signature.signed_data);
  if (!data_file.ok()) return data_file.error();
  return Inputs{allowed_signers, std::move(*signature_file), std::move(*data_file), verify_time_option(signature.signed_data)};
}

std::vector<std::string> with_time(std::vector<std::string> args, const Inputs& in) {
  if (!in.verify_time.empty()) args.push_back(in.verify_time);
  return args;
}

// The principals whose lines in the allowed-signers file name the
// signature's key, one a line as ssh-keygen prints them (a line may end in
// "\r", as git allows); none when no line does.
Result<std::vector<std::string>> find_principals(const Inputs& in) {
  Result<Run> run =
      run_ssh_keygen(with_time({"-Y", "find-principals", "-f", in.allowed_signers, "-s", in.signature.path()}, in), "/dev/null");
  if (!run.ok()) return run.error();
  if (run->exit_status != 0 && run->err.find("usage:") != std::string::npos)
    return make_error(ErrorCode::kUnsupported,
                      "ssh-keygen is too old to verify SSH signatures as git does (it needs -Y find-principals and "
                      "-O verify-time): install a newer openssh-client");
  std::vector<std::string> principals;
  if (run->exit_status != 0) return principals;
  for (size_t start = 0; start < run->out.size();) {
    const size_t end = std::min(run->out.find('\n', start), run->out.size());
    std::string line = run->out.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) principals.push_back(std::move(line));
  }
  return principals;
}

struct GoodLine {
  std::string principal;  // empty from check-novalidate
  std::string fingerprint;
};

// ssh-keygen's first line after a signature checked out:
//   Good "git" signature for PRINCIPAL with ED25519 key SHA256:...
// or, from check-novalidate, without "for PRINCIPAL". A principal may hold
// " with ", so it ends at the last one, as git reads it.
std::optional<GoodLine> parse_good(std::string_view out) {
  std::string_view line = out.substr(0, out.find('\n'));
  if (!line.starts_with(kGood)) return std::nullopt;
  line.remove_prefix(kGood.size());
  GoodLine good;
  if (line.starts_with("for ")) {
    const size_t with = line.rfind(" with ");
    if (with == std::string_view::npos || with <= 4) return std::nullopt;
    good.principal = line.substr(4, with - 4);
    line.remove_prefix(with + 1);
  } else if (!line.starts_with("with ")) {
    return std::nullopt;
  }
  const size_t key = line.find("key ");
  if (key == std::string_view::npos || key + 4 == line.size()) return std::nullopt;
  good.fingerprint = line.substr(key + 4);
  return good;
}

SignatureVerdict refused(std::string reason, std::string fingerprint = "") {
  return SignatureVerdict{false, "", std::move(fingerprint), std::move(reason)};
}

// "signature does not verify", with the last line ssh-keygen said why in.
SignatureVerdict does_not_verify(const Run& run) {
  const std::string said = base::without_trailing_space(run.err.empty() ? run.out : run.err);
  const size_t newline = said.rfind('\n');
  const std::string last = base::printable(newline == std::string::npos ? said : said.substr(newline + 1));
  return refused(last.empty() ? "signature does not verify" : "signature does not verify: " + last);
}

// No principal allows the key. check-novalidate still names the key when
// the signature is sound over the data, as git shows it; the commit is
// refused either way.
Result<SignatureVerdict> refuse_unknown_key(const Inputs& in) {
  Result<Run> run =
      run_ssh_keygen(with_time({"-Y", "check-novalidate", "-n", "git", "-s", in.signature.path()}, in), in.signed_data.path());
  if (!run.ok()) return run.error();
  const std::optional<GoodLine> good = run->exit_status == 0 ? parse_good(run->out) : std::nullopt;
  if (!good) return does_not_verify(*run);
  return refused("no principal in " + in.allowed_signers + " allows key " + good->fingerprint, good->fingerprint);
}

// Tries each principal in turn, as git does, until ssh-keygen -Y verify
// says the signature is theirs over the signed data.
Result<SignatureVerdict> verify_for(const Inputs& in, const std::vector<std::string>& principals) {
  Run last;
  for (const std::string& principal : principals) {
    Result<Run> run = run_ssh_keygen(
        with_time({"-Y", "verify", "-n", "git", "-f", in.allowed_signers, "-I", principal, "-s", in.signature.path()}, in),
        in.signed_data.path());
    if (!run.ok()) return run.error();
    const std::optional<GoodLine> good = run->exit_status == 0 ? parse_good(run->out) : std::nullopt;
    if (good && !good->principal.empty()) return SignatureVerdict{true, good->principal, good->fingerprint, ""};
    last = std::move(*run);
  }
  return does_not_verify(last);
}

// A missing file would otherwise read as "no principal allows the key".
Status check_allowed_signers(const std::string& path) {
  const std::string what = "allowed signers file " + path;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return make_error(ErrorCode::kInvalidArgument, what + ": " + strerror(errno));
  struct stat info = {};
  if (::fstat(fd.get(), &info) != 0) return io_error(what, errno);
  if (!S_ISREG(info.st_mode)) return make_error(ErrorCode::kInvalidArgument, what + ": not a file");
  return Status::success();
}

// Why an armour that is not SSH's is refused.
std::string not_ssh_reason(std::string_view armour) {
  for (std::string_view gpg : {"-----BEGIN PGP SIGNATURE-----", "-----BEGIN PGP MESSAGE-----", "-----BEGIN SIGNED MESSAGE-----"})
    if (armour.starts_with(gpg)) return "signed with a GPG/X.509 signature, not SSH";
  return "signed with a signature that is not SSH";
}

}  // namespace

Result<SignatureVerdict> verify_ssh_signature(const CommitSignature& signature, const std::string& allowed_signers_file) {
  Status readable = check_allowed_signers(allowed_signers_file);
  if (!readable.ok()) return readable.error();
  if (signature.signature.empty()) return refused("unsigned");
  if (!std::string_view(signature.signature).starts_with(kSshArmour)) return refused(not_ssh_reason(signature.signature));
  Result<Inputs> inputs = prepare(signature, allowed_signers_file);
  if (!inputs.ok()) return inputs.error();
  Result<std::vector<std::string>> principals = find_principals(*inputs);
  if (!principals.ok()) return principals.error();
  if (principals->empty()) return refuse_unknown_key(*inputs);
  return verify_for(*inputs, *principals);
}

}  // namespace skiff::drivers
