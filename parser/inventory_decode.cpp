// hosts.hcl: `defaults {}` inherited by every `host "name" {}` block (host
// values win, meta maps merge, a host's host_volume replaces an inherited
// one of the same name). Decoded with the job decoder's BodyReader so that
// the messages read the same.
#include <climits>
#include <set>

#include "parser/body_reader.hpp"
#include "parser/load.hpp"

namespace skiff::parser {

namespace {

// An optional whole number in [1, max]; out of range is reported.
std::optional<int> positive(BodyReader& reader, std::string_view name, int64_t max = INT_MAX) {
  std::optional<int64_t> n = reader.integer_in_range(name, 1, max);
  return n ? std::optional<int>(static_cast<int>(*n)) : std::nullopt;
}

// Paths on the host reach its shell quoted, so `~` is never expanded there
// and a relative path would depend on the login directory: both refused.
std::optional<std::string> absolute_path(BodyReader& reader, std::string_view name) {
  std::optional<std::string> path = reader.string(name);
  if (path && (path->empty() || (*path)[0] != '/')) {
    reader.attribute_error(
        *reader.value(name),
        "attribute \"" + std::string(name) + "\" in " + reader.where() + " must be an absolute path, not \"" + *path + "\"");
    return std::nullopt;
  }
  return path;
}

void read_transport(BodyReader& reader, spec::Host& host) {
  std::optional<std::string> transport = reader.string("transport");
  if (!transport) return;
  if (*transport == "ssh") host.transport = spec::Transport::kSsh;
  else if (*transport == "local") host.transport = spec::Transport::kLocal;
  else
    reader.attribute_error(*reader.value("transport"),
                           "transport in " + reader.where() + " must be \"ssh\" or \"local\", not \"" + *transport + "\"");
}

void read_resources(BodyReader& reader, spec::Host& host) {
  const EvalBlock* block = reader.single_block("resources");
  if (!block) return;
  BodyReader r(*block->body, "resources of " + reader.where(), reader.diagnostics());
  if (auto v = positive(r, "cpu")) host.resources.cpu_mhz = v;
  if (auto v = positive(r, "memory")) host.resources.memory_mb = v;
  if (auto v = positive(r, "disk")) host.resources.disk_mb = v;
  if (auto v = positive(r, "cores")) host.resources.cores = v;
  r.finish();
}

void read_host_volumes(BodyReader& reader, spec::Host& host) {
  std::set<std::string> declared_here;
  for (const EvalBlock* block : reader.blocks("host_volume", 1)) {
    const std::string& name = block->labels[0];
    BodyReader v(*block->body, "host_volume \"" + name + "\" of " + reader.where(), reader.diagnostics());
    spec::HostVolume volume{name, absolute_path(v, "path").value_or(""), v.boolean("read_only").value_or(false)};
    v.require("path");
    v.finish();
    if (!declared_here.insert(name).second) {
      reader.diagnostics().error(block->body->file, block->label_ranges[0],
                                 "host_volume \"" + name + "\" is declared twice in " + reader.where());
      continue;
    }
    std::erase_if(host.host_volumes, [&](const spec::HostVolume& inherited) { return inherited.name == name; });
    host.host_volumes.push_back(volume);
  }
}

// Reads the host attributes present in `reader` over `host`.
void read_host_fields(BodyReader& reader, spec::Host& host) {
  read_transport(reader, host);
  if (auto v = reader.string("address")) host.address = *v;
  if (auto v = positive(reader, "port", 65535)) host.port = *v;
  if (auto v = reader.string("user")) host.user = *v;
  if (auto v = reader.string("identity_file")) host.identity_file = *v;
  if (auto v = absolute_path(reader, "data_dir")) host.data_dir = *v;
  if (auto v = reader.string("datacenter")) host.datacenter = *v;
  if (auto v = reader.string("node_class")) host.node_class = *v;
  if (auto v = reader.string("node_pool")) host.node_pool = *v;
  for (const auto& [key, value] : reader.string_map("meta")) host.meta[key] = value;
  read_resources(reader, host);
  read_host_volumes(reader, host);
  if (const EvalBlock* docker = reader.single_block("docker")) {
    BodyReader d(*docker->body, "docker of " + reader.where(), reader.diagnostics());
    if (auto v = d.boolean("volumes_enabled")) host.docker_volumes_enabled = *v;
    d.finish();
  }
}

// Host names appear in plans, in `-host NAME` flags and on the hosts' own
// allocation metadata: a blank or space-holding name would be unusable there.
bool usable_host_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name)
    if (static_cast<unsigned char>(c) <= ' ') return false;
  return true;
}

spec::Host read_defaults(BodyReader& top) {
  spec::Host defaults;
  if (const EvalBlock* block = top.single_block("defaults")) {
    BodyReader reader(*block->body, "defaults", top.diagnostics());
    read_host_fields(reader, defaults);
    reader.finish();
  }
  return defaults;
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
  spec::Host defaults = read_defaults(top);
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
    if (!usable_host_name(host.name)) {
      diagnostics.error(file.body.file, block->label_ranges[0],
                        "host name \"" + host.name + "\" must be non-empty and hold no spaces");
      continue;
    }
    if (!names.insert(host.name).second) {
      diagnostics.error(file.body.file, block->label_ranges[0], "host \"" + host.name + "\" is defined twice in the inventory");
      continue;
    }
    inventory.hosts.push_back(std::move(host));
  }
  top.finish();
  if (names.empty() && diagnostics.error_count() == errors) {
    diagnostics.warning(file.body.file, SourceRange{file.body.range.begin, file.body.range.begin},
                        "the inventory declares no hosts: add host \"name\" { address = \"...\" } blocks");
  }
  if (diagnostics.error_count() > errors) return std::nullopt;
  return inventory;
}

}  // namespace skiff::parser
