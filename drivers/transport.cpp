#include "drivers/transport.hpp"

#include <cstdio>

#include "base/byte_size.hpp"
#include "base/text.hpp"

namespace skiff::drivers {

namespace {

// $1 is the path, $2 the octal mode, $3 the contents' size; the contents
// arrive on stdin. mktemp makes a temp name nobody can guess or plant
// beforehand, so two writers never share it; the size check keeps a
// connection lost mid-write (cat then sees EOF early) from renaming half a
// file over the target; a failure removes the temp file so no debris is
// left next to it. umask 077 keeps a secret unreadable before chmod gives
// it its real mode.
constexpr const char* kPutFileScript =
    "umask 077; tmp=$(mktemp -- \"$1.skiff-tmp.XXXXXXXXXX\") || exit 1; "
    "if cat > \"$tmp\" && [ \"$(wc -c < \"$tmp\")\" -eq \"$3\" ] && chmod \"$2\" \"$tmp\" && mv -f -- \"$tmp\" \"$1\"; "
    "then exit 0; fi; rm -f -- \"$tmp\"; exit 1";

// Writing a file is quick; a host that takes longer is stuck.
constexpr std::chrono::minutes kPutFileTimeout{2};

}  // namespace

std::string command_name(const Command& command) {
  const std::vector<std::string>& argv = command.argv;
  if (argv.size() >= 4 && argv[0] == "sh" && argv[1] == "-c") return argv[3];
  return argv.empty() ? std::string() : argv[0];
}

Error output_too_large(const std::string& host, const std::string& command_name, uint64_t max_output) {
  return make_error(ErrorCode::kIo,
                    "`" + base::printable(command_name) + "`" + (host.empty() ? "" : " on " + host) +
                        ": output too large (more than " + base::byte_size_text(max_output) +
                        "); skiff stopped reading it and ended the command");
}

Command put_file_command(const FileSpec& file) {
  char mode[16];
  std::snprintf(mode, sizeof mode, "%o", file.mode & 07777);
  Command command;
  command.argv = {"sh", "-c", kPutFileScript, "skiff-put-file", file.path, mode, std::to_string(file.contents.size())};
  command.stdin_data = file.contents;
  command.timeout = kPutFileTimeout;
  return command;
}

Status put_file_status(const FileSpec& file, const Result<CommandResult>& result) {
  if (!result.ok()) return result.error().wrap("put file " + file.path);
  if (!result->success()) {
    std::string detail = result->stderr_data.empty() ? "exit status " + std::to_string(result->exit_status)
                                                     : base::terminal_safe(result->stderr_data);
    while (!detail.empty() && detail.back() == '\n') detail.pop_back();
    return make_error(ErrorCode::kIo, "put file " + file.path + ": " + detail);
  }
  return Status::success();
}

}  // namespace skiff::drivers
