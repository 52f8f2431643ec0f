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
  CHECK(lines ==
        std::vector<std::string>{"hosts.hcl:3:10: error: attribute \"port\" in host \"a\" must be a number, not string",
                                 "hosts.hcl:2:3: error: unknown attribute \"adress\" in host \"a\"; did you mean \"address\"?",
                                 "hosts.hcl:5:6: error: host \"a\" is defined twice in the inventory"});
}

TEST_CASE("the built-in inventory is one local host", "[inventory]") {
  skiff::spec::Inventory inventory = skiff::spec::builtin_local_inventory();
  REQUIRE(inventory.hosts.size() == 1);
  CHECK(inventory.hosts[0].name == "local");
  CHECK(inventory.hosts[0].transport == skiff::spec::Transport::kLocal);
  CHECK(inventory.hosts[0].datacenter == "dc1");
  CHECK(inventory.hosts[0].data_dir == "/var/lib/skiff");
  CHECK(inventory.find("local") == &inventory.hosts[0]);
  CHECK(inventory.find("nope") == nullptr);
}

TEST_CASE("every host field decodes; a host without an address is dialled by name", "[inventory]") {
  Diagnostics diagnostics;
  auto inventory = load(
      "host \"gpu-1\" {\n  port = 2200\n  user = \"ops\"\n  identity_file = \"~/.ssh/gpu\"\n"
      "  data_dir = \"/srv/skiff\"\n  datacenter = \"eu-1\"\n  node_class = \"gpu\"\n  node_pool = \"batch\"\n"
      "  meta = { \"has-gpu\" = true }\n  resources {\n    cpu = 16000\n    memory = 65536\n    disk = 500000\n    cores = 8\n  "
      "}\n}\n"
      "host \"self\" {\n  transport = \"local\"\n}\n",
      diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE(inventory);
  CHECK(diagnostics.empty());
  const auto& gpu = inventory->hosts[0];
  CHECK(gpu.address == "gpu-1");
  CHECK(gpu.transport == skiff::spec::Transport::kSsh);
  CHECK(gpu.port == 2200);
  CHECK(gpu.user == "ops");
  CHECK(gpu.identity_file == "~/.ssh/gpu");
  CHECK(gpu.data_dir == "/srv/skiff");
  CHECK(gpu.datacenter == "eu-1");
  CHECK(gpu.node_class == "gpu");
  CHECK(gpu.node_pool == "batch");
  CHECK(gpu.meta == std::map<std::string, std::string>{{"has-gpu", "true"}});
  CHECK(gpu.resources.cpu_mhz == 16000);
  CHECK(gpu.resources.memory_mb == 65536);
  CHECK(gpu.resources.disk_mb == 500000);
  CHECK(gpu.resources.cores == 8);
  CHECK(inventory->hosts[1].transport == skiff::spec::Transport::kLocal);
  CHECK_FALSE(inventory->hosts[1].port);
  CHECK(inventory->hosts[1].node_pool == "default");
  CHECK_FALSE(inventory->hosts[1].resources.cpu_mhz);
}

TEST_CASE("defaults {} may set an address and host volumes; a host's own volume replaces one of the same name", "[inventory]") {
  Diagnostics diagnostics;
  auto inventory = load(
      "defaults {\n  address = \"127.0.0.1\"\n  host_volume \"data\" {\n    path = \"/srv/data\"\n  }\n"
      "  host_volume \"logs\" {\n    path = \"/var/log\"\n    read_only = true\n  }\n}\n"
      "host \"a\" {\n  port = 2201\n}\n"
      "host \"b\" {\n  port = 2202\n  host_volume \"data\" {\n    path = \"/mnt/b\"\n  }\n}\n",
      diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE(inventory);
  const auto& a = inventory->hosts[0];
  const auto& b = inventory->hosts[1];
  CHECK(a.address == "127.0.0.1");
  CHECK(b.address == "127.0.0.1");
  REQUIRE(a.host_volumes.size() == 2);
  CHECK(a.host_volumes[1].read_only);
  REQUIRE(b.host_volumes.size() == 2);
  CHECK(b.host_volumes[0].name == "logs");
  CHECK(b.host_volumes[1].name == "data");
  CHECK(b.host_volumes[1].path == "/mnt/b");
}

TEST_CASE("inventory values out of range or of the wrong kind are reported", "[inventory]") {
  Diagnostics diagnostics;
  auto inventory = load(
      "defaults {\n  transport = \"telnet\"\n}\n"
      "host \"a\" {\n  port = 70000\n  data_dir = \"skiff\"\n  resources {\n    memory = 0\n    gpus = 1\n  }\n"
      "  host_volume \"v\" {\n    path = \"/x\"\n  }\n  host_volume \"v\" {\n    read_only = true\n  }\n"
      "  host_volume {\n    path = \"/y\"\n  }\n}\n"
      "host \"\" {}\ndefaults {}\nhosts \"c\" {}\n",
      diagnostics);
  CHECK_FALSE(inventory);
  std::vector<std::string> lines;
  for (const auto& d : diagnostics.items()) lines.push_back(headline(d));
  CHECK(lines ==
        std::vector<std::string>{
            "hosts.hcl:22:1: error: only one \"defaults\" block is allowed in the inventory (the first is at line 1)",
            "hosts.hcl:2:15: error: transport in defaults must be \"ssh\" or \"local\", not \"telnet\"",
            "hosts.hcl:5:10: error: attribute \"port\" in host \"a\" must be between 1 and 65535",
            "hosts.hcl:6:14: error: attribute \"data_dir\" in host \"a\" must be an absolute path, not \"skiff\"",
            "hosts.hcl:8:14: error: attribute \"memory\" in resources of host \"a\" must be between 1 and 2147483647",
            "hosts.hcl:9:5: error: unknown attribute \"gpus\" in resources of host \"a\"",
            "hosts.hcl:17:3: error: block \"host_volume\" in host \"a\" needs exactly one label, its name",
            "hosts.hcl:15:5: error: host_volume \"v\" of host \"a\" is missing the required attribute \"path\"",
            "hosts.hcl:14:15: error: host_volume \"v\" is declared twice in host \"a\"",
            "hosts.hcl:21:6: error: host name \"\" must be non-empty and hold no spaces",
            "hosts.hcl:23:1: error: unknown block \"hosts\" in the inventory; did you mean \"host\"?"});
}

TEST_CASE("an inventory without hosts is valid but warned about", "[inventory]") {
  Diagnostics diagnostics;
  auto inventory = load("# nothing yet\n", diagnostics);
  REQUIRE(inventory);
  CHECK(inventory->hosts.empty());
  REQUIRE(diagnostics.items().size() == 1);
  CHECK(diagnostics.items()[0].severity == Severity::kWarning);
  CHECK_THAT(headline(diagnostics.items()[0]), Catch::Contains("the inventory declares no hosts"));
}

TEST_CASE("docker { volumes_enabled } is off unless a host or the defaults turn it on", "[inventory]") {
  Diagnostics diagnostics;
  auto inventory = load(
      "defaults {\n  docker {\n    volumes_enabled = true\n  }\n}\nhost \"a\" {}\n"
      "host \"b\" {\n  docker {\n    volumes_enabled = false\n  }\n}\n",
      diagnostics);
  INFO(diagnostics.render_all());
  REQUIRE(inventory);
  CHECK(inventory->hosts[0].docker_volumes_enabled);
  CHECK_FALSE(inventory->hosts[1].docker_volumes_enabled);
  Diagnostics none;
  auto plain = load("host \"c\" {}\n", none);
  REQUIRE(plain);
  CHECK_FALSE(plain->hosts[0].docker_volumes_enabled);
  Diagnostics typo;
  load("host \"d\" {\n  docker {\n    volume_enabled = true\n  }\n}\n", typo);
  CHECK_THAT(typo.render_all(), Catch::Contains("unknown attribute \"volume_enabled\" in docker of host \"d\"") &&
                                    Catch::Contains("did you mean \"volumes_enabled\"?"));
}
