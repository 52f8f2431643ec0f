// The drivers a job's task may name that skiff can run, as Nomad spells
// them in `driver = "..."`. Read from the name in one place, so that a
// misspelt or not yet supported driver is refused with one message.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace skiff::drivers {

enum class DriverKind {
  kRawExec,  // a supervised process, run as given
  kExec,     // a supervised process with limits and its user
  kJava,     // a supervised `java` with the task's jar or class
  kDocker,   // a container of the host's docker (or podman)
  kPodman,   // the same, as Nomad's podman driver names it
};

// "raw_exec", "exec", "java", "docker", "podman"; nullopt for any other
// name (lxc, qemu, a typo): the caller says which task named it.
std::optional<DriverKind> parse_driver_kind(std::string_view name);

// The name parse_driver_kind reads back.
std::string to_string(DriverKind kind);

}  // namespace skiff::drivers
