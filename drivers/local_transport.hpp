// LocalTransport: the Transport for the built-in `local` host, this machine.
//
// Commands run as `/bin/sh -c <shell_join(argv)>`, exactly the line an SSH
// host's login shell would receive, so a command behaves the same locally
// and remotely. The child gets its own process group; a timeout, or output
// past max_output, kills the whole group, so grandchildren started by the
// command die with it.
//
// Thread safety: run() may be called from several threads at once.
#pragma once

#include "drivers/transport.hpp"

namespace skiff::drivers {

class LocalTransport : public Transport {
 public:
  // `default_timeout` applies to commands whose own timeout is zero; a
  // command printing more than `max_output` bytes (stdout and stderr
  // together) fails with output_too_large(), naming `host` when given.
  explicit LocalTransport(std::chrono::milliseconds default_timeout = kDefaultCommandTimeout,
                          uint64_t max_output = kDefaultMaxOutput, std::string host = "")
      : default_timeout_(default_timeout), max_output_(max_output), host_(std::move(host)) {}

  Result<CommandResult> run(const Command& command) override;
  Status put_file(const FileSpec& file) override;

 private:
  std::chrono::milliseconds default_timeout_;
  uint64_t max_output_;
  std::string host_;
};

}  // namespace skiff::drivers
