#include "state/lock_message.hpp"

#include <ctime>

namespace skiff::state {

std::string format_utc(int64_t unix_seconds) {
  std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&time, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

std::string describe_holder(const LockInfo& holder) {
  std::string text = holder.who.empty() ? std::string("an unnamed holder") : holder.who;
  if (holder.pid > 0) text += " (pid " + std::to_string(holder.pid) + ")";
  if (holder.created_unix > 0) text += " since " + format_utc(holder.created_unix);
  if (!holder.operation.empty()) text += " for \"" + holder.operation + "\"";
  if (!holder.version.empty()) text += " (skiff " + holder.version + ")";
  return text + ", lock id " + holder.id;
}

namespace {

std::string duration_text(std::chrono::milliseconds wait) {
  auto ms = wait.count();
  if (ms % 1000 != 0) return std::to_string(ms) + "ms";
  auto seconds = ms / 1000;
  if (seconds % 60 != 0 || seconds == 0) return std::to_string(seconds) + "s";
  return std::to_string(seconds / 60) + "m";
}

}  // namespace

Error locked_error(const LockInfo& holder, std::chrono::milliseconds waited) {
  std::string text;
  if (waited.count() > 0) text = "waited " + duration_text(waited) + " for the state lock: ";
  text += "state is locked by " + describe_holder(holder) + ";\n";
  // With a kernel lock a holder that died has already let go, so the only
  // lock left to break is one whose process is alive but stuck.
  text += "wait for it with -lock-timeout 5m, or if that process is stuck, release it with: skiff state unlock " + holder.id;
  return make_error(ErrorCode::kConflict, text);
}

}  // namespace skiff::state
