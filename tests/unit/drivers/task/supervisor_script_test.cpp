// The supervisor's shell functions (drivers/scripts/start_time.sh,
// supervisor_alive.sh, task_leftovers.sh, log_watch.sh, with
// symlink_guard.sh's, sourced from their
// files) on this machine, with each sh a host may have (dash, busybox): the
// start time read from /proc with builtins, a zombie counted as ended; what
// is left of a task whose supervisor is gone found and killed; and,
// with dash, how often watch_logs looks at the logs, with `sleep` and `stat`
// replaced by scripts that record the waits and play the logs' sizes
// (busybox sh runs its own applets for them whatever PATH says).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "drivers/shell_quote.hpp"
#include "support/test_files.hpp"

using namespace skiff::drivers;
namespace fs = std::filesystem;
using skiff::testing::read_test_file;
using skiff::testing::write_test_file;

namespace {

// A line that reads drivers/scripts/NAME into the shell running it.
std::string source_script(const std::string& name) {
  return ". " + shell_quote((fs::path(SKIFF_SOURCE_DIR) / "drivers" / "scripts" / name).string()) + "\n";
}

// A script the shell under test finds on PATH.
void write_program(const fs::path& path, const std::string& text) {
  write_test_file(path, text);
  fs::permissions(path, fs::perms::owner_all, fs::perm_options::add);
}

// What `shell -c script` printed on stdout.
std::string run(const std::string& shell, const std::string& script) {
  std::string out;
  FILE* pipe = ::popen(("exec " + shell + " -c " + shell_quote(script)).c_str(), "r");  // exec: no shell left to say "Killed"
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

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("skiff-supervisor-" + std::to_string(::getpid()));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

// The waits watch_logs chose, one per line, while `stat` printed the
// stdout log's size from `sizes` (a sh expression of $n, the look's number,
// from 1) and stderr stayed empty; ends after `looks` looks. With
// `writing`, the task writes a byte to its stdout log during each wait
// (what makes a look read the sizes); without, the logs stay untouched.
std::string waits(const std::string& shell, const fs::path& dir, const std::string& sizes, int looks, bool writing = true) {
  const fs::path bin = dir / "bin";
  fs::remove_all(bin);
  fs::remove(dir / "waits");
  fs::remove(dir / "looks");
  // The last wait ends the shell that runs watch_logs (its parent).
  write_program(bin / "sleep",
                "#!/bin/sh\necho \"$1\" >> \"$DIR/waits\"\n" +
                    std::string(writing ? "/bin/sleep 0.01; echo >> \"$DIR/t.stdout.0\"\n" : "") +
                    "[ \"$(wc -l < \"$DIR/waits\")\" -lt " + std::to_string(looks) + " ] || kill -KILL \"$PPID\"\n");
  write_program(bin / "stat",
                "#!/bin/sh\nn=$(($(cat \"$DIR/looks\" 2>/dev/null || echo 0) + 1))\necho \"$n\" > \"$DIR/looks\"\n"
                "echo $((" +
                    sizes + "))\necho 0\n");
  const std::string script = source_script("start_time.sh") + source_script("symlink_guard.sh") + source_script("log_watch.sh") +
      "DIR=" + shell_quote(dir.string()) +
      "; export DIR\na=$DIR sup=$$ mark=\"$DIR/looked\"\n"
      "out=\"$DIR/t.stdout.0\" err=\"$DIR/t.stderr.0\" max_files=3 max_file_mb=1\n"
      "PATH=\"$DIR/bin:$PATH\" watch_logs\n";
  run(shell, script);
  return read_test_file(dir / "waits");
}

}  // namespace

TEST_CASE("start_time and supervisor_alive read /proc with builtins, even for a name holding \") \"", "[drivers]") {
  TempDir dir;
  // A sleeper whose command name is "x) y 1 2", to trip a naive split.
  fs::create_symlink("/bin/sleep", dir.path / "x) y 1 2");
  for (const std::string& shell : shells()) {
    INFO(shell);
    const std::string functions = source_script("start_time.sh") + source_script("supervisor_alive.sh");
    const std::string script = functions + "cd " + shell_quote(dir.path.string()) +
        "\n'./x) y 1 2' 30 & pid=$!\nsleep 0.1\n"
        "start_time \"$pid\"; echo \"mine=$start_time\"\n"
        "echo \"proc=$(sed 's/.*) //' /proc/$pid/stat | cut -d' ' -f20)\"\n"
        "mkdir -p live dead none; echo \"$pid $start_time\" > live/supervisor.pid\n"
        "echo \"$pid 1\" > dead/supervisor.pid\n"
        "supervisor_alive live && echo live=yes; supervisor_alive dead || echo dead=no\n"
        "supervisor_alive none || echo none=no\n"
        "start_time 999999999; echo \"gone=[$start_time]\"\nkill \"$pid\"\n";
    const std::string out = run(shell, script);
    INFO(out);
    std::istringstream lines(out);
    std::string mine, proc;
    std::getline(lines, mine);
    std::getline(lines, proc);
    CHECK(mine.substr(5) == proc.substr(5));
    CHECK(mine.size() > 5);
    CHECK_THAT(
        out,
        Catch::Contains("live=yes") && Catch::Contains("dead=no") && Catch::Contains("none=no") && Catch::Contains("gone=[]"));
  }
}

TEST_CASE("a zombie has ended: start_time is empty and supervisor_alive false, though kill -0 succeeds", "[drivers]") {
  TempDir dir;
  for (const std::string& shell : shells()) {
    INFO(shell);
    // The child's parent becomes a `sleep` (exec), which never reaps it:
    // what a SIGKILLed supervisor is where PID 1 reaps no orphans.
    const std::string script = source_script("start_time.sh") + source_script("supervisor_alive.sh") + "cd " +
        shell_quote(dir.path.string()) +
        "\nsh -c 'sleep 0 & echo $! > zombie.pid; exec sleep 3' & parent=$!\n"
        "sleep 0.5; read -r z < zombie.pid\n"
        "echo \"state=$(sed 's/.*) //' /proc/$z/stat | cut -d' ' -f1)\"\n"
        "kill -0 \"$z\" && echo kill0=yes\n"
        "start_time \"$z\"; echo \"zombie=[$start_time]\"\n"
        "mkdir -p z; echo \"$z $(sed 's/.*) //' /proc/$z/stat | cut -d' ' -f20)\" > z/supervisor.pid\n"
        "supervisor_alive z || echo alive=no\nkill \"$parent\"\n";
    const std::string out = run(shell, script);
    INFO(out);
    CHECK_THAT(out,
               Catch::Contains("state=Z") && Catch::Contains("kill0=yes") && Catch::Contains("zombie=[]") &&
                   Catch::Contains("alive=no"));
  }
}

TEST_CASE("kill_leftovers kills a lost task's processes and its group, and nothing of another task or allocation", "[drivers]") {
  TempDir dir;
  for (const std::string& shell : shells()) {
    INFO(shell);
    const std::string control = "data/allocs/a1b2/web/.skiff";
    // The task ignores SIGTERM (SIGKILL after kill_timeout); one of its
    // children dropped the allocation's variables but stays in its group.
    // Beside it: the same allocation's other task, and another allocation's
    // task of the same name, which must live on.
    const std::string script = source_script("start_time.sh") + source_script("symlink_guard.sh") +
        source_script("task_leftovers.sh") + "cd " + shell_quote(dir.path.string()) + "\nrm -rf data; mkdir -p " + control +
        " data/lingering\n" + "printf 'kill_signal=TERM\\nkill_timeout=1\\n' > " + control + "/policy\n" +
        "setsid env NOMAD_ALLOC_ID=a1b2 NOMAD_TASK_NAME=web sh -c "
        "'trap \"\" TERM; sleep 30 & env -u NOMAD_ALLOC_ID sleep 31 & echo $! > unmarked.pid; wait' & task=$!\n"
        "env NOMAD_ALLOC_ID=a1b2 NOMAD_TASK_NAME=db sleep 32 & db=$!\n"
        "env NOMAD_ALLOC_ID=c3d4 NOMAD_TASK_NAME=web sleep 33 & other=$!\n"
        "printf 'state=running\\npid=%s\\n' \"$task\" > " +
        control + "/status\n" +
        "echo 999999 > data/lingering/e5f6.web\n"
        "sleep 0.5; read -r unmarked < unmarked.pid\n"
        "kill_leftovers " +
        control +
        "; echo \"left=[$left]\"\n"
        "for p in task unmarked db other; do eval \"start_time \\$$p\"; "
        "[ -n \"$start_time\" ] && echo \"$p=alive\" || echo \"$p=dead\"; done\n"
        "[ -e data/lingering/e5f6.web ] || echo record=removed\n"
        "kill \"$db\" \"$other\"\n";
    const std::string out = run(shell, script);
    INFO(out);
    CHECK_THAT(out,
               Catch::Contains("left=[]") && Catch::Contains("task=dead") && Catch::Contains("unmarked=dead") &&
                   Catch::Contains("db=alive") && Catch::Contains("other=alive") && Catch::Contains("record=removed"));
  }
}

TEST_CASE("watch_logs looks at quiet logs less and less often, and at a fast-growing one every 2 s", "[drivers]") {
  TempDir dir;
  {
    const std::string shell = "sh";
    // Quiet: the wait doubles from the first look's 2 s (1 MB) up to 120 s,
    // and no look reads the sizes.
    CHECK(waits(shell, dir.path, "0", 9, false) == "2\n4\n8\n16\n32\n64\n120\n120\n120\n");
    CHECK_FALSE(fs::exists(dir.path / "looks"));
    // Written to, but not growing (what stat says): the same waits.
    CHECK(waits(shell, dir.path, "0", 4) == "2\n4\n8\n16\n");
    CHECK(read_test_file(dir.path / "looks") == "3\n");
    // 1.5 MB at every look: each look rotates, and the next is 2 s later.
    CHECK(waits(shell, dir.path, "1572864", 4) == "2\n2\n2\n2\n");
    // 10 KB more at each look: a MB is far away, so the wait jumps to what
    // reaching it would take at that rate, halved, then to the cap.
    CHECK(waits(shell, dir.path, "n * 10240", 3) == "2\n101\n120\n");
  }
}

TEST_CASE("watch_logs rotates a log past max_file_size into .1, .2 and keeps max_files in all", "[drivers]") {
  TempDir dir;
  {
    const std::string shell = "sh";
    const fs::path out = dir.path / "t.stdout.0";
    for (const char* stale : {"t.stdout.1", "t.stdout.2", "t.stdout.3"}) fs::remove(dir.path / stale);
    std::ofstream(out) << "first";
    waits(shell, dir.path, "1572864", 2);  // stat says 1.5 MB: one rotation before the 2nd wait
    std::ofstream(out) << "second";
    waits(shell, dir.path, "1572864", 2);
    // Each wait wrote a newline: the one before the rotation went with it.
    CHECK(read_test_file(out) == "\n");
    CHECK(read_test_file(dir.path / "t.stdout.1") == "second\n");
    CHECK(read_test_file(dir.path / "t.stdout.2") == "first\n");
    CHECK_FALSE(fs::exists(dir.path / "t.stdout.3"));  // max_files = 3
  }
}
