// libFuzzer target: arbitrary bytes as a host's observe output, as
// observe_hosts parses it for one inventory host, and as one allocation
// folder's alloc.json inside an otherwise well-formed output. A host may
// print anything: any crash, sanitizer report, leak, hang or exception
// escaping the parser is a bug. Whatever is read is then printed as skiff
// prints it (drift lines, alloc.json written back).
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "drivers/host/observe.hpp"

namespace {

using skiff::drivers::HostToObserve;
using skiff::drivers::Observation;

constexpr auto kReplace = nlohmann::json::error_handler_t::replace;  // as the CLI prints

void print(const Observation& observation) {
  for (const auto& observed : observation.allocations) {
    (void)skiff::drivers::allocation_to_json(observed.allocation).dump(-1, ' ', false, kReplace);
    (void)observed.allocation.name();
    (void)observed.allocation.dir();
    for (const auto& [name, task] : observed.tasks) (void)nlohmann::json(task.reason).dump(-1, ' ', false, kReplace);
  }
  for (const auto& rejected : observation.rejected) (void)nlohmann::json(rejected.why).dump(-1, ' ', false, kReplace);
}

void parse(const std::string& output, const HostToObserve& host) {
  skiff::Result<Observation> observation = skiff::drivers::parse_observation(output, &host);
  if (observation.ok()) print(*observation);
  else (void)observation.error().message;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const HostToObserve host{"web-1", "/var/lib/skiff"};
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  parse(bytes, host);
  // The same bytes as an alloc.json, its folder named after the id it
  // would need to have.
  const nlohmann::json entry = {{"dir", "/var/lib/skiff/allocs/0b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a"},
                                {"alloc", bytes},
                                {"tasks", nlohmann::json::object()}};
  parse(nlohmann::json{{"format", 1}, {"allocs", {entry}}}.dump(-1, ' ', false, kReplace), host);
  return 0;
}
