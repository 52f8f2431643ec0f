// Writing alloc.json files back (drivers/task/alloc_json_write.hpp): the
// command run on this machine through the local transport, over a data dir
// in a temporary folder.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "drivers/local_transport.hpp"
#include "drivers/task/alloc_json_write.hpp"
#include "support/test_files.hpp"

using namespace skiff::drivers;
namespace fs = std::filesystem;

namespace {

Allocation allocation(const fs::path& data_dir, char digit, const std::string& lineage) {
  Allocation a;
  a.id = std::string("0186a1b2-0000-4000-8000-00000000000") + digit;
  a.job = "web";
  a.group = "web";
  a.data_dir = data_dir.string();
  a.lineage = lineage;
  return a;
}

}  // namespace

TEST_CASE("write_alloc_json_command: each alloc.json written whole with its lineage; a folder that is gone is skipped",
          "[alloc_json]") {
  const fs::path data_dir = fs::temp_directory_path() / ("skiff-alloc-json-" + std::to_string(::getpid()));
  fs::remove_all(data_dir);
  const Allocation kept = allocation(data_dir, '1', "5f2c1e8a-0000-4000-8000-000000000001");
  const Allocation gone = allocation(data_dir, '2', "5f2c1e8a-0000-4000-8000-000000000001");
  Allocation old = kept;
  old.lineage = "";
  skiff::testing::write_test_file(kept.dir() + "/alloc.json", allocation_to_json(old).dump() + "\n");

  LocalTransport local;
  auto result = local.run(write_alloc_json_command({kept, gone}));
  REQUIRE(result.ok());
  INFO(result->stderr_data);
  CHECK(result->success());
  const std::string text = skiff::testing::read_test_file(kept.dir() + "/alloc.json");
  CHECK(text.back() == '\n');
  auto read = allocation_from_json(nlohmann::json::parse(text));
  REQUIRE(read.ok());
  CHECK(read->lineage == kept.lineage);
  CHECK(read->id == kept.id);
  CHECK_FALSE(fs::exists(gone.dir()));  // not made again
  CHECK_FALSE(fs::exists(kept.dir() + "/alloc.json.tmp"));
  fs::remove_all(data_dir);
}
