#include "drivers/observe.hpp"

#include <nlohmann/json.hpp>

#include "drivers/supervisor.hpp"

namespace skiff::drivers {

namespace {

// $1: the data dir. Every value is a JSON string, escaped here (control
// characters dropped): alloc.json travels as a string too, so that a damaged
// one makes its entry unreadable rather than the whole output.
constexpr const char* kObserveScript = R"SH(d=$1
esc() { printf '%s' "$1" | tr -d '\000-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
printf '{"format":1,"allocs":['
first=1
for f in "$d"/allocs/*/alloc.json; do
  [ -f "$f" ] || continue
  a=${f%/alloc.json}
  [ "$first" = 1 ] || printf ','
  first=0
  printf '{"dir":"%s","alloc":"%s","tasks":{' "$(esc "$a")" "$(esc "$(cat "$f")")"
  tfirst=1
  for s in "$a"/*/.skiff; do
    [ -d "$s" ] || continue
    t=${s%/.skiff}; t=${t##*/}
    [ "$tfirst" = 1 ] || printf ','
    tfirst=0
    state= restarts= exit_code= reason= since=
    if [ -f "$s/status" ]; then
      while IFS='=' read -r k v; do
        case $k in state|restarts|exit_code|reason|since) eval "$k=\$v" ;; esac
      done < "$s/status"
    fi
    alive=false
    supervisor_alive "$s" && alive=true
    printf '"%s":{"state":"%s","restarts":"%s","exit_code":"%s","reason":"%s","since":"%s","supervisor_alive":%s}' \
      "$(esc "$t")" "$(esc "$state")" "$(esc "$restarts")" "$(esc "$exit_code")" "$(esc "$reason")" "$(esc "$since")" "$alive"
  done
  printf '}}'
done
printf ']}\n'
)SH";

std::optional<int64_t> number(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  const std::string& s = it->get_ref<const std::string&>();
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 18) return std::nullopt;
  return std::stoll(s);
}

ObservedTask task_from(const nlohmann::json& j) {
  ObservedTask t;
  t.state = j.value("state", "");
  t.restarts = static_cast<int>(number(j, "restarts").value_or(0));
  if (auto code = number(j, "exit_code")) t.exit_code = static_cast<int>(*code);
  t.reason = j.value("reason", "");
  t.since_unix = number(j, "since");
  t.supervisor_alive = j.value("supervisor_alive", false);
  if (t.state.empty()) t.state = "unknown";
  if ((t.state == "running" || t.state == "restarting") && !t.supervisor_alive) {
    t.reason = "the supervisor is gone (was " + t.state + (t.reason.empty() ? "" : ": " + t.reason) + ")";
    t.state = "lost";
  }
  return t;
}

}  // namespace

Command observe_command(const std::string& data_dir) {
  return Command{{"sh", "-c", std::string(kSupervisorAliveFunction) + kObserveScript, "skiff-observe", data_dir}, std::nullopt, std::chrono::milliseconds{30000}};
}

Result<Observation> parse_observation(const std::string& output) {
  nlohmann::json j = nlohmann::json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("format", 0) != 1 || !j.contains("allocs") || !j["allocs"].is_array()) {
    return make_error(ErrorCode::kParse, "observe: not skiff's observation JSON; the host printed: " +
                                             nlohmann::json(output.substr(0, 200)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  Observation observation;
  for (const auto& entry : j["allocs"]) {
    nlohmann::json alloc_json = nlohmann::json::parse(entry.value("alloc", ""), nullptr, /*allow_exceptions=*/false);
    std::optional<Allocation> allocation = allocation_from_json(alloc_json);
    if (!allocation) {
      observation.unreadable.push_back(entry.value("dir", ""));
      continue;
    }
    ObservedAllocation observed{*allocation, {}};
    if (entry.contains("tasks") && entry["tasks"].is_object())
      for (const auto& [name, task] : entry["tasks"].items()) observed.tasks[name] = task_from(task);
    observation.allocations.push_back(std::move(observed));
  }
  return observation;
}

}  // namespace skiff::drivers
