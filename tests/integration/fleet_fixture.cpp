#include "fleet_fixture.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "drivers/local_transport.hpp"
#include "drivers/shell_quote.hpp"

namespace skiff::testing {

namespace {

constexpr int kFleetSize = 5;

std::string fleet_script() { return std::string(SKIFF_SOURCE_DIR) + "/tests/fleet/fleet"; }

// Forks a child that blocks reading a pipe this process holds open and,
// once it reads EOF (this process ended, however), runs `fleet down`.
void start_teardown_watchdog(const std::string& dir) {
  int fds[2];
  if (::pipe(fds) != 0) return;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[1]);
    ::setsid();  // out of the terminal's process group: ^C must not kill it
    ::signal(SIGINT, SIG_IGN);
    char byte;
    while (::read(fds[0], &byte, 1) > 0) {}
    std::string line =
        drivers::shell_join({fleet_script(), "down", "--dir", dir}) + " >/dev/null 2>&1; rm -rf " + drivers::shell_quote(dir);
    ::execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  // The write end stays open, unread, for this process's whole life.
  static int keep_open = fds[1];
  (void)keep_open;
  // A normal exit waits for the teardown so the next run starts clean.
  static pid_t watchdog = pid;
  std::atexit([] {
    ::close(keep_open);
    int status;
    ::waitpid(watchdog, &status, 0);
  });
}

}  // namespace

ShellResult sh(const std::string& line) {
  drivers::LocalTransport local;
  auto r = local.run(drivers::Command{{"sh", "-c", line + " 2>&1"}, std::nullopt, std::chrono::minutes(5)});
  if (!r.ok()) return ShellResult{-1, r.error().message};
  return ShellResult{r->exit_status, r->stdout_data};
}

Result<TestFleet*> TestFleet::get() {
  static std::unique_ptr<TestFleet> fleet;
  static std::optional<Error> failed;
  if (fleet) return fleet.get();
  if (failed) return *failed;
  auto f = std::make_unique<TestFleet>();
  if (const char* dir = std::getenv("SKIFF_FLEET_DIR"); dir && *dir) {
    f->dir_ = dir;
  } else {
    char tmpl[] = "/tmp/skiff-fleet-XXXXXX";
    if (!::mkdtemp(tmpl)) return *(failed = make_error(ErrorCode::kIo, "mkdtemp failed"));
    f->dir_ = tmpl;
    start_teardown_watchdog(f->dir_);
    auto up = sh(drivers::shell_join({fleet_script(), "up", std::to_string(kFleetSize), "--containers", "--dir", f->dir_}));
    if (up.status != 0) {
      return *(failed = make_error(ErrorCode::kUnavailable, "fleet up failed: " + up.output));
    }
  }
  if (Status s = f->load_hosts(); !s.ok()) return *(failed = s.error());
  fleet = std::move(f);
  return fleet.get();
}

// hosts.tsv: one host a line, tab-separated: name, address and, optionally,
// the sshd port; '#' comments and a "name" header line are skipped.
Status TestFleet::load_hosts() {
  std::ifstream in(dir_ + "/hosts.tsv");
  if (!in) return make_error(ErrorCode::kNotFound, "no " + dir_ + "/hosts.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("name\t", 0) == 0) continue;
    std::istringstream fields(line);
    FleetHost host;
    std::string port;
    std::getline(fields, host.name, '\t');
    std::getline(fields, host.address, '\t');
    if (std::getline(fields, port, '\t') && !port.empty() && std::isdigit(static_cast<unsigned char>(port[0]))) {
      host.port = std::stoi(port);
    }
    if (!host.name.empty() && !host.address.empty()) hosts_.push_back(host);
  }
  if (hosts_.size() < 5) return make_error(ErrorCode::kUnavailable, "the fleet has fewer than 5 hosts");
  return Status::success();
}

drivers::SshTarget TestFleet::target(size_t i) const {
  drivers::SshTarget t;
  t.name = hosts_.at(i).name;
  t.address = hosts_.at(i).address;
  t.port = hosts_.at(i).port;
  t.user = "root";
  t.identity_files = {client_key()};
  t.known_hosts_files = {known_hosts()};
  t.strict = drivers::StrictHostKeys::kYes;
  t.connect_timeout = std::chrono::seconds(10);
  t.command_timeout = std::chrono::seconds(60);
  return t;
}

Status TestFleet::fault(const std::string& verb, const std::string& host) const {
  auto r = sh(drivers::shell_join({fleet_script(), verb, host, "--dir", dir_}));
  if (r.status != 0) return make_error(ErrorCode::kIo, "fleet " + verb + " " + host + ": " + r.output);
  return Status::success();
}

TestFleet& fleet() {
  auto f = TestFleet::get();
  if (!f.ok()) FAIL("test fleet unavailable: " << f.error().message);
  return **f;
}

ShellResult run_skiff(const TestFleet& f, const std::string& args, bool with_stderr) {
  return sh("(cd " + drivers::shell_quote(f.dir()) + " && " + SKIFF_BINARY + " " + args + (with_stderr ? "" : " 2>/dev/null") +
            ")");
}

}  // namespace skiff::testing
