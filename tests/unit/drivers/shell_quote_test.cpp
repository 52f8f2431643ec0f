#include "drivers/shell_quote.hpp"

#include <catch2/catch.hpp>

#include "drivers/batch.hpp"
#include "drivers/local_transport.hpp"

using namespace skiff::drivers;

TEST_CASE("shell_quote leaves plain words bare and quotes the rest", "[drivers]") {
  CHECK(shell_quote("abc-1.2/x_y") == "abc-1.2/x_y");
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("~") == "'~'");
  CHECK(shell_quote("a=b") == "'a=b'");
  CHECK(shell_join({"echo", "a b", ""}) == "echo 'a b' ''");
}

namespace {

// Nasty words: every one must come back from /bin/sh byte for byte.
std::vector<std::string> nasty_strings() {
  std::string all_bytes;
  for (int c = 1; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  return {"",
          " ",
          "two words",
          "  leading and trailing  ",
          "'",
          "''",
          "\"",
          "it's \"quoted\"",
          "$(touch /tmp/skiff-pwned)",
          "`touch /tmp/skiff-pwned`",
          "$HOME ${HOME} $1 $@ $*",
          "a; rm -rf /nonexistent; b",
          "a && b || c | d & e",
          "line1\nline2\n",
          "\n",
          "tab\there",
          "back\\slash\\",
          "glob * ? [a-z] ~ ~root",
          "{a,b} !x #comment",
          "< > >> 2>&1",
          "héllo wörld ✓ 日本語 🚀",
          "\xff\xfe invalid utf-8 \xc3",
          "-n",
          "-e",
          "--",
          all_bytes};
}

}  // namespace

TEST_CASE("shell_quote round-trips nasty strings through /bin/sh", "[drivers]") {
  LocalTransport local;
  for (const auto& s : nasty_strings()) {
    INFO("string: " << s);
    auto r = local.run(Command{{"sh", "-c", "printf %s \"$1\"", "_", s}, std::nullopt, {}});
    REQUIRE(r.ok());
    CHECK(r->exit_status == 0);
    CHECK(r->stdout_data == s);
  }
}

TEST_CASE("printf_literal prints every byte back through /bin/sh's printf, NUL included", "[drivers]") {
  LocalTransport local;
  std::vector<std::string> cases = nasty_strings();
  cases.push_back(std::string("nul\0inside\0", 12));
  cases.push_back("100% %s %d %% \\n \\0 \\x41");
  for (const auto& s : cases) {
    INFO("string: " << s);
    const std::string format = printf_literal(s);
    CHECK(format.find('\0') == std::string::npos);
    auto r = local.run(Command{{"sh", "-c", "printf \"$1\"", "_", format}, std::nullopt, {}});
    REQUIRE(r.ok());
    CHECK(r->exit_status == 0);
    CHECK(r->stdout_data == s);
  }
}

TEST_CASE("shell_join keeps every piece one argument", "[drivers]") {
  LocalTransport local;
  auto pieces = nasty_strings();
  std::vector<std::string> argv = {"sh", "-c", "printf '%s\\0' \"$@\"", "_"};
  argv.insert(argv.end(), pieces.begin(), pieces.end());
  auto r = local.run(Command{argv, std::nullopt, {}});
  REQUIRE(r.ok());
  std::string expected;
  for (const auto& s : pieces) expected += s + '\0';
  CHECK(r->stdout_data == expected);
}

TEST_CASE("a batch runs its commands in turn and splits each one's output, status and stderr", "[drivers]") {
  using namespace skiff::drivers;
  const std::string token = "skiff-0123456789abcdef0123456789abcdef";
  std::vector<Command> commands = {Command{{"printf", "%s", "no newline"}, std::nullopt, std::chrono::seconds(5)},
                                   Command{{"sh", "-c", "echo out; echo err >&2; exit 3"}, std::nullopt, std::chrono::seconds(5)},
                                   Command{{"echo", "it's \"quoted\" $(not run)"}, std::nullopt, std::chrono::seconds(5)}};
  Command batch = batch_command(commands, token);
  CHECK(batch.timeout == std::chrono::seconds(15));
  auto run = LocalTransport().run(batch);
  REQUIRE(run.ok());
  auto results = split_batch(*run, commands.size(), token);
  REQUIRE(results.size() == 3);
  REQUIRE(results[0].ok());
  CHECK(results[0]->stdout_data == "no newline");
  CHECK(results[0]->exit_status == 0);
  REQUIRE(results[1].ok());
  CHECK(results[1]->stdout_data == "out\n");
  CHECK(results[1]->stderr_data == "err\n");
  CHECK(results[1]->exit_status == 3);
  REQUIRE(results[2].ok());
  CHECK(results[2]->stdout_data == "it's \"quoted\" $(not run)\n");
  // A batch cut short: the commands it never finished are errors.
  CommandResult cut = *run;
  cut.stdout_data = cut.stdout_data.substr(0, cut.stdout_data.find(token + "-s 2"));
  auto partial = split_batch(cut, commands.size(), token);
  CHECK(partial[1].ok());
  CHECK_FALSE(partial[2].ok());
}

TEST_CASE("a batch larger than one argument may be (128 KiB) runs whole", "[drivers]") {
  using namespace skiff::drivers;
  const std::string token = "skiff-fedcba9876543210fedcba9876543210";
  const std::string big(6000, 'x');
  std::vector<Command> commands;
  for (int i = 0; i < 40; ++i)
    commands.push_back(Command{{"sh", "-c", "echo ${#1}", "n", big}, std::nullopt, std::chrono::seconds(5)});
  auto run = LocalTransport().run(batch_command(commands, token));
  REQUIRE(run.ok());
  auto results = split_batch(*run, commands.size(), token);
  for (const auto& r : results) {
    REQUIRE(r.ok());
    CHECK(r->stdout_data == "6000\n");
  }
}

TEST_CASE("a batch gives each command its own stdin bytes, as they are, and the others /dev/null", "[drivers]") {
  using namespace skiff::drivers;
  const std::string token = "skiff-00112233445566778899aabbccddeeff";
  const std::string text = "line one $(not run) `nor this` \\ 'quoted'\nEOF\n" + token + "-i9\n\nlast";
  std::vector<Command> commands = {Command{{"cat"}, text, std::chrono::seconds(5)},
                                   Command{{"sh", "-c", "cat; echo ."}, std::nullopt, std::chrono::seconds(5)},
                                   Command{{"wc", "-c"}, std::string("ends in a newline\n"), std::chrono::seconds(5)}};
  auto run = LocalTransport().run(batch_command(commands, token));
  REQUIRE(run.ok());
  auto results = split_batch(*run, commands.size(), token);
  REQUIRE(results.size() == 3);
  REQUIRE(results[0].ok());
  CHECK(results[0]->stdout_data == text + "\n");  // a newline added at the end
  REQUIRE(results[1].ok());
  CHECK(results[1]->stdout_data == ".\n");  // nothing to read
  REQUIRE(results[2].ok());
  CHECK(results[2]->stdout_data == "18\n");  // no newline added
}
