// bench/apply: the issue's figure. Brings up --hosts N test hosts (default
// 20; tests/fleet/fleet, as root; torn down however the run ends) or uses
// every host of --fleet-dir DIR, then times the built `skiff` binary (--skiff
// PATH; default: the one at the root of this build) doing, from the fleet's
// directory: `apply` of one job of --allocs A (default 1,000) raw_exec
// sleepers, the same apply again (a no-op) with fresh SSH logins, the no-op
// again with `ssh { control_persist = "10s" }` (connections kept by the SSH
// keeper between runs, as ansible's ControlPersist below keeps its own;
// the median of three runs after the one that starts the keeper), and an
// apply of count = 0 that stops them all; for reference, OpenSSH logging in
// to every host at once (what a no-op with fresh logins cannot go below). Then the same A starts done by ansible over the same
// hosts: one playbook, one `shell` task looped A/N times, forks N. Prints
// figures and whether the targets are met.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>

#include "bench/support/bench_fleet.hpp"

using namespace skiff;
using namespace skiff::bench;

namespace {

struct Options {
  size_t hosts = 20;
  size_t allocs = 1000;
  std::string skiff;      // empty: the skiff binary of this build
  std::string fleet_dir;  // empty: bring up our own fleet
};

// One run of a program: its times, and what it printed.
struct Run {
  Finished finished;
  std::string output;
};

[[noreturn]] void fail(const std::string& what) {
  std::cerr << "bench_apply: " << what << "\n";
  std::exit(1);  // the watchdog still tears the fleet down
}

std::string read_file(const std::string& path) {
  std::ostringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// What follows `marker` in `output` (else its end): five lines and the last.
std::string tail_from(const std::string& output, const std::string& marker) {
  size_t at = output.find(marker);
  std::istringstream in(output.substr(at == std::string::npos ? output.rfind('\n', output.size() - 2) + 1 : at));
  std::string text, line, last;
  for (int n = 0; std::getline(in, line); ++n) {
    if (n < 6) text += line + "\n";
    last = line;
  }
  return text.find(last) == std::string::npos ? text + "  ...\n" + last + "\n" : text;
}

Run run_logged(const Argv& argv, const std::string& log) {
  Finished f = run_program(argv, log);
  return {f, read_file(log)};
}

// bench_apply lives in BUILD/bench; skiff in BUILD.
std::string default_skiff() {
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / "skiff").string();
}

// Sleepers that cost their hosts nothing while they run. The update block
// gates the apply on health with no wait: it returns once every task runs.
// The resources are small enough that far more than A/N fit on each host,
// so the default binpack would crowd them onto a few hosts (244 on each of 4
// of 20 in a trial): the spread block gives every host its share.
std::string sleeper_job(size_t count) {
  return "job \"bench-apply\" {\n  group \"sleepers\" {\n    count = " + std::to_string(count) +
      "\n    spread {\n      attribute = \"${node.unique.name}\"\n    }\n    update {\n      min_healthy_time = \"0s\"\n      "
      "healthy_deadline = \"5m\"\n    }\n"
      "    task \"sleep\" {\n      driver = \"raw_exec\"\n      config {\n        command = \"/bin/sh\"\n"
      "        args    = [\"-c\", \"exec sleep 100000\"]\n      }\n      resources {\n        cpu    = 20\n"
      "        memory = 16\n      }\n    }\n  }\n}\n";
}

// One `skiff apply` of the job with `count` allocations, from the fleet's
// directory (our working directory). A failed apply ends the benchmark.
// `project`: the directory of the skiff.hcl to use (empty: the fleet's).
Run apply(const Options& o, const std::string& work, size_t count, const std::string& name, const std::string& project = "") {
  write_file(work + "/jobs/bench-apply.nomad.hcl", sleeper_job(count));
  std::fprintf(stderr, "bench_apply: skiff apply: %s\n", name.c_str());
  Argv argv{o.skiff, "apply", "-auto-approve", "-no-color", work + "/jobs"};
  if (!project.empty())
    argv = {"sh",        "-c",          "cd \"$1\" && shift && exec \"$@\"", "sh", project, o.skiff, "apply", "-auto-approve",
            "-no-color", work + "/jobs"};
  Run run = run_logged(argv, work + "/" + name + ".log");
  if (!run.finished.ok) {  // the work dir goes with the fleet: its log is kept in /tmp
    const std::string kept = "/tmp/bench_apply-" + name + ".log";
    std::filesystem::copy_file(work + "/" + name + ".log", kept, std::filesystem::copy_options::overwrite_existing);
    fail("skiff apply (" + name + ") failed (all of its output: " + kept + "):\n" + tail_from(run.output, "Apply failed:"));
  }
  return run;
}

// From "Apply complete! N started, U updated in place, S stopped (at most K
// remote commands per host, ...)": N, S and K; all -1 when it is missing.
struct Complete {
  long started = -1, stopped = -1, commands = -1;
};

Complete parse_complete(const std::string& output) {
  static const std::regex line(
      R"(Apply complete! (\d+) started, \d+ updated in place, (\d+) stopped \(at most (\d+) remote command)");
  std::smatch m;
  if (!std::regex_search(output, m, line)) return {};
  return {std::stol(m[1]), std::stol(m[2]), std::stol(m[3])};
}

// Allocations per host, from the state the apply left: {fewest, most}.
std::pair<long, long> spread(const Options& o, const std::string& work, size_t hosts) {
  Run run = run_logged({o.skiff, "state", "show", "-json"}, work + "/state.json");
  std::map<std::string, long> per_host;
  static const std::regex host(R"re("host"\s*:\s*"([^"]+)")re");
  for (std::sregex_iterator it(run.output.begin(), run.output.end(), host), end; it != end; ++it) ++per_host[(*it)[1]];
  long fewest = per_host.size() < hosts ? 0 : -1, most = 0;
  for (const auto& [name, n] : per_host) fewest = fewest < 0 ? n : std::min(fewest, n), most = std::max(most, n);
  return {fewest, most};
}

// CPU time the whole machine (every process, both cores) has used, in ms.
double machine_busy_ms() {
  std::istringstream cpu(read_file("/proc/stat"));
  std::string label;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0;
  cpu >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq;
  return (user + nice + system + irq + softirq) * 1000.0 / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Whether a process's command line names `text` (ansible's ssh masters
// name their control path, skiff's keeper its socket).
bool processes_naming(const std::string& text) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    if (entry.path().filename().string().find_first_not_of("0123456789") != std::string::npos) continue;
    if (read_file(entry.path().string() + "/cmdline").find(text) != std::string::npos) return true;
  }
  return false;
}

// A project beside the fleet's with the same inventory, state and SSH
// settings plus control_persist, its keeper's socket under work/run.
std::string write_kept_project(const std::string& work, const std::string& fleet) {
  const std::string dir = work + "/kept";
  std::filesystem::create_directories(dir);
  std::filesystem::create_directories(work + "/run");
  std::filesystem::permissions(work + "/run", std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
  write_file(dir + "/skiff.hcl",
             "inventory = \"" + fleet + "/inventory.hcl\"\nstate {\n  path = \"" + fleet +
                 "/.skiff/state.json\"\n}\nssh {\n  known_hosts = \"" + fleet +
                 "/known_hosts\"\n  strict_host_key_checking = \"yes\"\n  connect_timeout = \"5s\"\n"
                 "  control_persist = \"10s\"\n}\n");
  ::setenv("XDG_RUNTIME_DIR", (work + "/run").c_str(), 1);
  return dir;
}

struct SkiffFigures {
  Run initial, noop, stop;
  Run kept_first;              // the no-op that starts the keeper
  std::vector<Run> kept;       // no-ops through the keeper, sorted by wall time
  double kept_machine_ms = 0;  // what the median kept no-op cost the machine
  double noop_machine_ms = 0;  // what the no-op cost the machine (skiff and every host)
  Complete started, stopped;
  std::pair<long, long> spread;
};

SkiffFigures time_skiff(const Options& o, const std::string& work, size_t hosts) {
  SkiffFigures s;
  s.initial = apply(o, work, o.allocs, "initial");
  s.started = parse_complete(s.initial.output);
  if (s.started.started != static_cast<long>(o.allocs)) fail("the initial apply did not start them all:\n" + s.initial.output);
  s.spread = spread(o, work, hosts);
  const double before = machine_busy_ms();
  s.noop = apply(o, work, o.allocs, "noop");
  s.noop_machine_ms = machine_busy_ms() - before;
  if (s.noop.output.find("No changes.") == std::string::npos) fail("the re-apply was no no-op:\n" + s.noop.output);
  const std::string kept = write_kept_project(work, std::filesystem::current_path());
  s.kept_first = apply(o, work, o.allocs, "kept-first", kept);
  std::vector<std::pair<Run, double>> rounds;
  for (int i = 0; i < 3; ++i) {
    const double at = machine_busy_ms();
    Run run = apply(o, work, o.allocs, "kept-" + std::to_string(i), kept);
    rounds.emplace_back(std::move(run), machine_busy_ms() - at);
    if (rounds.back().first.output.find("No changes.") == std::string::npos)
      fail("a kept no-op changed something:\n" + rounds.back().first.output);
  }
  std::sort(rounds.begin(), rounds.end(),
            [](const auto& a, const auto& b) { return a.first.finished.wall_ms < b.first.finished.wall_ms; });
  for (auto& [run, busy] : rounds) s.kept.push_back(std::move(run));
  s.kept_machine_ms = rounds[1].second;
  s.stop = apply(o, work, 0, "stop");
  // The keeper leaves 10 s after its last run, like ansible's masters.
  for (int i = 0; i < 30 && processes_naming(work + "/run/skiff/"); ++i) ::sleep(1);
  if (processes_naming(work + "/run/skiff/")) std::cerr << "bench_apply: skiff's SSH keeper is still running\n";
  s.stopped = parse_complete(s.stop.output);
  if (s.stopped.stopped != static_cast<long>(o.allocs)) fail("the stop-all did not stop them all:\n" + s.stop.output);
  return s;
}

std::optional<std::string> find_on_path(const std::string& name) {
  std::istringstream path(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  for (std::string dir; std::getline(path, dir, ':');) {
    if (::access((dir + "/" + name).c_str(), X_OK) == 0) return dir + "/" + name;
  }
  return std::nullopt;
}

struct AnsibleFigures {
  std::string problem;  // printed instead of figures
  Finished run = {};
  long tasks_per_host = 0, ssh_commands_per_host = 0;  // the busiest host's
  long running = 0;                                    // sleepers found on the hosts afterwards
};

// Ansible's inventory (addresses, the fleet's key and known_hosts, strict)
// and its own config: ansible's usual connection reuse (ControlPersist, as
// skiff keeps its sessions through an apply), shortened to 10 s so that no
// master outlives the benchmark for long.
void write_ansible_files(const std::string& work, const std::string& fleet, const Hosts& hosts, long per_host) {
  std::string inventory;
  for (const auto& h : hosts) {
    inventory += h.name + " ansible_host=" + h.address + " ansible_port=" + std::to_string(h.port) +
        " ansible_user=root ansible_ssh_private_key_file=" + fleet + "/client_key\n";
  }
  inventory += "\n[all:vars]\nansible_ssh_common_args='-F /dev/null -o UserKnownHostsFile=" + fleet +
      "/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes -o BatchMode=yes'\n";
  write_file(work + "/inventory.ini", inventory);
  write_file(work + "/ansible.cfg",
             "[defaults]\nhost_key_checking = True\n[ssh_connection]\nssh_args = -C -o "
             "ControlMaster=auto -o ControlPersist=10s\ncontrol_path_dir = " +
                 work + "/cp\n");
  ::setenv("ANSIBLE_CONFIG", (work + "/ansible.cfg").c_str(), 1);
  // One task, looped: each item is one more start on every host, A/N in all.
  write_file(work + "/start.yml",
             "- hosts: all\n  gather_facts: false\n  tasks:\n    - shell: nohup sleep 100000 "
             ">/dev/null 2>&1 &\n      loop: \"{{ range(" +
                 std::to_string(per_host) + ") | list }}\"\n");
}

// The ssh and sftp commands ansible ran on its busiest host, from -vvv.
long most_ssh_commands(const std::string& log) {
  std::map<std::string, long> per_host;
  static const std::regex exec(R"(<([^>]+)> SSH: EXEC )");
  for (std::sregex_iterator it(log.begin(), log.end(), exec), end; it != end; ++it) ++per_host[(*it)[1]];
  long most = 0;
  for (const auto& [host, n] : per_host) most = std::max(most, n);
  return most;
}

// The floor under a no-op: OpenSSH logging in to every host at once and
// running `true` (the median of three rounds), and the machine CPU it used.
struct LoginFigures {
  double wall_ms = 0, machine_ms = 0;
};

LoginFigures time_ssh_logins(const std::string& work, const std::string& fleet, const Hosts& hosts) {
  std::string script;
  for (const auto& h : hosts)
    script += "ssh -F /dev/null -o UserKnownHostsFile=" + fleet +
        "/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -i " + fleet + "/client_key -p " + std::to_string(h.port) +
        " root@" + h.address + " true &\n";
  script += "wait\n";
  std::vector<LoginFigures> rounds;
  for (int round = 0; round < 3; ++round) {
    const double before = machine_busy_ms();
    Run run = run_logged({"sh", "-c", script}, work + "/logins.log");
    if (!run.finished.ok || !run.output.empty()) std::cerr << "bench_apply: ssh logins said:\n" << run.output << "\n";
    rounds.push_back({run.finished.wall_ms, machine_busy_ms() - before});
  }
  std::sort(rounds.begin(), rounds.end(), [](const LoginFigures& a, const LoginFigures& b) { return a.wall_ms < b.wall_ms; });
  return rounds[1];
}

AnsibleFigures time_ansible(const Options& o, const std::string& work, const std::string& fleet, const Hosts& hosts) {
  AnsibleFigures a;
  auto playbook = find_on_path("ansible-playbook"), adhoc = find_on_path("ansible");
  if (!playbook || !adhoc) return {"not installed (tests/fleet/install-deps --bench)"};
  a.tasks_per_host = static_cast<long>(o.allocs / hosts.size());
  write_ansible_files(work, fleet, hosts, a.tasks_per_host);
  const std::string n = std::to_string(hosts.size()), inventory = work + "/inventory.ini";
  std::fprintf(stderr, "bench_apply: ansible: %ld starts on each of %s hosts\n", a.tasks_per_host, n.c_str());
  Run run = run_logged({*playbook, "-vvv", "-i", inventory, "-f", n, work + "/start.yml"}, work + "/ansible.log");
  a.run = run.finished;
  a.ssh_commands_per_host = most_ssh_commands(run.output);
  if (!a.run.ok)
    std::cerr << "bench_apply: ansible failed:\n" << run.output << "\n", a.problem = "failed (its output is on stderr)";
  // Counts what it started, then stops it ([s]: the pattern must not match the shell that runs it).
  Run stop = run_logged({*adhoc, "all", "-i", inventory, "-f", n, "-m", "shell", "-a",
                         "pgrep -c -f '[s]leep 100000'; pkill -f '[s]leep 100000'; true"},
                        work + "/ansible-stop.log");
  if (!stop.finished.ok) std::cerr << "bench_apply: stopping ansible's sleepers failed:\n" << stop.output << "\n";
  static const std::regex count(R"(rc=0 >>\s*(\d+))");
  for (std::sregex_iterator it(stop.output.begin(), stop.output.end(), count), end; it != end; ++it)
    a.running += std::stol((*it)[1]);
  // Its ControlPersist masters end 10 s after their last use.
  for (int i = 0; i < 30 && processes_naming(work + "/cp"); ++i) ::sleep(1);
  if (processes_naming(work + "/cp")) std::cerr << "bench_apply: ansible's ssh masters are still running\n";
  return a;
}

void print_report(const Options& o, size_t hosts, const SkiffFigures& s, const LoginFigures& logins, const AnsibleFigures& a) {
  const double initial = s.initial.finished.wall_ms, noop = s.noop.finished.wall_ms, kept = s.kept[1].finished.wall_ms;
  std::printf(
      "apply %zu new allocations (raw_exec `sleep 100000`) across %zu hosts; the initial apply is timed\n"
      "until its health gate passes (every task running; min_healthy_time 0s); spread over the hosts\n\n",
      o.allocs, hosts);
  std::printf("%-28s %10s %12s %22s %12s\n", "", "wall ms", "allocations", "remote cmds per host", "client CPU");
  std::printf("%-28s %10.0f %12ld %22ld %9.0f ms\n", "skiff initial apply", initial, s.started.started, s.started.commands,
              s.initial.finished.cpu_ms);
  std::printf("%-28s %10.0f %12s %22s %9.0f ms\n", "skiff no-op re-apply", noop, "0", "", s.noop.finished.cpu_ms);
  std::printf(
      "  (the machine's CPU during the no-op: %.0f ms in all, skiff's %.0f ms of it; the rest is the hosts' sshd,\n"
      "   login shell and observation)\n",
      s.noop_machine_ms, s.noop.finished.cpu_ms);
  std::printf("%-28s %10.0f %12s %22s %9.0f ms\n", "skiff no-op, kept connections", kept, "0", "", s.kept[1].finished.cpu_ms);
  std::printf(
      "  (ssh.control_persist = \"10s\": median of %.0f, %.0f, %.0f ms, after %.0f ms for the run that started the keeper;\n"
      "   machine CPU %.0f ms)\n",
      s.kept[0].finished.wall_ms, s.kept[1].finished.wall_ms, s.kept[2].finished.wall_ms, s.kept_first.finished.wall_ms,
      s.kept_machine_ms);
  std::printf("%-28s %10.0f %12s %22s %9s    (machine CPU %.0f ms)\n", "OpenSSH: log in, run `true`", logins.wall_ms, "", "1", "",
              logins.machine_ms);
  std::printf("  (on every host at once, fresh connections as skiff's: the floor a no-op stands on; median of 3)\n");
  std::printf("%-28s %10.0f %12ld %22ld %9.0f ms\n", "skiff stop-all (count = 0)", s.stop.finished.wall_ms, s.stopped.stopped,
              s.stopped.commands, s.stop.finished.cpu_ms);
  if (!a.problem.empty()) {
    std::printf("%-28s %s\n", "ansible playbook", a.problem.c_str());
  } else {
    std::string commands = std::to_string(a.tasks_per_host) + " (" + std::to_string(a.ssh_commands_per_host) + " ssh)";
    std::printf("%-28s %10.0f %12zu %22s %9.0f ms\n", "ansible, same starts", a.run.wall_ms, a.tasks_per_host * hosts,
                commands.c_str(), a.run.cpu_ms);
    std::printf("(ansible-playbook -f %zu, one `shell` task looped %ld times; %ld sleepers found running after it)\n", hosts,
                a.tasks_per_host, a.running);
  }
  for (const Run* r : {&s.initial, &s.stop}) {
    size_t at = r->output.find("Apply complete!");
    std::printf("%s%s", r == &s.initial ? "\nskiff said:\n" : "",
                r->output.substr(at, r->output.find('\n', at) - at + 1).c_str());
  }
  std::printf("\nallocations per host after the initial apply: %ld to %ld\n", s.spread.first, s.spread.second);
  const double ratio = a.problem.empty() ? a.run.wall_ms / initial : 0;
  if (ratio > 0) std::printf("ansible / skiff initial apply: %.1fx\n", ratio);
  else std::printf("ansible / skiff initial apply: n/a\n");
  std::printf("\ntargets:\n  %-44s %s\n  %-44s %s\n  %-44s %s\n",
              "no-op re-apply under 1 s, kept connections:", kept < 1000 ? "met" : "NOT met",
              "no-op re-apply under 1 s, fresh SSH logins:", noop < 1000 ? "met" : "NOT met",
              "initial apply >= 5x faster than ansible:",
              ratio == 0       ? "n/a"
                  : ratio >= 5 ? "met"
                               : "NOT met");
}

int run(Options o) {
  const BenchFleet bench = prepare_fleet("apply", o.hosts, o.fleet_dir);
  const Hosts hosts = load_hosts(bench.fleet_dir, o.fleet_dir.empty() ? o.hosts : 1000);
  if (::chdir(bench.fleet_dir.c_str()) != 0) fail("cannot enter " + bench.fleet_dir);  // skiff.hcl is there
  std::filesystem::create_directories(bench.work_dir + "/jobs");
  const SkiffFigures s = time_skiff(o, bench.work_dir, hosts.size());
  std::fprintf(stderr, "bench_apply: OpenSSH logins, for reference\n");
  const LoginFigures logins = time_ssh_logins(bench.work_dir, bench.fleet_dir, hosts);
  const AnsibleFigures a = time_ansible(o, bench.work_dir, bench.fleet_dir, hosts);
  print_report(o, hosts.size(), s, logins, a);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  bool usage = argc % 2 == 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--hosts") o.hosts = std::strtoul(value.c_str(), nullptr, 10);
    else if (flag == "--allocs") o.allocs = std::strtoul(value.c_str(), nullptr, 10);
    else if (flag == "--skiff") o.skiff = value;
    else if (flag == "--fleet-dir") o.fleet_dir = value;
    else usage = true;
  }
  if (usage || o.hosts < 1 || o.hosts > 200 || o.allocs < o.hosts || o.allocs % o.hosts != 0) {
    std::fprintf(stderr,
                 "usage: bench_apply [--hosts 1-200] [--allocs A, a multiple of hosts] [--skiff PATH] [--fleet-dir DIR]\n");
    return 2;
  }
  o.skiff = o.skiff.empty() ? default_skiff() : std::filesystem::absolute(o.skiff).string();  // we chdir
  if (::access(o.skiff.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "bench_apply: no skiff binary at %s (--skiff PATH)\n", o.skiff.c_str());
    return 2;
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_apply: %s\n", e.what());
    return 1;
  }
}
