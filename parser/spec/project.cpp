#include "parser/spec/project.hpp"

namespace skiff::spec {

std::string to_string(StateBackend backend) { return backend == StateBackend::kSsh ? "ssh" : "local"; }

std::string to_string(HostKeyChecking checking) {
  switch (checking) {
    case HostKeyChecking::kYes: return "yes";
    case HostKeyChecking::kAcceptNew: return "accept-new";
    case HostKeyChecking::kNo: return "no";
  }
  return "yes";
}

}  // namespace skiff::spec
