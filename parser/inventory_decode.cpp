// hosts.hcl: `defaults {}` inherited by every `host "name" {}` block (host
// values win, meta maps merge), and the built-in `local` host.
#include <set>

#include "parser/body_reader.hpp"
#include "parser/load.hpp"

namespace skiff::spec {

Inventory builtin_local_inventory() {
  Host local;
  local.name = "local";
  local.transport = Transport::kLocal;
  local.address = "localhost";
  return Inventory{"", {local}};
}

}  // namespace skiff::spec

namespace skiff::parser {

namespace {

// Reads the host attributes present in `reader` over `host`.
void read_host_fields(BodyReader& reader, spec::Host& host) {
  if (auto v = reader.string("address")) host.address = *v;
  if (auto v = reader.integer("port")) {
    host.port = static_cast<int>(*v);
    if (*v < 1 || *v > 65535) reader.attribute_error(*reader.value("port"), "port in " + reader.where() + " must be between 1 and 65535");
  }
  if (auto v = reader.string("user")) host.user = *v;
  if (auto v = reader.string("identity_file")) host.identity_file = *v;
  if (auto v = reader.string("data_dir")) host.data_dir = *v;
  if (auto v = reader.string("datacenter")) host.datacenter = *v;
  if (auto v = reader.string("node_class")) host.node_class = *v;
  if (auto v = reader.string("node_pool")) host.node_pool = *v;
  for (const auto& [key, value] : reader.string_map("meta")) host.meta[key] = value;
  if (const EvalBlock* resources = reader.single_block("resources")) {
    BodyReader r(*resources->body, "resources of " + reader.where(), reader.diagnostics());
    if (auto v = r.integer("cpu")) host.resources.cpu_mhz = static_cast<int>(*v);
    if (auto v = r.integer("memory")) host.resources.memory_mb = static_cast<int>(*v);
    if (auto v = r.integer("disk")) host.resources.disk_mb = static_cast<int>(*v);
    if (auto v = r.integer("cores")) host.resources.cores = static_cast<int>(*v);
    r.finish();
  }
  for (const EvalBlock* volume : reader.blocks("host_volume", 1)) {
    BodyReader v(*volume->body, "host_volume \"" + volume->labels[0] + "\" of " + reader.where(), reader.diagnostics());
    spec::HostVolume hv{volume->labels[0], v.string("path").value_or(""), v.boolean("read_only").value_or(false)};
    v.require("path");
    v.finish();
    host.host_volumes.push_back(hv);
  }
}

}  // namespace

std::optional<spec::Inventory> load_inventory(const std::string& path, std::string text, const EvalOptions& options,
                                              Diagnostics& diagnostics) {
  size_t errors = diagnostics.error_count();
  EvaluatedFile file = parse_and_evaluate(path, std::move(text), options, diagnostics);
  if (!file.body.file) return std::nullopt;
  BodyReader top(file.body, "the inventory", diagnostics);
  top.blocks("variable", 1);
  top.blocks("locals");
  spec::Host defaults;
  if (const EvalBlock* block = top.single_block("defaults")) {
    BodyReader reader(*block->body, "defaults", diagnostics);
    read_host_fields(reader, defaults);
    reader.finish();
  }
  spec::Inventory inventory;
  inventory.source_path = path;
  std::set<std::string> names;
  for (const EvalBlock* block : top.blocks("host", 1)) {
    spec::Host host = defaults;
    host.name = block->labels[0];
    host.address.clear();
    BodyReader reader(*block->body, "host \"" + host.name + "\"", diagnostics);
    read_host_fields(reader, host);
    if (host.address.empty()) host.address = defaults.address.empty() ? host.name : defaults.address;
    reader.finish();
    if (!names.insert(host.name).second) {
      diagnostics.error(file.body.file, block->label_ranges[0], "host \"" + host.name + "\" is defined twice in the inventory");
      continue;
    }
    inventory.hosts.push_back(std::move(host));
  }
  top.finish();
  if (diagnostics.error_count() > errors) return std::nullopt;
  return inventory;
}

}  // namespace skiff::parser
