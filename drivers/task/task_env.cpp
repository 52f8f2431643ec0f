#include "drivers/task/task_env.hpp"

#include "drivers/shell_quote.hpp"

#include <cctype>
#include <optional>

namespace skiff::drivers {

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::optional<std::string> attribute(const std::string& name, const TaskContext& c) {
  const HostFacts& f = c.facts;
  if (name == "attr.kernel.name") return f.kernel_name;
  if (name == "attr.kernel.version") return f.kernel_version;
  if (name == "attr.cpu.arch") return f.arch;
  if (name == "attr.os.name") return f.os_name;
  if (name == "attr.os.version") return f.os_version;
  if (name == "attr.unique.hostname") return f.hostname;
  if (name == "attr.unique.network.ip-address") return c.allocation.host_address;
  if (name.rfind("attr.driver.", 0) == 0) {
    auto it = f.drivers.find(name.substr(12));
    if (it != f.drivers.end() && it->second.healthy) return std::string("1");
    return std::nullopt;
  }
  if (name == "node.unique.name") return c.host.name;
  if (name == "node.datacenter") return c.host.datacenter;
  if (name == "node.class") return c.host.node_class;
  if (name == "node.pool") return c.host.node_pool;
  if (name.rfind("meta.", 0) == 0) {
    auto it = c.host.meta.find(name.substr(5));
    if (it != c.host.meta.end()) return it->second;
  }
  return std::nullopt;
}

}  // namespace

std::string clean_env_name(const std::string& name) {
  std::string out = name;
  for (char& ch : out)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') ch = '_';
  return out;
}

std::string interpolate(const std::string& text, const std::map<std::string, std::string>& env, const TaskContext& context) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("${", pos);
    if (open == std::string::npos) break;
    size_t close = text.find('}', open + 2);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    std::string name = text.substr(open + 2, close - open - 2);
    auto it = env.find(name);
    std::optional<std::string> value = it != env.end() ? std::optional<std::string>(it->second) : attribute(name, context);
    if (value) out += *value;
    else out.append(text, open, close + 1 - open);
    pos = close + 1;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

parser::Value interpolate_config(const parser::Value& config, const std::map<std::string, std::string>& env,
                                 const TaskContext& context) {
  if (config.is_string()) return parser::Value::string(interpolate(config.as_string(), env, context));
  if (config.is_list()) {
    parser::ValueList items;
    for (const parser::Value& item : config.as_list()) items.push_back(interpolate_config(item, env, context));
    return parser::Value::list(std::move(items), config.list_flavour());
  }
  if (config.is_object()) {
    parser::ValueMap items;
    for (const auto& [key, item] : config.as_object()) items[key] = interpolate_config(item, env, context);
    return parser::Value::object(std::move(items), config.object_flavour());
  }
  return config;
}

std::map<std::string, std::string> task_environment(const TaskContext& c) {
  const Allocation& a = c.allocation;
  std::map<std::string, std::string> env = {
      {"NOMAD_ALLOC_ID", a.id},
      {"NOMAD_ALLOC_INDEX", std::to_string(a.index)},
      {"NOMAD_ALLOC_NAME", a.name()},
      {"NOMAD_JOB_ID", c.job.id},
      {"NOMAD_JOB_NAME", c.job.name},
      {"NOMAD_GROUP_NAME", c.group.name},
      {"NOMAD_TASK_NAME", c.task.name},
      {"NOMAD_NAMESPACE", c.job.ns},
      {"NOMAD_REGION", c.job.region},
      {"NOMAD_DC", a.datacenter},
      {"NOMAD_ALLOC_DIR", a.alloc_dir()},
      {"NOMAD_TASK_DIR", a.task_dir(c.task.name) + "/local"},
      {"NOMAD_SECRETS_DIR", a.task_dir(c.task.name) + "/secrets"},
      {"NOMAD_CPU_LIMIT", std::to_string(c.task.resources.cpu)},
      {"NOMAD_MEMORY_LIMIT", std::to_string(c.task.resources.memory_mb)},
  };
  if (c.task.resources.memory_max_mb > 0) env["NOMAD_MEMORY_MAX_LIMIT"] = std::to_string(c.task.resources.memory_max_mb);
  for (const AssignedPort& port : a.ports) {
    const std::string label = clean_env_name(port.label);
    const std::string host_port = std::to_string(port.host_port);
    const std::string task_port = std::to_string(port.to > 0 ? port.to : port.host_port);
    env["NOMAD_PORT_" + label] = task_port;
    env["NOMAD_HOST_PORT_" + label] = host_port;
    env["NOMAD_IP_" + label] = a.host_address;
    env["NOMAD_ADDR_" + label] = a.host_address + ":" + host_port;
    env["NOMAD_HOST_IP_" + label] = a.host_address;
    env["NOMAD_HOST_ADDR_" + label] = a.host_address + ":" + host_port;
  }
  std::map<std::string, std::string> meta = c.job.meta;
  for (const auto& [k, v] : c.group.meta) meta[k] = v;
  for (const auto& [k, v] : c.task.meta) meta[k] = v;
  for (const auto& [k, v] : meta) {
    env["NOMAD_META_" + clean_env_name(k)] = v;
    env["NOMAD_META_" + upper(clean_env_name(k))] = v;
  }
  // The task's own env may refer to the variables above, and wins over them.
  const std::map<std::string, std::string> base = env;
  for (const auto& [k, v] : c.task.env) env[k] = interpolate(v, base, c);
  return env;
}

std::string payload_file(const TaskContext& c) { return c.job.payload.empty() ? "" : c.task.dispatch_payload_file; }

std::string payload_format(const TaskContext& c) { return payload_file(c).empty() ? "" : printf_literal(c.job.payload); }

}  // namespace skiff::drivers
