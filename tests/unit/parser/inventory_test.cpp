#include <catch2/catch.hpp>

#include "parser/load.hpp"
#include "unit/parser/fake_environment.hpp"

using namespace skiff::parser;

namespace {

std::optional<skiff::spec::Inventory> load(const std::string& text, Diagnostics& diagnostics) {
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  return load_inventory("hosts.hcl", text, options, diagnostics);
}

}  // namespace

TEST_CASE("hosts inherit defaults, their own values win and meta merges", "[inventory]") {
  Diagnostics diagnostics;
  auto inventory = load(
      "defaults {\n  user = \"deploy\"\n  port = 2222\n  meta {\n    rack = \"r1\"\n  }\n}\n"
      "host \"a\" {\n  address = \"10.0.0.1\"\n  meta {\n    disk-type = \"ssd\"\n  }\n}\n"
      "host \"b\" {\n  user = \"root\"\n  host_volume \"data\" {\n    path = \"/srv\"\n  }\n}\n",
      diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE(inventory);
  REQUIRE(inventory->hosts.size() == 2);
  const auto& a = inventory->hosts[0];
  CHECK(a.address == "10.0.0.1");
  CHECK(a.user == "deploy");
  CHECK(a.port == 2222);
  CHECK(a.meta == std::map<std::string, std::string>{{"disk-type", "ssd"}, {"rack", "r1"}});
  CHECK(a.data_dir == "/var/lib/skiff");
  const auto& b = inventory->hosts[1];
  CHECK(b.address == "b");
  CHECK(b.user == "root");
  REQUIRE(b.host_volumes.size() == 1);
  CHECK(b.host_volumes[0].path == "/srv");
}

TEST_CASE("inventory mistakes are reported where they are", "[inventory]") {
  Diagnostics diagnostics;
  auto inventory = load("host \"a\" {\n  adress = \"x\"\n  port = \"ssh\"\n}\nhost \"a\" {}\n", diagnostics);
  CHECK_FALSE(inventory);
  std::vector<std::string> lines;
  for (const auto& d : diagnostics.items()) lines.push_back(headline(d));
  CHECK(lines == std::vector<std::string>{
                     "hosts.hcl:3:10: error: attribute \"port\" in host \"a\" must be a number, not string",
                     "hosts.hcl:2:3: error: unknown attribute \"adress\" in host \"a\"; did you mean \"address\"?",
                     "hosts.hcl:5:6: error: host \"a\" is defined twice in the inventory"});
}

TEST_CASE("the built-in inventory is one local host", "[inventory]") {
  skiff::spec::Inventory inventory = skiff::spec::builtin_local_inventory();
  REQUIRE(inventory.hosts.size() == 1);
  CHECK(inventory.hosts[0].name == "local");
  CHECK(inventory.hosts[0].transport == skiff::spec::Transport::kLocal);
}

TEST_CASE("skiff.hcl resolves paths against its directory", "[project]") {
  skiff::testing::FakeEnvironment env;
  EvalOptions options;
  options.env = &env;
  Diagnostics diagnostics;
  auto project = load_project("/srv/app/skiff.hcl",
                              "jobs = [\"jobs/\", \"/abs/x.hcl\"]\ninventory = \"hosts.hcl\"\n"
                              "state {\n  backend = \"ssh\"\n  host = \"bastion\"\n  path = \"/var/lib/skiff/state.json\"\n}\n"
                              "ssh {\n  strict_host_key_checking = \"accept-new\"\n  connect_timeout = \"3s\"\n}\n",
                              options, diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE(project);
  CHECK(project->jobs == std::vector<std::string>{"/srv/app/jobs/", "/abs/x.hcl"});
  CHECK(project->inventory == "/srv/app/hosts.hcl");
  CHECK(project->state.backend == "ssh");
  CHECK(project->ssh.strict_host_key_checking == "accept-new");
  CHECK(project->ssh.connect_timeout == skiff::spec::Duration::seconds(3));
}
