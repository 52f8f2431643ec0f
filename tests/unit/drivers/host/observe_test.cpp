// parse_observation against the host it came from: an alloc.json speaks
// for its own folder, host and data dir, or it is rejected, with why.
#include "drivers/host/observe.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace skiff::drivers;

namespace {

const std::string kId = "0b5c3e38-1d2f-4c7e-9a55-3f0e1c2d4b6a";

Allocation allocation_on(const std::string& host, const std::string& data_dir) {
  Allocation a;
  a.id = kId;
  a.job = "web";
  a.group = "front";
  a.host = host;
  a.data_dir = data_dir;
  return a;
}

// What observe.awk prints for one allocation folder holding `a`.
std::string document(const std::string& folder, const Allocation& a) {
  nlohmann::json entry = {{"dir", folder}, {"alloc", allocation_to_json(a).dump()}, {"tasks", nlohmann::json::object()}};
  return nlohmann::json{{"format", 1}, {"allocs", {entry}}}.dump();
}

}  // namespace

TEST_CASE("an alloc.json naming another host, data dir or folder is rejected, never trusted", "[observe]") {
  const HostToObserve web2{"web-2", "/var/lib/skiff"};
  const std::string folder = "/var/lib/skiff/allocs/" + kId;

  auto own = parse_observation(document(folder, allocation_on("web-2", "/var/lib/skiff")), &web2);
  REQUIRE(own.ok());
  CHECK(own->allocations.size() == 1);
  CHECK(own->rejected.empty());

  struct Case {
    std::string folder;
    Allocation allocation;
    std::string why;
  };
  for (const Case& c :
       std::vector<Case>{{folder, allocation_on("web-1", "/var/lib/skiff"), "names host \"web-1\", not web-2"},
                         {folder, allocation_on("web-2", "/srv/other"), "names data dir \"/srv/other\", not /var/lib/skiff"},
                         {folder, allocation_on("\x1b[2Jweb-2", "/var/lib/skiff"), "names host \"\\x1b[2Jweb-2\", not web-2"},
                         {"/var/lib/skiff/allocs/7d3f0a11-0000-4000-8000-000000000001", allocation_on("web-2", "/var/lib/skiff"),
                          "names allocation " + kId + ", not its folder's"}}) {
    INFO(c.why);
    auto observed = parse_observation(document(c.folder, c.allocation), &web2);
    REQUIRE(observed.ok());
    CHECK(observed->allocations.empty());
    REQUIRE(observed->rejected.size() == 1);
    CHECK(observed->rejected[0].folder == c.folder);
    CHECK(observed->rejected[0].why == c.why);
  }
  // Without a host to weigh it against, only the folder is checked.
  auto unweighed = parse_observation(document(folder, allocation_on("web-1", "/srv/other")));
  REQUIRE(unweighed.ok());
  CHECK(unweighed->allocations.size() == 1);
}
