// Group networks with their port labels, and services with health checks.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parser/spec/duration.hpp"

namespace skiff::spec {

struct Port {
  std::string label;
  int static_port = 0;  // 0: dynamic
  int to = 0;           // container port for bridge mode; 0: same as the host port
  std::string host_network;
};

struct Network {
  std::string mode = "host";  // host | bridge | none
  std::string hostname;
  std::vector<Port> ports;
};

struct CheckRestart {
  int limit = 0;
  Duration grace = Duration::seconds(1);
  bool ignore_warnings = false;
};

struct Check {
  std::string name;
  std::string type;  // tcp | http | script | grpc
  std::string port;  // a port label (or a number as text)
  std::string path;
  std::string method = "GET";
  std::string protocol = "http";
  std::map<std::string, std::vector<std::string>> headers;
  std::string command;
  std::vector<std::string> args;
  std::string task;
  Duration interval{0};
  Duration timeout{0};
  std::string initial_status;
  std::string on_update = "require_healthy";
  std::optional<CheckRestart> check_restart;
};

struct Service {
  std::string name;
  std::string port;
  std::vector<std::string> tags;
  std::vector<std::string> canary_tags;
  std::string provider = "nomad";
  std::string address_mode = "auto";
  std::string task;
  std::map<std::string, std::string> meta;
  std::vector<Check> checks;
};

}  // namespace skiff::spec
