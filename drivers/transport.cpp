#include "drivers/transport.hpp"

#include <cstdio>

#include "base/text.hpp"

namespace skiff::drivers {

namespace {

// $1 is the path, $2 the octal mode; the contents arrive on stdin. The temp
// name carries the shell's pid so two writers of one path never share it;
// a failure removes the temp file so no debris is left next to the target.
// umask 077 keeps a secret unreadable before chmod gives it its real mode.
constexpr const char* kPutFileScript =
    "umask 077; tmp=\"$1.skiff-tmp.$$\"; "
    "if cat > \"$tmp\" && chmod \"$2\" \"$tmp\" && mv -f \"$tmp\" \"$1\"; then exit 0; fi; "
    "rm -f \"$tmp\"; exit 1";

}  // namespace

Command put_file_command(const FileSpec& file) {
  char mode[16];
  std::snprintf(mode, sizeof mode, "%o", file.mode & 07777);
  Command command;
  command.argv = {"sh", "-c", kPutFileScript, "skiff-put-file", file.path, mode};
  command.stdin_data = file.contents;
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
