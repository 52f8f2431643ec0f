#include <catch2/catch.hpp>

#include "parser/load.hpp"
#include "unit/parser/fake_environment.hpp"

using namespace skiff::parser;
using skiff::spec::Duration;
using skiff::spec::HostKeyChecking;
using skiff::spec::StateBackend;

namespace {

std::optional<skiff::spec::Project> load(const std::string& path, const std::string& text, Diagnostics& diagnostics) {
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  return load_project(path, text, options, diagnostics);
}

std::vector<std::string> headlines(const Diagnostics& diagnostics) {
  std::vector<std::string> lines;
  for (const auto& d : diagnostics.items()) lines.push_back(headline(d));
  return lines;
}

}  // namespace

TEST_CASE("skiff.hcl resolves paths against its directory and keeps ~ paths", "[project]") {
  Diagnostics diagnostics;
  auto project = load("/srv/app/skiff.hcl",
                      "jobs = [\"jobs/\", \"/abs/x.hcl\"]\ninventory = \"hosts.hcl\"\n"
                      "state {\n  backend = \"ssh\"\n  host = \"bastion\"\n  path = \"/var/lib/skiff/state.json\"\n}\n"
                      "ssh {\n  user = \"deploy\"\n  port = 2222\n  identity_file = \"~/.ssh/id_ed25519\"\n"
                      "  known_hosts = \"keys/known_hosts\"\n  strict_host_key_checking = \"accept-new\"\n"
                      "  connect_timeout = \"3s\"\n  parallelism = 8\n  control_persist = \"90s\"\n}\n",
                      diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE(project);
  CHECK(project->source_path == "/srv/app/skiff.hcl");
  CHECK(project->jobs == std::vector<std::string>{"/srv/app/jobs/", "/abs/x.hcl"});
  CHECK(project->inventory == "/srv/app/hosts.hcl");
  CHECK(project->state.backend == StateBackend::kSsh);
  CHECK(project->state.host == "bastion");
  CHECK(project->state.path == "/var/lib/skiff/state.json");
  CHECK(project->ssh.user == "deploy");
  CHECK(project->ssh.port == 2222);
  CHECK(project->ssh.identity_file == "~/.ssh/id_ed25519");
  CHECK(project->ssh.known_hosts == "/srv/app/keys/known_hosts");
  CHECK(project->ssh.strict_host_key_checking == HostKeyChecking::kAcceptNew);
  CHECK(project->ssh.connect_timeout == Duration::seconds(3));
  CHECK(project->ssh.parallelism == 8);
  CHECK(project->ssh.control_persist == Duration::seconds(90));
}

TEST_CASE("an empty skiff.hcl gives the documented defaults", "[project]") {
  Diagnostics diagnostics;
  auto project = load("skiff.hcl", "", diagnostics);
  REQUIRE(project);
  CHECK(diagnostics.empty());
  CHECK(project->jobs.empty());
  CHECK(project->inventory.empty());
  CHECK(project->state.backend == StateBackend::kLocal);
  CHECK(project->state.path == ".skiff/state.json");
  CHECK_FALSE(project->ssh.port);
  CHECK(project->ssh.strict_host_key_checking == HostKeyChecking::kYes);
  CHECK(project->ssh.connect_timeout == Duration::seconds(10));
  CHECK(project->ssh.parallelism == 64);
  CHECK(project->ssh.control_persist == Duration{0});  // no keeper unless asked
  CHECK(project->fleet.max_output == uint64_t{64} << 20);
  CHECK(to_string(project->state.backend) == "local");
  CHECK(to_string(project->ssh.strict_host_key_checking) == "yes");
}

TEST_CASE("jobs may be one path; the local state file defaults beside skiff.hcl", "[project]") {
  Diagnostics diagnostics;
  auto project = load("/srv/app/skiff.hcl", "jobs = \"jobs\"\nstate {\n  backend = \"local\"\n}\n", diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE(project);
  CHECK(project->jobs == std::vector<std::string>{"/srv/app/jobs"});
  CHECK(project->state.path == "/srv/app/.skiff/state.json");
}

TEST_CASE("skiff.hcl mistakes are reported where they are", "[project]") {
  Diagnostics diagnostics;
  auto project = load("skiff.hcl",
                      "jobs = 3\ninventroy = \"hosts.hcl\"\n"
                      "state {\n  backend = \"s3\"\n}\n"
                      "ssh {\n  strict_host_key_checking = \"maybe\"\n  connect_timeout = \"0s\"\n  parallelism = 0\n  port = "
                      "\"x\"\n  control_persist = \"-1s\"\n}\n",
                      diagnostics);
  CHECK_FALSE(project);
  CHECK(headlines(diagnostics) ==
        std::vector<std::string>{
            "skiff.hcl:1:8: error: attribute \"jobs\" in skiff.hcl must be a path or a list of paths, not number",
            "skiff.hcl:4:13: error: state backend must be \"local\" or \"ssh\", not \"s3\"",
            "skiff.hcl:10:10: error: attribute \"port\" in ssh must be a number, not string",
            "skiff.hcl:7:30: error: strict_host_key_checking must be \"yes\", \"accept-new\" or \"no\", not \"maybe\"",
            "skiff.hcl:8:21: error: connect_timeout in ssh must be longer than 0s",
            "skiff.hcl:9:17: error: attribute \"parallelism\" in ssh must be between 1 and 4096",
            "skiff.hcl:11:21: error: control_persist in ssh must be 0s or longer",
            "skiff.hcl:2:1: error: unknown attribute \"inventroy\" in skiff.hcl; did you mean \"inventory\"?"});
}

TEST_CASE("the ssh state backend needs a host; a local one takes none", "[project]") {
  Diagnostics diagnostics;
  CHECK_FALSE(load("skiff.hcl", "state {\n  backend = \"ssh\"\n}\n", diagnostics));
  CHECK_FALSE(load("skiff.hcl", "state {\n  host = \"bastion\"\n}\n", diagnostics));
  CHECK(headlines(diagnostics) ==
        std::vector<std::string>{"skiff.hcl:1:1: error: the ssh state backend needs a host",
                                 "skiff.hcl:2:10: error: host in state only applies to backend = \"ssh\""});
}

TEST_CASE("fleet { max_output } takes a size with a binary unit, 1 KiB or more", "[project]") {
  Diagnostics diagnostics;
  auto project = load("skiff.hcl", "fleet {\n  max_output = \"512KiB\"\n}\n", diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE(project);
  CHECK(project->fleet.max_output == 512u * 1024);

  Diagnostics bad;
  CHECK_FALSE(load("skiff.hcl", "fleet {\n  max_output = \"64MB\"\n}\n", bad));
  Diagnostics tiny;
  CHECK_FALSE(load("skiff.hcl", "fleet {\n  max_output = \"100B\"\n}\n", tiny));
  CHECK(
      headlines(bad) ==
      std::vector<std::string>{
          "skiff.hcl:2:16: error: max_output in fleet must be a size such as \"64MiB\" (units B, KiB, MiB, GiB), not \"64MB\""});
  CHECK(headlines(tiny) ==
        std::vector<std::string>{"skiff.hcl:2:16: error: max_output in fleet must be at least 1KiB, not \"100B\""});
}
