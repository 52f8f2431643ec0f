// skiff.hcl: where a project's job files and inventory are, how state is
// kept and how hosts are reached.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "parser/spec/duration.hpp"

namespace skiff::spec {

struct StateSettings {
  std::string backend = "local";  // local | ssh
  std::string path;
  std::string host;
};

struct SshSettings {
  std::string user;
  int port = 22;
  std::string identity_file;
  std::string known_hosts;
  std::string strict_host_key_checking = "yes";  // yes | accept-new | no
  Duration connect_timeout = Duration::seconds(10);
  int parallelism = 64;
};

struct Project {
  std::string source_path;
  std::vector<std::string> jobs;  // files or directories, relative paths resolved against skiff.hcl's directory
  std::string inventory;
  StateSettings state;
  SshSettings ssh;
};

}  // namespace skiff::spec
