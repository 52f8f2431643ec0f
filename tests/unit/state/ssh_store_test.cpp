// The ssh state backend's own promises, with fakes and a local shell in
// place of the host: every remote command it runs is bounded in time, and
// its write script never leaves a temp file or renames a state that
// arrived cut short.
#include "state/ssh_store.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "drivers/local_transport.hpp"
#include "drivers/scripts/scripts.hpp"

namespace skiff::state {
namespace {

using namespace std::chrono_literals;

// Answers every command with "no such file" and records it.
class RecordingTransport : public drivers::Transport {
 public:
  explicit RecordingTransport(std::vector<drivers::Command>& ran) : ran_(ran) {}
  Result<drivers::CommandResult> run(const drivers::Command& command) override {
    ran_.push_back(command);
    drivers::CommandResult result;
    result.exit_status = command.argv.size() > 3 && command.argv[3] == "skiff-state-read" ? 10 : 0;
    return result;
  }
  Status put_file(const drivers::FileSpec&) override { return Status(); }

 private:
  std::vector<drivers::Command>& ran_;
};

class NoHolder : public drivers::CommandHolder {
 public:
  Result<drivers::HoldStart> start(const drivers::Command&, const std::string&, const std::string&) override {
    return make_error(ErrorCode::kUnavailable, "no holds here");
  }
};

SshStateStore recording_store(std::vector<drivers::Command>& ran, std::chrono::milliseconds timeout) {
  return SshStateStore(SshStateLocation{"h1", "root", "/var/lib/skiff/state.json"}, std::make_unique<RecordingTransport>(ran),
                       std::make_unique<NoHolder>(), timeout);
}

TEST_CASE("ssh state store: its reads and writes carry the store's timeout", "[ssh_store]") {
  std::vector<drivers::Command> ran;
  SshStateStore store = recording_store(ran, 1234ms);
  REQUIRE(store.load().ok());
  State state;
  REQUIRE(store.save(state, 0).ok());
  (void)store.holder();
  REQUIRE(ran.size() >= 3);
  for (const drivers::Command& command : ran) {
    INFO(drivers::command_name(command));
    CHECK(command.timeout == 1234ms);
  }
}

TEST_CASE("ssh state store: by default a remote command gets a minute", "[ssh_store]") {
  std::vector<drivers::Command> ran;
  SshStateStore store(SshStateLocation{"h1", "root", "/s/state.json"}, std::make_unique<RecordingTransport>(ran),
                      std::make_unique<NoHolder>());
  REQUIRE(store.load().ok());
  REQUIRE_FALSE(ran.empty());
  for (const drivers::Command& command : ran) CHECK(command.timeout == 60s);
}

// state_write.sh run by the local shell, in a folder of its own.
class WriteScript {
 public:
  WriteScript() : dir_(std::filesystem::temp_directory_path() / ("skiff-state-write-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~WriteScript() { std::filesystem::remove_all(dir_); }

  // Writes `text` claiming it is `size` bytes long.
  drivers::CommandResult write(const std::string& text, size_t size, bool keep_backup) {
    auto ran = drivers::LocalTransport().run(
        drivers::Command{{"sh", "-c", std::string(drivers::scripts::kStateWriteSh), "skiff-state-write", path(),
                          keep_backup ? "1" : "0", std::to_string(size)},
                         text,
                         10s});
    REQUIRE(ran.ok());
    return *ran;
  }
  std::string path() const { return (dir_ / "state.json").string(); }
  std::string read(const std::string& name) const {
    std::ifstream in(dir_ / name, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), {});
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

 private:
  std::filesystem::path dir_;
};

TEST_CASE("state_write.sh: a whole state replaces the old one, which becomes the backup", "[ssh_store]") {
  WriteScript script;
  REQUIRE(script.write("one\n", 4, false).success());
  REQUIRE(script.write("two\n", 4, true).success());
  CHECK(script.read("state.json") == "two\n");
  CHECK(script.read("state.json.backup") == "one\n");
  CHECK(script.entries() == std::vector<std::string>{"state.json", "state.json.backup"});
}

TEST_CASE("state_write.sh: a state cut short is refused, the old one stays, and no temp file is left", "[ssh_store]") {
  WriteScript script;
  REQUIRE(script.write("{\"serial\": 1}\n", 14, false).success());
  // What a lost connection looks like to the script: EOF before the end.
  drivers::CommandResult cut = script.write("{\"seri", 14, true);
  CHECK(cut.exit_status == 1);
  CHECK(script.read("state.json") == "{\"serial\": 1}\n");
  CHECK(script.entries() == std::vector<std::string>{"state.json"});
}

}  // namespace
}  // namespace skiff::state
