// What skiff writes, truncates, reads back or removes in an allocation's
// folder never goes through a symbolic link a task put there
// (drivers/scripts/symlink_guard.sh). First the guard's functions and the
// log rotation with each sh a host may have; then the real commands (start,
// restart, logs, alloc.json update, purge) run on this machine over a data
// dir in a temporary folder, with links toward a canary file outside it:
// the canary never changes, and each refusal names the link.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "drivers/host/observe.hpp"
#include "drivers/local_transport.hpp"
#include "drivers/shell_quote.hpp"
#include "drivers/task/alloc_json_write.hpp"
#include "drivers/task/supervisor.hpp"
#include "support/job_from_hcl.hpp"
#include "support/test_files.hpp"

using namespace skiff::drivers;
namespace fs = std::filesystem;
using skiff::testing::read_test_file;
using skiff::testing::write_test_file;

namespace {

constexpr const char* kCanaryText = "the operator's own file\n";

// A folder holding a canary file (outside any data dir) and whatever a test
// puts beside it; removed at the end.
struct Sandbox {
  fs::path top = fs::temp_directory_path() / ("skiff-symlink-guard-" + std::to_string(::getpid()));
  fs::path canary = top / "canary";
  Sandbox() {
    fs::remove_all(top);
    write_test_file(canary, kCanaryText);
  }
  ~Sandbox() { fs::remove_all(top); }
  // Replaces `path` (a file, a folder or nothing) with a link to `target`.
  void plant(const fs::path& path, const fs::path& target) const {
    fs::remove_all(path);
    fs::create_directories(path.parent_path());
    fs::create_symlink(target, path);
  }
};

std::string source_script(const std::string& name) {
  return ". " + shell_quote((fs::path(SKIFF_SOURCE_DIR) / "drivers" / "scripts" / name).string()) + "\n";
}

// What `shell -c script` printed on stdout and stderr.
std::string run(const std::string& shell, const std::string& script) {
  std::string out;
  FILE* pipe = ::popen(("exec " + shell + " -c " + shell_quote(script) + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

std::vector<std::string> shells() {
  std::vector<std::string> out = {"sh"};
  if (std::system("command -v busybox >/dev/null 2>&1") == 0) out.push_back("busybox sh");
  return out;
}

}  // namespace

TEST_CASE("no_links names the link, on the way or at the end; write_whole writes nothing through one", "[symlink_guard]") {
  for (const std::string& shell : shells()) {
    INFO(shell);
    Sandbox box;
    const fs::path a = box.top / "allocs" / "a1";
    fs::create_directories(a / "app" / "local");
    box.plant(a / "app" / "local" / "app.conf", box.canary);
    box.plant(a / "alloc", box.top);
    const std::string at = shell_quote(a.string());
    const std::string out = run(shell,
                                source_script("symlink_guard.sh") + "a=" + at +
                                    "\nno_links write \"$a\" \"$a/app/local/app.conf\" || echo \"1: $refused\""
                                    "\nno_links write \"$a\" \"$a/alloc/canary\" || echo 2"
                                    "\nno_links write \"$a\" \"$a/app/local/new\" && echo 3: fine"
                                    "\nwrite_whole \"$a\" \"$a/app/local/app.conf\" owned || echo 4: refused"
                                    "\nwrite_whole \"$a\" \"$a/alloc/canary\" owned || echo 5: refused"
                                    "\nwrite_whole \"$a\" \"$a/app/local/new\" 'new text' 0640 && echo 6: written"
                                    "\nwrite_whole \"$a\" \"$a/app/local\" x || echo 7: refused\n");
    INFO(out);
    const std::string conf = a.string() + "/app/local/app.conf";
    CHECK_THAT(out, Catch::Contains("1: refusing to write " + conf + ": it is a symbolic link\n"));
    CHECK_THAT(
        out,
        Catch::Contains("refusing to write " + a.string() + "/alloc/canary: " + a.string() + "/alloc is a symbolic link\n2\n"));
    CHECK_THAT(out,
               Catch::Contains("3: fine") && Catch::Contains("4: refused") && Catch::Contains("5: refused") &&
                   Catch::Contains("6: written") && Catch::Contains("it is a folder\n7: refused"));
    CHECK(read_test_file(box.canary) == kCanaryText);
    CHECK(fs::is_symlink(conf));
    CHECK(read_test_file(a / "app" / "local" / "new") == "new text");
    CHECK((fs::status(a / "app" / "local" / "new").permissions() & fs::perms::all) == static_cast<fs::perms>(0640));
    // Nothing but the files written: no temporary file is left behind.
    CHECK(std::distance(fs::directory_iterator(a / "app" / "local"), fs::directory_iterator()) == 2);
  }
}

TEST_CASE("log rotation neither truncates nor copies over a link put in place of a log", "[symlink_guard]") {
  for (const std::string& shell : shells()) {
    INFO(shell);
    Sandbox box;
    const fs::path a = box.top / "allocs" / "a1";
    const fs::path logs = a / "alloc" / "logs";
    // The current log is a link: it is not rotated, nor truncated.
    box.plant(logs / "app.stdout.0", box.canary);
    // The rotation's copy would go to a link: it is refused, and the log
    // is emptied all the same (its room is what rotation is for).
    write_test_file(logs / "app.stderr.0", "current\n");
    box.plant(logs / "app.stderr.1", box.canary);
    // With three files, a link at .1 is renamed to .2 (a rename moves the
    // link itself), and the copy goes to a new .1.
    write_test_file(logs / "app.other.0", "other\n");
    box.plant(logs / "app.other.1", box.canary);
    const std::string out =
        run(shell,
            source_script("symlink_guard.sh") + source_script("log_watch.sh") + "a=" + shell_quote(a.string()) +
                " max_files=2\n"
                "rotate \"$a/alloc/logs/app.stdout.0\" || echo not rotated\n"
                "rotate \"$a/alloc/logs/app.stderr.0\"\n"
                "max_files=3 rotate \"$a/alloc/logs/app.other.0\"\n");
    INFO(out);
    CHECK_THAT(out,
               Catch::Contains("refusing to write " + (logs / "app.stdout.0").string() + ": it is a symbolic link\nnot rotated"));
    CHECK_THAT(out, Catch::Contains("refusing to write " + (logs / "app.stderr.1").string() + ": it is a symbolic link"));
    CHECK(read_test_file(box.canary) == kCanaryText);
    CHECK(fs::is_symlink(logs / "app.stdout.0"));
    CHECK(fs::is_symlink(logs / "app.stderr.1"));
    CHECK(read_test_file(logs / "app.stderr.0").empty());
    CHECK(fs::is_symlink(logs / "app.other.2"));
    CHECK(read_test_file(logs / "app.other.1") == "other\n");
    CHECK(read_test_file(logs / "app.other.0").empty());
  }
}

namespace {

const char* kJob = R"(
job "web" {
  group "front" {
    task "app" {
      driver = "raw_exec"
      kill_timeout = "1s"
      config {
        command = "/bin/sh"
        args    = ["-c", "echo started; exec sleep 60"]
      }
    }
  }
}
)";

// A supervised task on this machine, in a data dir below the sandbox.
struct LocalTask {
  Sandbox box;
  skiff::spec::Job job = skiff::testing::job_from(kJob);
  skiff::spec::Host host;
  HostFacts facts;
  Allocation allocation;
  LocalTransport local{std::chrono::seconds(60)};
  LocalTask() {
    host.name = "local";
    allocation.id = "0b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a";
    allocation.job = "web";
    allocation.group = "front";
    allocation.data_dir = (box.top / "data").string();
    // A dispatched run's payload, written to the task's local/ at each start.
    job.payload = "the payload";
    job.groups[0].tasks[0].dispatch_payload_file = "in/payload.txt";
  }
  ~LocalTask() { (void)local.run(stop_supervised_task_command(allocation, "app")); }
  fs::path dir() const { return allocation.dir(); }
  CommandResult run(const Command& command) {
    auto result = local.run(command);
    REQUIRE(result.ok());
    return *result;
  }
  CommandResult start() {
    const skiff::spec::Group& group = job.groups[0];
    auto command = start_supervised_task_command(TaskContext{job, group, group.tasks[0], allocation, host, facts});
    REQUIRE(command.ok());
    return run(*command);
  }
};

}  // namespace

TEST_CASE("a task's links toward a file outside its folder: restart, logs, start and updates refuse, naming them",
          "[symlink_guard]") {
  LocalTask t;
  CommandResult started = t.start();
  INFO(started.stderr_data);
  REQUIRE(started.success());
  CHECK_THAT(started.stdout_data, Catch::Contains("state=running"));

  // The task's log replaced by a link: the restart finds it before the task
  // runs again, and the task ends, dead, saying why.
  const fs::path log = t.dir() / "alloc" / "logs" / "app.stdout.0";
  t.box.plant(log, t.box.canary);
  CommandResult restarted = t.run(restart_supervised_task_command(t.allocation, "app"));
  CHECK_THAT(
      restarted.stdout_data,
      Catch::Contains("state=dead") && Catch::Contains("reason=refusing to write " + log.string() + ": it is a symbolic link"));
  CommandResult logs = t.run(task_logs_command(t.allocation, "app", "stdout", 10));
  CHECK_FALSE(logs.success());
  CHECK_THAT(logs.stderr_data, Catch::Contains("refusing to read " + log.string() + ": it is a symbolic link"));

  // The payload's file replaced by a link: the next start does not write it.
  const fs::path payload = t.dir() / "app" / "local" / "in" / "payload.txt";
  CHECK(read_test_file(payload) == "the payload");
  t.box.plant(payload, t.box.canary);
  CommandResult payload_refused = t.start();
  CHECK_FALSE(payload_refused.success());
  CHECK_THAT(payload_refused.stderr_data, Catch::Contains("refusing to write " + payload.string() + ": it is a symbolic link"));
  fs::remove(payload);

  // alloc.json replaced by a link: neither an update nor a start writes it.
  const fs::path alloc_json = t.dir() / "alloc.json";
  t.box.plant(alloc_json, t.box.canary);
  CommandResult updated = t.run(update_alloc_json_command(t.allocation));
  CHECK_FALSE(updated.success());
  CHECK_THAT(updated.stderr_data, Catch::Contains("refusing to write " + alloc_json.string() + ": it is a symbolic link"));
  CommandResult adopted = t.run(write_alloc_json_command({t.allocation}));
  CHECK_FALSE(adopted.success());
  CommandResult again = t.start();
  CHECK_FALSE(again.success());
  CHECK_THAT(again.stderr_data, Catch::Contains("refusing to write " + alloc_json.string() + ": it is a symbolic link"));

  // The task's own folder replaced by a link to a folder outside.
  fs::create_directories(t.box.top / "elsewhere");
  t.box.plant(t.dir() / "app", t.box.top / "elsewhere");
  fs::remove(alloc_json);
  CommandResult moved = t.start();
  CHECK_FALSE(moved.success());
  CHECK_THAT(moved.stderr_data, Catch::Contains(": " + (t.dir() / "app").string() + " is a symbolic link"));
  CHECK(fs::is_empty(t.box.top / "elsewhere"));

  CHECK(read_test_file(t.box.canary) == kCanaryText);
}

TEST_CASE("purge removes a link inside the folder, not what it points to, and refuses a folder that is a link",
          "[symlink_guard]") {
  LocalTask t;
  fs::create_directories(t.box.top / "victim");
  write_test_file(t.box.top / "victim" / "keep", "kept");
  t.box.plant(t.dir() / "alloc" / "data" / "escape", t.box.top / "victim");
  t.box.plant(t.dir() / "alloc" / "data" / "canary", t.box.canary);
  CommandResult purged = t.run(purge_allocation_command(t.allocation.data_dir, t.allocation.id));
  CHECK(purged.success());
  CHECK_FALSE(fs::exists(t.dir()));

  t.box.plant(t.dir(), t.box.top / "victim");
  CommandResult refused = t.run(purge_allocation_command(t.allocation.data_dir, t.allocation.id));
  CHECK_FALSE(refused.success());
  CHECK_THAT(refused.stderr_data, Catch::Contains("refusing to remove " + t.dir().string() + ": it is a symbolic link"));
  CHECK(read_test_file(t.box.top / "victim" / "keep") == "kept");
  CHECK(read_test_file(t.box.canary) == kCanaryText);
}
