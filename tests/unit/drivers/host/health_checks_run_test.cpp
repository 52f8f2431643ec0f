// The check script run for real on this machine (LocalTransport, /bin/sh)
// against a small HTTP server (busybox httpd) and a closed port: what each
// check prints, with this machine's tools and with only busybox's.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "drivers/host/health_checks.hpp"
#include "drivers/local_transport.hpp"

using namespace skiff::drivers;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// A port nothing listens on (until someone takes it).
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

bool accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

std::string shell(const std::string& script) {
  auto r = LocalTransport().run(Command{{"sh", "-c", script}, std::nullopt, 10s});
  return r.ok() ? r->stdout_data : "";
}

// busybox httpd serving a temporary folder with /health on 127.0.0.1.
struct Httpd {
  fs::path dir = fs::temp_directory_path() / ("skiff-checks-" + std::to_string(getpid()));
  int port = free_port();
  pid_t pid = 0;
  Httpd() {
    fs::create_directories(dir / "www");
    std::ofstream(dir / "www" / "health") << "ok\n";
    const std::string started = shell("busybox httpd -f -p 127.0.0.1:" + std::to_string(port) + " -h '" + (dir / "www").string() +
                                      "' >/dev/null 2>&1 & echo $!");
    pid = started.empty() ? 0 : std::stoi(started);
    for (int i = 0; i < 100 && !accepts(port); ++i) std::this_thread::sleep_for(20ms);
  }
  ~Httpd() {
    if (pid > 0) kill(pid, SIGTERM);
    fs::remove_all(dir);
  }
};

HealthCheck http(const std::string& name, int port, const std::string& path) {
  HealthCheck c;
  c.alloc_id = "a1";
  c.service = "web";
  c.name = name;
  c.type = CheckType::kHttp;
  c.address = "127.0.0.1";
  c.port = port;
  c.path = path;
  c.timeout = 2s;
  return c;
}

HealthCheck tcp(const std::string& name, int port) {
  HealthCheck c = http(name, port, "");
  c.type = CheckType::kTcp;
  return c;
}

HealthCheck script(const std::string& name, const std::string& dir, std::vector<std::string> argv) {
  HealthCheck c = http(name, 0, "");
  c.type = CheckType::kScript;
  c.dir = dir;
  c.argv = std::move(argv);
  c.timeout = 1s;
  return c;
}

// Each check's outcome by its index, from running `command` here.
std::map<size_t, CheckOutcome> run(Command command) {
  auto result = LocalTransport().run(command);
  REQUIRE(result.ok());
  std::map<size_t, CheckOutcome> out;
  for (CheckOutcome& o : parse_check_outcomes(result->stdout_data)) out[o.index] = o;
  return out;
}

bool has_busybox() { return !shell("command -v busybox").empty(); }

}  // namespace

TEST_CASE("the check script judges a live HTTP server, a closed port and scripts", "[drivers][checks]") {
  if (!has_busybox()) {
    WARN("busybox is not installed: skipped");
    return;
  }
  Httpd httpd;
  REQUIRE(accepts(httpd.port));
  const int closed = free_port();
  const fs::path marker = httpd.dir / "quoted";
  std::vector<HealthCheck> checks = {
      http("up", httpd.port, "/health"),
      http("missing", httpd.port, "/nope"),
      http("down", closed, "/health"),
      tcp("listening", httpd.port),
      tcp("refused", closed),
      script("in-dir", httpd.dir.string(), {"sh", "-c", "test -d www && echo fine"}),
      script("warns", "", {"sh", "-c", "echo lagging; exit 1"}),
      script("fails", "", {"sh", "-c", "echo 'disk full'; exit 3"}),
      script("hangs", "", {"sleep", "30"}),
      // A name is data: its `$(...)` must never run.
      tcp("$(touch " + marker.string() + ")", httpd.port),
  };
  const auto start = std::chrono::steady_clock::now();
  std::map<size_t, CheckOutcome> out = run(health_checks_command(checks));
  // All at once: the whole round takes about the longest timeout, not the sum.
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  REQUIRE(out.size() == checks.size());
  CHECK(out[0].status == CheckStatus::kPassing);
  CHECK(out[0].detail == "status 200");
  CHECK(out[0].check == "up");
  CHECK(out[0].alloc_id == "a1");
  CHECK(out[1].status == CheckStatus::kFailing);
  CHECK(out[1].detail == "status 404");
  CHECK(out[2].status == CheckStatus::kFailing);
  CHECK(out[2].detail == "no response from 127.0.0.1:" + std::to_string(closed) + " (connection refused or reset)");
  CHECK(out[3].status == CheckStatus::kPassing);
  CHECK(out[4].status == CheckStatus::kFailing);
  CHECK(out[4].detail == "cannot connect to 127.0.0.1:" + std::to_string(closed));
  CHECK(out[5].status == CheckStatus::kPassing);
  CHECK(out[5].detail == "exit 0: fine");
  CHECK(out[6].status == CheckStatus::kWarning);
  CHECK(out[6].detail == "exit 1: lagging");
  CHECK(out[7].status == CheckStatus::kFailing);
  CHECK(out[7].detail == "exit 3: disk full");
  CHECK(out[8].status == CheckStatus::kFailing);
  CHECK(out[8].detail == "no result within 1 s");
  CHECK(out[9].status == CheckStatus::kPassing);
  CHECK(out[9].check == checks[9].name);
  CHECK_FALSE(fs::exists(marker));
}

TEST_CASE("on a host with only busybox, http checks use its wget and tcp checks say what is missing", "[drivers][checks]") {
  if (!has_busybox()) {
    WARN("busybox is not installed: skipped");
    return;
  }
  Httpd httpd;
  REQUIRE(accepts(httpd.port));
  // A PATH with busybox and the few POSIX tools the script itself uses:
  // no curl, no wget, no bash, no nc, no timeout (the shell's watchdog).
  const fs::path bin = httpd.dir / "bin";
  fs::create_directories(bin);
  for (const char* tool : {"sh", "date", "tr", "cut", "sed", "head", "sleep", "kill", "grep", "busybox"}) {
    const std::string found = shell(std::string("command -v ") + tool);
    REQUIRE_FALSE(found.empty());
    fs::create_symlink(found.substr(0, found.find('\n')), bin / tool);
  }
  Command command = health_checks_command({http("up", httpd.port, "/health"), http("missing", httpd.port, "/nope"),
                                           tcp("listening", httpd.port), script("hangs", "", {"sleep", "30"})});
  command.argv = {"env", "PATH=" + bin.string(), "sh", "-s"};
  std::map<size_t, CheckOutcome> out = run(command);
  REQUIRE(out.size() == 4);
  CHECK(out[0].status == CheckStatus::kPassing);
  CHECK(out[1].status == CheckStatus::kFailing);
  CHECK(out[1].detail == "status 404");
  CHECK(out[2].status == CheckStatus::kMissingTool);
  CHECK(out[2].detail == "a tcp check needs bash or an nc that takes -z on the host");
  CHECK(out[3].status == CheckStatus::kFailing);
  CHECK(out[3].detail == "no result within 1 s");
}
