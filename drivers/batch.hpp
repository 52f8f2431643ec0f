// Many commands as one: the shape of apply, which runs every step's
// commands for a host in one round trip rather than one per allocation.
// Pure: the command and the split of its output are text.
#pragma once

#include <string>
#include <vector>

#include "base/result.hpp"
#include "drivers/transport.hpp"

namespace skiff::drivers {

// One `sh -s` command, its script on stdin, that runs each of `commands` in
// turn in a subshell, framing each one's stdout and stderr with markers
// that carry `token` (a fresh random_shell_token()). A command's stdin is
// its stdin bytes, as a here-document ended by a line made of the token,
// with a newline added when they do not end in one; else /dev/null. Its
// timeout is the sum of theirs. REQUIRES: stdin bytes hold no NUL; `token`
// was drawn after them, so that no line of them can be guessed to end the
// here-document early.
Command batch_command(const std::vector<Command>& commands, const std::string& token);

// Each command's result from the batch's, in order. A command the batch
// never reached (the host went away midway) is an error naming it.
std::vector<Result<CommandResult>> split_batch(const CommandResult& batch, size_t count, const std::string& token);

}  // namespace skiff::drivers
