// A compromised host, on the fleet's real hosts: its /bin/sh is swapped for
// a script whose `awk` answers skiff's observation with what the test
// wants (observe.awk is the one program that prints a host's allocations).
// Whatever it prints, the host can lie about itself, never about others:
// the other hosts' allocations are untouched, no command runs that the host
// chose, skiff finishes with that host marked failed and its memory stays
// bounded, and nothing it printed reaches the terminal as a control code.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "drivers/shell_quote.hpp"
#include "integration/apply_support.hpp"

using namespace skiff::testing;

namespace {

// The host's /bin/sh (dash, which /bin/sh names) is a bash script that puts
// a folder of the test's programs first in PATH; its `awk` runs the real one
// and, when what it printed is skiff's observation and `print` exists,
// prints what `print` prints instead. Put back however the test ends.
class HostileShell {
 public:
  HostileShell(const TestFleet& f, std::string host) : f_(f), host_(std::move(host)), dir_(f.dir() + "/hostile-" + host_) {
    std::filesystem::create_directories(dir_ + "/bin");
    write_executable(dir_ + "/sh",
                     "#!/bin/bash\nPATH=" + dir_ + "/bin:$PATH\nexport PATH\nexec -a sh /bin/bash --posix \"$@\"\n");
    write_executable(dir_ + "/bin/awk",
                     "#!/bin/bash\nout=$(mktemp)\n/usr/bin/mawk \"$@\" >\"$out\"\nstatus=$?\n"
                     "if [ -x " +
                         dir_ +
                         "/print ] && [ \"$(head -c 11 \"$out\")\" = '{\"format\":1' ]; then\n"
                         "  rm -f \"$out\"\n  exec " +
                         dir_ +
                         "/print\nfi\n"
                         "cat \"$out\"\nrm -f \"$out\"\nexit $status\n");
    mounted_ = on_host(f_, host_, "mount --bind " + skiff::drivers::shell_quote(dir_ + "/sh") + " /usr/bin/dash").status == 0;
  }
  ~HostileShell() {
    if (mounted_) (void)on_host(f_, host_, "umount /usr/bin/dash");
  }
  bool mounted() const { return mounted_; }
  // The observation the host prints from now on: a shell script's body.
  void prints(const std::string& script) const { write_executable(dir_ + "/print", "#!/bin/bash\n" + script); }

 private:
  static void write_executable(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
    std::filesystem::permissions(path,
                                 std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                     std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                     std::filesystem::perms::others_exec);
  }
  const TestFleet& f_;
  std::string host_, dir_;
  bool mounted_ = false;
};

struct MeasuredRun {
  int status = -1;
  std::string output;
  long max_rss_kib = 0;
};

// Runs skiff in `dir` as a child of this process, so that its peak memory
// is the child's own (wait4's rusage), not a shell's.
MeasuredRun measured_skiff(const std::string& dir, const std::string& args) {
  const std::string out_path = dir + "/.measured-output";
  const std::string line = "cd " + skiff::drivers::shell_quote(dir) + " && exec " + SKIFF_BINARY + " " + args + " >" +
      skiff::drivers::shell_quote(out_path) + " 2>&1";
  MeasuredRun run;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/bash", "bash", "-c", line.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  struct rusage usage {};
  if (pid > 0 && ::wait4(pid, &status, 0, &usage) == pid) {
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.max_rss_kib = usage.ru_maxrss;
  }
  std::ifstream in(out_path);
  run.output.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return run;
}

// Where the fleet's hosts keep allocations.
const std::string kAllocs = "/var/lib/skiff/allocs/";

std::string alloc_json_on(const TestFleet& f, const std::string& host, const std::string& id) {
  return on_host(f, host, "cat " + skiff::drivers::shell_quote(kAllocs + id + "/alloc.json")).output;
}

// The supervisor's "PID STARTTIME" of the allocation's task t: the same
// afterwards means the process was never restarted or stopped.
std::string supervisor_of(const TestFleet& f, const std::string& host, const std::string& id) {
  return on_host(f, host, "cat " + skiff::drivers::shell_quote(kAllocs + id + "/t/.skiff/supervisor.pid")).output;
}

// One entry of observe.awk's output: an allocation's folder, its alloc.json
// text and its tasks.
nlohmann::json entry(const std::string& id, const nlohmann::json& alloc, const nlohmann::json& task) {
  return {{"dir", kAllocs + id}, {"alloc", alloc.dump()}, {"tasks", {{"t", task}}}};
}

nlohmann::json running_task() {
  return {{"state", "running"},   {"restarts", "0"}, {"exit_code", ""}, {"reason", ""}, {"since", ""},
          {"driver", "raw_exec"}, {"container", ""}, {"cli", ""},       {"limits", ""}, {"supervisor_alive", true}};
}

// The document `print` writes, in a file beside it.
std::string printing(const TestFleet& f, const std::string& name, const std::string& document) {
  const std::string path = f.dir() + "/hostile-doc-" + name;
  std::ofstream(path, std::ios::binary) << document;
  return "cat " + skiff::drivers::shell_quote(path) + "\n";
}

}  // namespace

TEST_CASE("a hostile host can lie about itself, never about other hosts, and never crash or bloat the run",
          "[integration][hostile]") {
  TestFleet& f = fleet();
  const std::string dir = make_project(f, "hostile", "");
  write_fleet_file(f, "hostile/jobs/calm.nomad.hcl", spread_service("calm", 3, "1", kQuickUpdate));
  ShellResult applied = skiff_in(dir, "apply -auto-approve -no-color jobs");
  INFO(applied.output);
  REQUIRE(applied.status == 0);
  const nlohmann::json state = state_in(dir);
  std::map<std::string, std::string> before = running_in_state(state, "calm");
  REQUIRE(before.size() == 3);
  std::string victim_id, victim, hostile_id, hostile;
  for (const auto& a : state["allocations"]) {
    if (a["job"] != "calm" || a["status"] != "running") continue;
    if (a["index"] == 0) victim_id = a["id"], victim = a["host"];
    if (a["index"] == 1) hostile_id = a["id"], hostile = a["host"];
  }
  REQUIRE_FALSE(victim.empty());
  REQUIRE_FALSE(hostile.empty());
  const std::string victim_supervisor = supervisor_of(f, victim, victim_id);
  REQUIRE_FALSE(victim_supervisor.empty());
  const nlohmann::json victim_alloc = nlohmann::json::parse(alloc_json_on(f, victim, victim_id));
  const nlohmann::json hostile_alloc = nlohmann::json::parse(alloc_json_on(f, hostile, hostile_id));
  const std::string canary = f.dir() + "/hostile-canary";

  HostileShell shell(f, hostile);
  REQUIRE(shell.mounted());

  // After each lie: the victim's copy still runs, untouched, on its host,
  // and the state still says so; the host never made skiff run its command.
  const auto victim_untouched = [&] {
    CHECK(supervisor_of(f, victim, victim_id) == victim_supervisor);
    std::map<std::string, std::string> now = running_in_state(state_in(dir), "calm");
    CHECK(now.count(victim_id) == 1);
    if (now.count(victim_id)) CHECK(now[victim_id] == victim);
    CHECK_FALSE(std::filesystem::exists(canary));
  };
  const auto no_control_codes = [](const std::string& output) {
    CHECK(output.find('\x1b') == std::string::npos);
    CHECK(output.find('\r') == std::string::npos);
    CHECK(output.find('\a') == std::string::npos);
  };

  SECTION("forged allocations: another host's, a replayed id, a newer version of another host's slot") {
    nlohmann::json replayed = victim_alloc;  // the victim's own alloc.json, says host = victim
    nlohmann::json claimed = victim_alloc;   // the victim's id, claimed for the hostile host
    claimed["host"] = hostile;
    claimed["host_address"] = hostile_alloc["host_address"];
    claimed["data_dir"] = hostile_alloc["data_dir"];
    nlohmann::json newer = hostile_alloc;  // the victim's slot at version 99, under an id never recorded
    newer["id"] = "6f0c5e1e-3b8f-4b8a-9d1e-0c2d8f9e7a11";
    newer["index"] = victim_alloc["index"];
    newer["job_version"] = 99;
    nlohmann::json container = running_task();
    container["driver"] = "docker";
    container["cli"] = "touch " + canary + ";";
    container["container"] = "x; touch " + canary;
    nlohmann::json doc = {{"format", 1},
                          {"allocs",
                           {entry(hostile_id, hostile_alloc, running_task()), entry(victim_id, replayed, container),
                            entry(victim_id, claimed, container), entry(newer["id"], newer, running_task())}},
                          {"facts", ""},
                          {"boot_id", ""},
                          {"orphans", nlohmann::json::array()},
                          {"lingering", nlohmann::json::array()}};
    shell.prints(printing(f, "forged", doc.dump() + "\n"));
    ShellResult plan = skiff_in(dir, "plan -no-color jobs");
    INFO(plan.output);
    CHECK(plan.status < 128);
    CHECK_THAT(plan.output, Catch::Contains(hostile));
    ShellResult apply = skiff_in(dir, "apply -auto-approve -no-color jobs");
    INFO(apply.output);
    CHECK(apply.status < 128);
    victim_untouched();
  }

  SECTION("malformed documents, overlong numbers, invalid UTF-8 and escape codes") {
    std::string overlong_index = hostile_alloc.dump();
    const std::string index_field = "\"index\":" + hostile_alloc["index"].dump();
    overlong_index.replace(overlong_index.find(index_field), index_field.size(), "\"index\":99999999999999999999999");
    nlohmann::json dead = running_task();
    dead["state"] = "dead";
    dead["supervisor_alive"] = false;
    dead["restarts"] = "99999999999999999999999";
    dead["exit_code"] = "99999999999999999999999";
    dead["reason"] = "@REASON@";
    const std::string with_reason = nlohmann::json{{"format", 1}, {"allocs", {entry(hostile_id, hostile_alloc, dead)}}}.dump();
    const auto reason = [&](const std::string& text) {
      std::string out = with_reason;
      return out.replace(out.find("@REASON@"), 8, text) + "\n";
    };
    for (const std::string& document :
         {std::string("{\"format\":1,\"allocs\":[1]}\n"), std::string("{\"format\":1,\"allocs\":[{\"alloc\":7,\"tasks\":[]}]}\n"),
          std::string("{\"format\":99999999999999999999999,\"allocs\":[]}\n"),
          nlohmann::json{{"format", 1}, {"allocs", {{{"dir", kAllocs + hostile_id}, {"alloc", overlong_index}, {"tasks", {}}}}}}
                  .dump() +
              "\n",
          reason("\\u001b[2K\\u001b[1A\\rhidden\\u0007 \\u009b31m"), reason("\x1b[2K\rhidden\a \xff\xfe"),
          std::string("\x1b]0;owned\a\x1b[2J\xff\xfe{not json\n")}) {
      shell.prints(printing(f, "malformed", document));
      INFO(document);
      ShellResult plan = skiff_in(dir, "plan -no-color jobs");
      INFO(plan.output);
      CHECK(plan.status < 128);
      CHECK_THAT(plan.output, Catch::Contains(hostile));
      no_control_codes(plan.output);
      ShellResult json = skiff_in(dir, "plan -json jobs", /*with_stderr=*/false);
      INFO(json.output);
      CHECK(json.status < 128);
      CHECK(nlohmann::json::accept(json.output));
    }
    ShellResult apply = skiff_in(dir, "apply -auto-approve -no-color jobs");
    INFO(apply.output);
    CHECK(apply.status < 128);
    no_control_codes(apply.output);
    victim_untouched();
  }

  SECTION("100 MB of output: that host fails with output too large, skiff's memory stays bounded") {
    shell.prints("printf '{\"format\":1,\"allocs\":[\"'\nhead -c 100000000 /dev/zero | tr '\\0' x\nprintf '\"]}\\n'\n");
    MeasuredRun plan = measured_skiff(dir, "plan -no-color jobs");
    INFO(plan.output.substr(0, 4000));
    CHECK(plan.status < 128);
    CHECK_THAT(plan.output, Catch::Contains(hostile) && Catch::Contains("output too large"));
    CHECK(plan.max_rss_kib < 200 * 1024);
    MeasuredRun apply = measured_skiff(dir, "apply -auto-approve -no-color jobs");
    INFO(apply.output.substr(0, 4000));
    CHECK(apply.status < 128);
    CHECK(apply.max_rss_kib < 200 * 1024);
    victim_untouched();
  }

  // Honest again: the job's copies are stopped.
  std::filesystem::remove(f.dir() + "/hostile-" + hostile + "/print");
  std::filesystem::remove(dir + "/jobs/calm.nomad.hcl");
  write_fleet_file(f, "hostile/jobs/placeholder.nomad.hcl", kPlaceholderJob);
  CHECK(skiff_in(dir, "apply -auto-approve -no-color -prune jobs").status == 0);
}
