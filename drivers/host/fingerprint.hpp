// Fingerprinting a host in one round trip: one POSIX sh script (dash and
// busybox sh work) that prints one JSON object, and the parser that turns
// that object into HostFacts. Pure: building the command and parsing its
// output need no host, so both are unit-tested as text.
#pragma once

#include <string>

#include "base/result.hpp"
#include "drivers/host/host_facts.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

// `sh -c <script> skiff-fingerprint <data_dir>`. The free disk reported is
// that of the file system holding `data_dir` (or its nearest existing
// parent, before skiff has created it). The JSON is also kept in
// <data_dir>/facts.json (when the data dir is writable) for observation.
// Bounded by a minute, wherever it runs (node status, plan, debug run-task).
Command fingerprint_command(const std::string& data_dir);

// Parses the script's stdout. Fails (kParse) when it is not the JSON object
// the script prints, quoting the start of what arrived.
Result<HostFacts> parse_fingerprint(const std::string& output);

// The facts from a finished fingerprint command, or why there are none
// (unreachable, the command failed, its output unreadable).
Result<HostFacts> facts_from_fingerprint(const Result<CommandResult>& run);

// uname -m to Go's GOARCH names, as Nomad reports attr.cpu.arch.
std::string go_arch(const std::string& uname_machine);

}  // namespace skiff::drivers
