#include "drivers/ssh/libssh2_util.hpp"

#include <poll.h>

#include <array>
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

int read_channel_stream(LIBSSH2_SESSION* session, LIBSSH2_CHANNEL* channel, int stream, std::string& sink, short& wait_events,
                        uint64_t stop_above) {
  static thread_local std::array<char, 256 * 1024> buf;
  while (sink.size() <= stop_above) {
    ssize_t n = libssh2_channel_read_ex(channel, stream, buf.data(), buf.size());
    if (n > 0) {
      sink.append(buf.data(), static_cast<size_t>(n));
      continue;
    }
    if (n == LIBSSH2_ERROR_EAGAIN) wait_events |= libssh2_poll_events(session);
    return n == LIBSSH2_ERROR_EAGAIN ? 0 : static_cast<int>(n);
  }
  return 0;
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
