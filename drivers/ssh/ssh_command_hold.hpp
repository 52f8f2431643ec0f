// SshCommandHolder: CommandHolder over SSH, one connection of its own per
// hold (never a pooled one: the hold's channel stays open for minutes, and
// the connection's end is what ends the command).
//
// While a hold lives, a thread of its own serves its connection: it answers
// the server (so an sshd with ClientAliveInterval keeps it), sends the
// target's keepalives, drains what the command prints and notices a lost
// connection, which alive() then reports. Nothing else touches that
// libssh2 session while the thread runs, so no locking is needed; the
// destructor stops the thread before closing the channel.
#pragma once

#include "drivers/command_hold.hpp"
#include "drivers/ssh/ssh_target.hpp"

namespace skiff::drivers {

class SshCommandHolder : public CommandHolder {
 public:
  explicit SshCommandHolder(SshTarget target) : target_(std::move(target)) {}

  Result<HoldStart> start(const Command& command, const std::string& ready_line, const std::string& release_input) override;

 private:
  SshTarget target_;
};

}  // namespace skiff::drivers
