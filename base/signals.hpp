// Signal names as job files and `skiff alloc signal` write them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace skiff::base {

// "SIGTERM", "sigterm", "TERM" -> "TERM": a POSIX or Linux signal's name
// without its SIG prefix, as kill(1) takes it; nullopt for anything else
// (an empty name included), so no other text reaches a host's command.
std::optional<std::string> signal_name(std::string_view name);

}  // namespace skiff::base
