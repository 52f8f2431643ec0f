// The store contract (store_contract.hpp) against the `local` backend in a
// scratch directory; integration/state_ssh_test.cpp runs the same cases
// against the `ssh` backend on a fleet host.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "state/local_store.hpp"
#include "unit/cli/run_skiff.hpp"
#include "unit/state/store_contract.hpp"

namespace skiff::state::contract {
namespace {

class LocalContractEnv : public StoreContractEnv {
 public:
  std::unique_ptr<StateStore> make_store() override { return std::make_unique<LocalStateStore>(path()); }
  std::string name_of(StoreFile file) const override { return file_path(file); }
  std::optional<std::string> read_file(StoreFile file) override {
    std::ifstream in(file_path(file), std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }
  void write_file(StoreFile file, const std::string& bytes) override {
    std::ofstream(file_path(file), std::ios::binary | std::ios::trunc) << bytes;
  }
  std::vector<std::string> directory_entries() override {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) names.push_back(entry.path().filename());
    return names;
  }

 private:
  std::string path() const { return dir_.path() + "/state.json"; }
  std::string file_path(StoreFile file) const {
    switch (file) {
      case StoreFile::kBackup: return path() + ".backup";
      case StoreFile::kLock: return path() + ".lock";
      case StoreFile::kState: break;
    }
    return path();
  }
  skiff::testing::ScratchDir dir_;
};

TEST_CASE("store contract: the local backend", "[state][store-contract]") {
  LocalContractEnv env;
  run_store_contract(env);
}

}  // namespace
}  // namespace skiff::state::contract
