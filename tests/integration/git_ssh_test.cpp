// git over SSH against a real sshd serving a real bare repository: the
// test starts its own sshd on a loopback port as the current user, with a
// host key, authorized_keys and a home (~/.ssh/config, known_hosts, keys)
// of its own, and fetches through the libgit2 GitSource. A fetch works
// over ssh:// and through a Host alias of the ssh config; an unknown host
// key is refused with its SHA256 fingerprint, a changed one as OpenSSH
// refuses it, and a key the server does not take ends in a clear error.
//
// Needs /usr/sbin/sshd, ssh-keygen and git on this machine, no fleet.
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "drivers/git/libgit2_source.hpp"
#include "drivers/shell_quote.hpp"
#include "support/git_repo.hpp"
#include "support/test_files.hpp"

using namespace skiff::drivers;
namespace fs = std::filesystem;
using skiff::Result;
using skiff::testing::read_test_file;
using skiff::testing::write_test_file;

namespace {

// Runs `line` through /bin/sh; its output. The calling test fails when the
// command does.
std::string run(const std::string& line) {
  FILE* pipe = ::popen((line + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  INFO(line << "\n" << out);
  REQUIRE(::pclose(pipe) == 0);
  return out;
}

void make_key(const fs::path& path) { run("ssh-keygen -q -t ed25519 -N '' -C '' -f " + shell_quote(path.string())); }

// "SHA256:..." as OpenSSH's ssh-keygen -l prints it for a public key file.
std::string openssh_fingerprint(const fs::path& pub) {
  const std::string line = run("ssh-keygen -l -f " + shell_quote(pub.string()));
  const size_t begin = line.find("SHA256:");
  REQUIRE(begin != std::string::npos);
  return line.substr(begin, line.find(' ', begin) - begin);
}

// "ssh-ed25519 AAAA..." of a public key file, without its comment.
std::string public_key(const fs::path& pub) {
  std::string text = read_test_file(pub);
  const size_t second_space = text.find(' ', text.find(' ') + 1);
  return text.substr(0, std::min(second_space, text.find('\n')));
}

std::string current_user() {
  const passwd* pw = ::getpwuid(::geteuid());
  REQUIRE(pw != nullptr);
  return pw->pw_name;
}

// A port on 127.0.0.1 that was free a moment ago: bound, read and let go.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
  ::close(fd);
  REQUIRE(bound);
  return ntohs(address.sin_port);
}

// An sshd on 127.0.0.1 as the current user, with a host key and an
// authorized_keys file of its own in `dir`. Stopped at scope exit, by its
// PID only, whether the test passed or not; if this process dies first,
// the kernel sends sshd SIGTERM (PR_SET_PDEATHSIG).
class TestSshd {
 public:
  TestSshd(const fs::path& dir, const fs::path& authorized_key) : dir_(dir) {
    fs::create_directories(dir_);
    make_key(dir_ / "host_key");
    fs::copy_file(authorized_key, dir_ / "authorized_keys");
    // As root, sshd insists on its privilege separation directory, which a
    // machine that never ran the sshd service lacks.
    if (::geteuid() == 0 && !fs::exists("/run/sshd")) {
      fs::create_directories("/run/sshd");
      ::chmod("/run/sshd", 0755);
    }
    // A port found free can be taken before sshd binds it: try another.
    for (int attempt = 0; attempt < 5 && pid_ < 0; ++attempt) start(free_port());
    INFO(read_test_file(dir_ / "sshd.log"));
    REQUIRE(pid_ > 0);
  }
  ~TestSshd() { stop(); }
  TestSshd(const TestSshd&) = delete;
  TestSshd& operator=(const TestSshd&) = delete;

  int port() const { return port_; }
  fs::path host_key_pub() const { return dir_ / "host_key.pub"; }
  // The known_hosts line for this server's key.
  std::string known_hosts_line() const { return "[127.0.0.1]:" + std::to_string(port_) + " " + public_key(host_key_pub()); }

 private:
  void write_config() const {
    const std::string d = dir_.string();
    write_test_file(dir_ / "sshd_config",
                    "ListenAddress 127.0.0.1:" + std::to_string(port_) + "\nHostKey " + d + "/host_key\nPidFile " + d +
                        "/sshd.pid\nAuthorizedKeysFile " + d +
                        "/authorized_keys\n"
                        "StrictModes no\nUsePAM no\nPermitRootLogin prohibit-password\n"
                        "PubkeyAuthentication yes\nPasswordAuthentication no\n"
                        "KbdInteractiveAuthentication no\nUseDNS no\nPrintMotd no\n");
  }

  // Starts sshd on `port`; pid_ stays -1 when it exits before it listens
  // (it writes its PidFile once it does).
  void start(int port) {
    port_ = port;
    write_config();
    fs::remove(dir_ / "sshd.pid");
    const std::string config = (dir_ / "sshd_config").string();
    const std::string log = (dir_ / "sshd.log").string();
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      // What sshd says before it reads -E lands in the same log.
      const int null = ::open("/dev/null", O_RDONLY);
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(null, 0);
      ::dup2(out, 1);
      ::dup2(out, 2);
      // By its absolute path: sshd re-executes itself for each connection.
      ::execl("/usr/sbin/sshd", "/usr/sbin/sshd", "-D", "-f", config.c_str(), "-E", log.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (fs::exists(dir_ / "sshd.pid")) {
        pid_ = child;
        return;
      }
      int status = 0;
      if (::waitpid(child, &status, WNOHANG) == child) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

  fs::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

// A bare repository with one commit, served by a TestSshd, and a home
// whose ~/.ssh holds the client's keys (the authorized one and a stranger),
// a config naming the server "gitbox", and an empty known_hosts.
struct GitOverSsh {
  skiff::testing::GitRepo work{"work"};
  fs::path bare = work.root / "fleet.git";
  fs::path home = work.root / "home";
  std::string user = current_user();
  std::string first;

  GitOverSsh() {
    fs::create_directories(home / ".ssh");
    make_key(home / ".ssh/id_ed25519");
    make_key(home / ".ssh/stranger");
    sshd = std::make_unique<TestSshd>(work.root / "sshd", home / ".ssh/id_ed25519.pub");
    work.write("jobs/web.nomad.hcl", "job \"web\" {}\n");
    first = work.commit("add web");
    run("git init -q --bare -b main " + shell_quote(bare.string()));
    push();
    write_config("~/.ssh/id_ed25519");
    write_test_file(home / ".ssh/known_hosts", "");
  }

  void push() const { work.git("push -q " + shell_quote(bare.string()) + " main"); }
  void write_config(const std::string& identity) const {
    write_test_file(home / ".ssh/config",
                    "Host gitbox\n  HostName 127.0.0.1\n  Port " + std::to_string(sshd->port()) + "\n  User " + user +
                        "\n  IdentityFile " + identity + "\n");
  }
  void trust(const std::string& known_hosts_line) const { write_test_file(home / ".ssh/known_hosts", known_hosts_line + "\n"); }
  std::string ssh_url() const { return "ssh://" + user + "@127.0.0.1:" + std::to_string(sshd->port()) + bare.string(); }

  // A fetch from `url` into a cache of its own; its commit or its error.
  Result<GitCommit> fetch(const std::string& url, const std::string& cache = "cache") const {
    GitSourceOptions options{url, "", (work.root / cache).string()};
    options.home_dir = home.string();
    auto source = open_libgit2_source(options);
    if (!source.ok()) return source.error();
    return (*source)->fetch();
  }
  std::string refusal(const std::string& url) const {
    Result<GitCommit> fetched = fetch(url);
    REQUIRE_FALSE(fetched.ok());
    return fetched.error().message;
  }

  std::unique_ptr<TestSshd> sshd;
};

}  // namespace

TEST_CASE("git over ssh: ssh:// and a Host alias of the ssh config fetch with the server's key in known_hosts",
          "[integration][git_ssh]") {
  GitOverSsh s;
  s.trust(s.sshd->known_hosts_line());

  Result<GitCommit> fetched = s.fetch(s.ssh_url());
  if (!fetched.ok()) FAIL(fetched.error().message);
  CHECK(fetched->id == s.first);

  // "gitbox:" names the server only through ~/.ssh/config (HostName, Port,
  // User, IdentityFile); the next commit arrives with the next fetch.
  s.work.write("jobs/web.nomad.hcl", "job \"web\" { count = 2 }\n");
  const std::string second = s.work.commit("two webs");
  s.push();
  GitSourceOptions options{"gitbox:" + s.bare.string(), "", (s.work.root / "alias-cache").string()};
  options.home_dir = s.home.string();
  auto source = open_libgit2_source(options);
  REQUIRE(source.ok());
  fetched = (*source)->fetch();
  if (!fetched.ok()) FAIL(fetched.error().message);
  CHECK(fetched->id == second);
  auto tree = (*source)->read_tree(second, "jobs");
  REQUIRE(tree.ok());
  CHECK(tree->files.at("web.nomad.hcl") == "job \"web\" { count = 2 }\n");
}

TEST_CASE("git over ssh: an unknown host key is refused with its SHA256 fingerprint", "[integration][git_ssh]") {
  GitOverSsh s;
  const std::string port = std::to_string(s.sshd->port());
  const std::string known_hosts = (s.home / ".ssh/known_hosts").string();
  CHECK(s.refusal(s.ssh_url()) ==
        "git fetch " + s.ssh_url() + ": host key of 127.0.0.1:" + port + " is not known (" +
            openssh_fingerprint(s.sshd->host_key_pub()) + "): check that ED25519 fingerprint, then add the key to " +
            known_hosts + " (ssh-keyscan -p " + port + " -t ed25519 127.0.0.1 >> " + known_hosts + ")");
}

TEST_CASE("git over ssh: a changed host key is refused as OpenSSH refuses it", "[integration][git_ssh]") {
  GitOverSsh s;
  make_key(s.work.root / "impostor");
  s.trust("[127.0.0.1]:" + std::to_string(s.sshd->port()) + " " + public_key(s.work.root / "impostor.pub"));
  const std::string message = s.refusal(s.ssh_url());
  CHECK_THAT(message,
             Catch::StartsWith("git fetch " + s.ssh_url() + ": WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED for [127.0.0.1]:" +
                               std::to_string(s.sshd->port()) + "!"));
  CHECK_THAT(message,
             Catch::Contains("The fingerprint for the ED25519 key sent by the remote host is " +
                             openssh_fingerprint(s.sshd->host_key_pub())));
  CHECK_THAT(message, Catch::Contains("Offending ED25519 key in " + (s.home / ".ssh/known_hosts").string() + ":1"));
}

TEST_CASE("git over ssh: a client key the server does not take ends in a clear error, not a loop", "[integration][git_ssh]") {
  GitOverSsh s;
  s.trust(s.sshd->known_hosts_line());
  s.write_config("~/.ssh/stranger");
  const auto began = std::chrono::steady_clock::now();
  const std::string message = s.refusal("gitbox:" + s.bare.string());
  CHECK(std::chrono::steady_clock::now() - began < std::chrono::seconds(30));
  const char* sock = std::getenv("SSH_AUTH_SOCK");
  CHECK(message ==
        "git fetch gitbox:" + s.bare.string() + ": ssh " + s.user + "@127.0.0.1:" + std::to_string(s.sshd->port()) +
            ": the server accepted none of the keys offered (" + (sock && *sock ? "ssh-agent, " : "") +
            (s.home / ".ssh/stranger").string() + ")");
}
