// Group networks (ports by label) and services with their health checks.
#include "parser/job_decode.hpp"

namespace skiff::parser::detail {

spec::Network decode_network(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("network", "", where), d);
  spec::Network network;
  if (auto mode = reader.string("mode")) {
    network.mode = *mode;
    if (*mode != "host" && *mode != "bridge" && *mode != "none") {
      if (mode->rfind("cni/", 0) == 0) {
        reader.attribute_error(*reader.value("mode"),
                               "network mode \"" + *mode + "\" in " + where + " is not supported by skiff");
      } else {
        reader.attribute_error(*reader.value("mode"),
                               "network mode in " + where + " must be \"host\", \"bridge\" or \"none\", not \"" + *mode + "\"");
      }
    }
  }
  if (auto hostname = reader.string("hostname")) network.hostname = *hostname;
  for (const EvalBlock* port_block : reader.blocks("port", 1)) {
    BodyReader port(*port_block->body, where_of("port", port_block->labels[0], reader.where()), d);
    spec::Port p;
    p.label = port_block->labels[0];
    p.static_port = static_cast<int>(port.integer("static").value_or(0));
    p.to = static_cast<int>(port.integer("to").value_or(0));
    p.host_network = port.string("host_network").value_or("");
    for (const char* name : {"static", "to"}) {
      const EvalAttribute* attribute = port.value(name);
      int value = std::string(name) == "static" ? p.static_port : p.to;
      if (attribute && (value < 0 || value > 65535) && !(std::string(name) == "to" && value == -1)) {
        port.attribute_error(*attribute, std::string(name) + " port in " + port.where() + " must be between 0 and 65535");
      }
    }
    port.not_supported_attribute("ignore_collision");
    port.finish();
    network.ports.push_back(p);
  }
  reader.not_supported_attribute("mbits");
  reader.not_supported_block("dns");
  reader.not_supported_block("cni");
  reader.finish();
  return network;
}

namespace {

spec::CheckRestart decode_check_restart(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("check_restart", "", where), d);
  spec::CheckRestart r;
  r.limit = static_cast<int>(reader.integer("limit").value_or(0));
  if (auto grace = reader.duration("grace")) r.grace = *grace;
  r.ignore_warnings = reader.boolean("ignore_warnings").value_or(false);
  reader.finish();
  return r;
}

spec::Check decode_check(const EvalBlock& block, const std::string& where, Diagnostics& d) {
  BodyReader reader(*block.body, where_of("check", "", where), d);
  spec::Check c;
  c.name = reader.string("name").value_or("");
  reader.require("type");
  c.type = reader.string("type").value_or("");
  if (!c.type.empty() && c.type != "tcp" && c.type != "http" && c.type != "script" && c.type != "grpc") {
    reader.attribute_error(
        *reader.value("type"),
        "check type in " + where + " must be \"tcp\", \"http\", \"script\" or \"grpc\", not \"" + c.type + "\"");
  }
  c.port = reader.string("port").value_or("");
  c.path = reader.string("path").value_or("");
  c.method = reader.string("method").value_or("GET");
  c.protocol = reader.string("protocol").value_or("http");
  c.command = reader.string("command").value_or("");
  c.args = reader.strings("args").value_or(std::vector<std::string>{});
  c.task = reader.string("task").value_or("");
  c.initial_status = reader.string("initial_status").value_or("");
  c.on_update = reader.string("on_update").value_or("require_healthy");
  if (auto interval = reader.duration("interval")) c.interval = *interval;
  if (auto timeout = reader.duration("timeout")) c.timeout = *timeout;
  for (const EvalBlock* header : reader.blocks("header")) {
    for (const EvalAttribute& attribute : header->body->attributes) {
      std::vector<std::string> values;
      for (const parser::Value& item : attribute.value.as_list())
        if (auto text = to_string_value(item)) values.push_back(*text);
      c.headers[attribute.name] = values;
    }
  }
  if (const EvalBlock* restart = reader.single_block("check_restart"))
    c.check_restart = decode_check_restart(*restart, reader.where(), d);
  if (c.type != "script" && c.type != "grpc" && c.interval.nanoseconds == 0 && !c.type.empty()) {
    d.error(block.body->file, block.type_range, "check in " + where + " needs an interval");
  }
  for (const char* name : {"expose", "grpc_service", "grpc_use_tls", "tls_skip_verify", "tls_server_name", "address_mode", "body",
                           "success_before_passing", "failures_before_critical", "failures_before_warning", "notes"}) {
    reader.not_supported_attribute(name);
  }
  reader.finish();
  return c;
}

}  // namespace

std::vector<spec::Service> decode_services(BodyReader& parent) {
  std::vector<spec::Service> out;
  for (const EvalBlock* block : parent.blocks("service")) {
    BodyReader reader(*block->body, where_of("service", "", parent.where()), parent.diagnostics());
    spec::Service s;
    s.name = reader.string("name").value_or("");
    std::string where = s.name.empty() ? reader.where() : where_of("service", s.name, parent.where());
    BodyReader named(*block->body, where, parent.diagnostics());
    named.string("name");
    s.port = named.string("port").value_or("");
    s.tags = named.strings("tags").value_or(std::vector<std::string>{});
    s.canary_tags = named.strings("canary_tags").value_or(std::vector<std::string>{});
    s.provider = named.string("provider").value_or("nomad");
    if (s.provider == "consul") {
      parent.diagnostics().warning(block->body->file, named.value("provider")->value_range,
                                   "provider \"consul\" in " + where +
                                       ": skiff is the registry and registers nothing in Consul; the service and its checks "
                                       "are kept in skiff's state (provider = \"nomad\" says so)");
    }
    s.address_mode = named.string("address_mode").value_or("auto");
    s.task = named.string("task").value_or("");
    s.meta = named.string_map("meta");
    for (const EvalBlock* check : named.blocks("check")) s.checks.push_back(decode_check(*check, where, parent.diagnostics()));
    if (const EvalBlock* restart = named.single_block("check_restart")) {
      spec::CheckRestart r = decode_check_restart(*restart, where, parent.diagnostics());
      for (spec::Check& c : s.checks)
        if (!c.check_restart) c.check_restart = r;
    }
    for (const char* name : {"connect", "identity", "weights"}) named.not_supported_block(name);
    for (const char* name :
         {"enable_tag_override", "address", "tagged_addresses", "canary_meta", "on_update", "cluster", "kind"}) {
      named.not_supported_attribute(name);
    }
    named.finish();
    out.push_back(s);
  }
  return out;
}

}  // namespace skiff::parser::detail
