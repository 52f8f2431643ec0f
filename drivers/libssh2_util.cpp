#include "drivers/libssh2_util.hpp"

#include <poll.h>

#include <mutex>

namespace skiff::drivers {

void ensure_libssh2_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { libssh2_init(0); });
}

std::string libssh2_error_text(LIBSSH2_SESSION* session, const std::string& what) {
  char* message = nullptr;
  int len = 0;
  int code = libssh2_session_last_error(session, &message, &len, 0);
  std::string text = what;
  if (message && len > 0) text += ": " + std::string(message, static_cast<size_t>(len));
  text += " (libssh2 error " + std::to_string(code) + ")";
  return text;
}

short libssh2_poll_events(LIBSSH2_SESSION* session) {
  int dirs = libssh2_session_block_directions(session);
  short events = 0;
  if (dirs & LIBSSH2_SESSION_BLOCK_INBOUND) events |= POLLIN;
  if (dirs & LIBSSH2_SESSION_BLOCK_OUTBOUND) events |= POLLOUT;
  // Between calls libssh2 waits for nothing; data arriving is what wakes us.
  return events ? events : POLLIN;
}

}  // namespace skiff::drivers
