// CommandHold: a remote command kept running for as long as skiff holds
// something on a host through it: the ssh state backend's lock is a
// `flock` process that lives exactly as long as this hold.
//
// The command's standard input is the hold's channel and stays open: the
// command may wait on it (`cat >/dev/null`) and so notice the end of the
// hold as EOF, whether skiff closes it (the hold destroyed) or the
// connection is lost (skiff killed, network gone: sshd closes the
// command's stdin when the connection ends).
//
// Only the interface lives here, so that state/ depends on no libssh2 code;
// ssh_command_hold.hpp is the implementation, fakes live in tests.
#pragma once

#include <memory>
#include <string>

#include "base/result.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

class CommandHold {
 public:
  // Writes the release input and closes the command's stdin, waits
  // briefly for the command to end (so what it held is released when this
  // returns), then disconnects.
  virtual ~CommandHold() = default;

  // Ok while the command runs and its connection is up; otherwise what
  // ended it ("connection lost: ...", "the command ended").
  virtual Status alive() const = 0;
};

// What start() saw: either the command announced it is ready and now runs
// on (hold), or it ended before that (ended: its exit status and output).
struct HoldStart {
  std::unique_ptr<CommandHold> hold;
  CommandResult ended;
};

class CommandHolder {
 public:
  virtual ~CommandHolder() = default;

  // Runs `command` (argv pieces, quoted as for Transport::run; stdin_data
  // must be empty) and returns once it printed `ready_line` as a whole line
  // on stdout, or ended. command.timeout bounds that wait (zero: the
  // target's command_timeout; zero there: none). Errors are failing to
  // reach the host or to start the command, and kTimeout.
  //
  // `release_input` is written to the command's stdin when the hold is
  // destroyed, just before EOF: a command can tell a release on purpose
  // (it reads those bytes) from a lost connection (bare EOF).
  virtual Result<HoldStart> start(const Command& command, const std::string& ready_line, const std::string& release_input) = 0;
};

}  // namespace skiff::drivers
