// LocalTransport: the Transport for the built-in `local` host, this machine.
//
// Commands run as `/bin/sh -c <shell_join(argv)>`, exactly the line an SSH
// host's login shell would receive, so a command behaves the same locally
// and remotely. The child gets its own process group; a timeout kills the
// whole group, so grandchildren started by the command die with it.
//
// Thread safety: run() may be called from several threads at once.
#pragma once

#include "drivers/transport.hpp"

namespace skiff::drivers {

class LocalTransport : public Transport {
 public:
  // `default_timeout` applies to commands whose own timeout is zero; zero
  // here means no bound.
  explicit LocalTransport(std::chrono::milliseconds default_timeout = std::chrono::milliseconds{0})
      : default_timeout_(default_timeout) {}

  Result<CommandResult> run(const Command& command) override;
  Status put_file(const FileSpec& file) override;

 private:
  std::chrono::milliseconds default_timeout_;
};

}  // namespace skiff::drivers
