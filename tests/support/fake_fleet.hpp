// A drivers::Fleet for tests, after ninja's FakeCommandRunner: it runs
// nothing, records every command each host was asked to run, and answers
// with scripted results. It understands the two shapes apply sends:
//
// - a batch (drivers/batch.hpp: `sh -s`, its commands framed on stdin),
//   which it takes apart into the commands inside and answers command by
//   command, framed as the real batch script frames them;
// - the observe command, which it answers with an observation of what the
//   start commands it saw have started and the purges have not removed, in
//   the JSON the observe script prints.
//
// Each command is known by its name: the $0 of `sh -c SCRIPT NAME ARGS...`
// (skiff-start, skiff-stop, skiff-purge, skiff-update, skiff-observe...),
// else its program. Not thread-safe; run_all is called from one thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "drivers/transport.hpp"

namespace skiff::testing {

// One command a host was asked to run, as a test sees it.
struct RanCommand {
  int round = 0;  // which run_all call, from 0
  std::string host;
  std::string name;               // "skiff-start", "skiff-stop", ...
  std::vector<std::string> argv;  // the whole argument list, unquoted
};

class FakeFleet : public drivers::Fleet {
 public:
  std::vector<Result<drivers::CommandResult>> run_all(const std::vector<drivers::HostCommand>& batch) override;

  // Every command asked so far, in order, batches taken apart.
  const std::vector<RanCommand>& ran() const { return ran_; }
  // "NAME" of each command `host` was asked, in order ("skiff-start", ...).
  std::vector<std::string> names_on(const std::string& host) const;
  // The names `host` was asked in one round, in order.
  std::vector<std::string> names_on(const std::string& host, int round) const;
  // How many run_all calls there were.
  int rounds() const { return rounds_; }

  // Scripts the answer to command `name` on `host` (every later one).
  // Unscripted commands exit 0 with no output; a start prints
  // "state=running".
  void answer(const std::string& host, const std::string& name, drivers::CommandResult result);
  // `host` cannot be reached: run_all returns an error for it.
  void unreachable(const std::string& host);

  // The state observation reports for task `task` of every allocation
  // started from now on (by default "running", its supervisor alive), and
  // its exit code and reason.
  struct TaskOutcome {
    std::string state = "running";
    std::optional<int> exit_code;
    std::string reason;
  };
  void after_start(const std::string& task, TaskOutcome outcome) { outcomes_[task] = std::move(outcome); }

 private:
  struct Started {
    std::string alloc_json;
    std::map<std::string, TaskOutcome> tasks;
  };

  drivers::CommandResult answer_one(const std::string& host, const std::vector<std::string>& argv);
  drivers::CommandResult answer_batch(const std::string& host, const std::string& script);
  std::string observation(const std::string& host) const;

  std::vector<RanCommand> ran_;
  int rounds_ = 0;
  std::map<std::pair<std::string, std::string>, drivers::CommandResult> answers_;  // by host, name
  std::map<std::string, bool> unreachable_;
  std::map<std::string, TaskOutcome> outcomes_;                    // by task name
  std::map<std::string, std::map<std::string, Started>> started_;  // by host, allocation id
};

// The words of a command line as a POSIX shell reads them, for the quoting
// drivers::shell_join writes: bare words, single quotes and backslashes.
std::vector<std::string> shell_words(const std::string& line);

}  // namespace skiff::testing
