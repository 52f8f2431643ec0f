#include "drivers/task/driver_kind.hpp"

namespace skiff::drivers {

std::optional<DriverKind> parse_driver_kind(std::string_view name) {
  if (name == "raw_exec") return DriverKind::kRawExec;
  if (name == "exec") return DriverKind::kExec;
  if (name == "java") return DriverKind::kJava;
  if (name == "docker") return DriverKind::kDocker;
  if (name == "podman") return DriverKind::kPodman;
  return std::nullopt;
}

std::string to_string(DriverKind kind) {
  switch (kind) {
    case DriverKind::kRawExec: return "raw_exec";
    case DriverKind::kExec: return "exec";
    case DriverKind::kJava: return "java";
    case DriverKind::kDocker: return "docker";
    case DriverKind::kPodman: return "podman";
  }
  return "unknown";
}

}  // namespace skiff::drivers
