// Transport: how skiff runs a command on one host and puts a file there.
//
// Two implementations: SSH (ssh_pool.hpp, many hosts over libssh2) and local
// (local_transport.hpp, this machine through /bin/sh); fakes in tests. A
// command is a list of argument pieces, never a shell string: the transport
// quotes every piece with shell_join() and hands the result to the host's
// POSIX shell, so no value ever reaches a shell unquoted.
//
// Per-host failures (unreachable, refused host key, timeout, output too
// large) are returned as Error values; nothing here throws.
//
// Every command is bounded in time and in output, so a host that hangs or
// prints without end costs skiff neither the run nor its memory: a command
// without a timeout of its own gets its transport's default (never none),
// and one that prints more than its transport's max_output (stdout and
// stderr together) fails with output_too_large(): the transport stops
// reading, keeps none of it, and ends the command.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace skiff::drivers {

// What a transport allows one command when nothing else says: skiff.hcl's
// fleet { max_output } (parser/spec/project.hpp) replaces the first.
inline constexpr uint64_t kDefaultMaxOutput = uint64_t{64} << 20;
inline constexpr std::chrono::milliseconds kDefaultCommandTimeout = std::chrono::minutes(10);

enum class ScriptShell { kOwn, kSubshell };

struct Command {
  // Argument pieces; argv[0] is the program. Each is quoted separately, so
  // {"sh", "-c", script} is how a caller asks for shell syntax on purpose.
  std::vector<std::string> argv;
  // Bytes written to the command's standard input, then EOF. Without it the
  // command reads EOF at once.
  std::optional<std::string> stdin_data;
  // Wall-clock bound for the whole command; zero means the transport's
  // default (for SSH, the target's command_timeout; for the local
  // transport, its own), kDefaultCommandTimeout unless set otherwise.
  std::chrono::milliseconds timeout{0};
  // For `sh -c SCRIPT NAME ARGS...`: whether a long-lived shell
  // (ssh_shell.hpp) may evaluate SCRIPT in its subshell instead of starting
  // `sh`, one program fewer on the host. Only for scripts that use neither
  // $$ nor $0, which would then be the long-lived shell's.
  ScriptShell script_shell = ScriptShell::kOwn;
};

struct CommandResult {
  // The exit status, or -1 when the command died from a signal.
  int exit_status = -1;
  std::string stdout_data;
  std::string stderr_data;
  // The signal's name without "SIG" ("KILL", "TERM"), when it died from one.
  std::optional<std::string> signal;

  bool success() const { return exit_status == 0 && !signal; }
};

// A file to write on a host. The write is atomic: the bytes go to a
// temporary name in the same directory, which is then renamed over `path`,
// so a reader sees the old file or the new one, never half of it.
struct FileSpec {
  std::string path;
  std::string contents;
  unsigned mode = 0644;
};

class Transport {
 public:
  virtual ~Transport() = default;

  // Runs `command` to completion. A non-zero exit status is a result, not an
  // error; errors are failing to reach the host or to run the command at all,
  // and timeouts (ErrorCode::kTimeout).
  virtual Result<CommandResult> run(const Command& command) = 0;

  // Writes `file` atomically. Fails if the command doing so fails.
  virtual Status put_file(const FileSpec& file) = 0;
};

// One command for one host of a batch.
struct HostCommand {
  std::string host;  // a host name known to the Fleet
  Command command;
};

// Runs one command on each of many hosts concurrently: the shape of
// `node status`, observe and apply. Results come back in the order of the
// batch, one per item; one host failing never affects another's result.
class Fleet {
 public:
  virtual ~Fleet() = default;
  virtual std::vector<Result<CommandResult>> run_all(const std::vector<HostCommand>& batch) = 0;
};

// How messages name a command: NAME of `sh -c SCRIPT NAME ...` (skiff's
// scripts are named "skiff-observe", "skiff-start"...), else argv[0].
std::string command_name(const Command& command);

// A transport's error for a command (named by command_name()) that printed
// more than `max_output` bytes: "`skiff-observe` on web-1: output too large (more than 64 MiB);
// skiff stopped reading it and ended the command". `host` may be empty.
Error output_too_large(const std::string& host, const std::string& command_name, uint64_t max_output);

// The command put_file() runs: `sh -c` with a fixed script that reads the
// contents from stdin into a fresh `<path>.skiff-tmp.XXXXXXXXXX` (mktemp),
// checks that all of them arrived, sets the mode and renames it over
// `path`. Shared by every transport so they agree byte for byte.
Command put_file_command(const FileSpec& file);

// Turns a finished put_file command into a Status naming the path.
Status put_file_status(const FileSpec& file, const Result<CommandResult>& result);

}  // namespace skiff::drivers
