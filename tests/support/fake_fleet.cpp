#include "support/fake_fleet.hpp"

#include <nlohmann/json.hpp>

namespace skiff::testing {

namespace {

// The name a test knows a command by: $0 of `sh -c SCRIPT NAME ...`, else
// its program.
std::string name_of(const std::vector<std::string>& argv) {
  if (argv.size() >= 4 && argv[0] == "sh" && argv[1] == "-c") return argv[3];
  return argv.empty() ? "" : argv[0];
}

bool is_batch(const drivers::Command& command) {
  return command.argv == std::vector<std::string>{"sh", "-s"} && command.stdin_data.has_value();
}

// The batch's token, from its first line: printf '%s\n' 'TOKEN-s 0'; ...
std::string batch_token(const std::string& script) {
  const std::string prefix = "printf '%s\\n' '";
  const size_t start = script.find(prefix);
  const size_t end = script.find("-s 0'", start);
  if (start == std::string::npos || end == std::string::npos) return "";
  return script.substr(start + prefix.size(), end - start - prefix.size());
}

// The command lines of a batch script, in order: each sits between
// "TOKEN-s I' >&2\n( " and "\n) <" (its stdin: /dev/null or a here-document).
std::vector<std::string> batch_lines(const std::string& script, const std::string& token) {
  std::vector<std::string> lines;
  for (size_t i = 0;; ++i) {
    const std::string open = token + "-s " + std::to_string(i) + "' >&2\n( ";
    const size_t start = script.find(open);
    if (start == std::string::npos) break;
    const size_t end = script.find("\n) <", start);
    if (end == std::string::npos) break;
    lines.push_back(script.substr(start + open.size(), end - start - open.size()));
  }
  return lines;
}

// The allocation id a path under the data dir names (".../allocs/ID..."), or "".
std::string allocation_id_in(const std::string& text) {
  const size_t at = text.find("/allocs/");
  if (at == std::string::npos || text.size() < at + 8 + 36) return "";
  return text.substr(at + 8, 36);
}

}  // namespace

std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '\'') {
      const size_t close = line.find('\'', i + 1);
      word += line.substr(i + 1, close - i - 1);
      i = close;
      in_word = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(word);
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

std::vector<Result<drivers::CommandResult>> FakeFleet::run_all(const std::vector<drivers::HostCommand>& batch) {
  std::vector<Result<drivers::CommandResult>> results;
  for (const drivers::HostCommand& item : batch) {
    drivers::CommandResult result =
        is_batch(item.command) ? answer_batch(item.host, *item.command.stdin_data) : answer_one(item.host, item.command.argv);
    if (unreachable_[item.host]) results.emplace_back(make_error(ErrorCode::kUnavailable, "connect: timed out"));
    else results.emplace_back(std::move(result));
  }
  ++rounds_;
  return results;
}

drivers::CommandResult FakeFleet::answer_one(const std::string& host, const std::vector<std::string>& argv) {
  const std::string name = name_of(argv);
  ran_.push_back({rounds_, host, name, argv});
  if (unreachable_[host]) return {};
  auto scripted = answers_.find({host, name});
  if (scripted != answers_.end()) return scripted->second;
  if (name == "skiff-observe") return drivers::CommandResult{0, observation(host), "", std::nullopt};
  drivers::CommandResult result{0, "", "", std::nullopt};
  if (name == "skiff-start" && argv.size() >= 7) {
    result.stdout_data = "state=running\n";
    Started& started = started_[host][allocation_id_in(argv[4])];
    started.alloc_json = argv[6];
    auto outcome = outcomes_.find(argv[5]);
    started.tasks[argv[5]] = outcome == outcomes_.end() ? TaskOutcome{} : outcome->second;
  } else if (name == "skiff-purge" && argv.size() >= 3) {
    started_[host].erase(allocation_id_in(argv[2]));
  }
  return result;
}

drivers::CommandResult FakeFleet::answer_batch(const std::string& host, const std::string& script) {
  const std::string token = batch_token(script);
  drivers::CommandResult batch{0, "", "", std::nullopt};
  const std::vector<std::string> lines = batch_lines(script, token);
  for (size_t i = 0; i < lines.size(); ++i) {
    const drivers::CommandResult one = answer_one(host, shell_words(lines[i]));
    const std::string n = std::to_string(i);
    batch.stdout_data +=
        token + "-s " + n + "\n" + one.stdout_data + "\n" + token + "-e " + n + " " + std::to_string(one.exit_status) + "\n";
    batch.stderr_data += token + "-s " + n + "\n" + one.stderr_data + "\n" + token + "-e " + n + "\n";
  }
  return batch;
}

std::string FakeFleet::observation(const std::string& host) const {
  nlohmann::json allocs = nlohmann::json::array();
  auto on_host = started_.find(host);
  if (on_host != started_.end()) {
    for (const auto& [id, started] : on_host->second) {
      nlohmann::json tasks = nlohmann::json::object();
      for (const auto& [task, outcome] : started.tasks) {
        tasks[task] = {{"state", outcome.state},
                       {"restarts", "0"},
                       {"exit_code", outcome.exit_code ? std::to_string(*outcome.exit_code) : ""},
                       {"reason", outcome.reason},
                       {"since", "100"},
                       {"supervisor_alive", outcome.state != "dead"}};
      }
      allocs.push_back({{"dir", "/var/lib/skiff/allocs/" + id}, {"alloc", started.alloc_json}, {"tasks", tasks}});
    }
  }
  return nlohmann::json{{"format", 1}, {"allocs", allocs}, {"orphans", nlohmann::json::array()}}.dump() + "\n";
}

std::vector<std::string> FakeFleet::names_on(const std::string& host) const {
  std::vector<std::string> names;
  for (const RanCommand& c : ran_)
    if (c.host == host) names.push_back(c.name);
  return names;
}

std::vector<std::string> FakeFleet::names_on(const std::string& host, int round) const {
  std::vector<std::string> names;
  for (const RanCommand& c : ran_)
    if (c.host == host && c.round == round) names.push_back(c.name);
  return names;
}

void FakeFleet::answer(const std::string& host, const std::string& name, drivers::CommandResult result) {
  answers_[{host, name}] = std::move(result);
}

void FakeFleet::unreachable(const std::string& host) { unreachable_[host] = true; }

}  // namespace skiff::testing
