// Small helpers shared by the libssh2-based units. Internal to drivers/:
// nothing outside this folder includes libssh2.
#pragma once

#include <libssh2.h>

#include <string>

namespace skiff::drivers {

// libssh2_init() exactly once per process, thread-safe.
void ensure_libssh2_initialized();

// The session's last error as text: "what (libssh2 error -N: message)".
std::string libssh2_error_text(LIBSSH2_SESSION* session, const std::string& what);

// Whether the last call on `session` would have blocked.
inline bool would_block(LIBSSH2_SESSION* session) {
  return libssh2_session_last_errno(session) == LIBSSH2_ERROR_EAGAIN;
}

// poll() events for what the session is waiting on.
short libssh2_poll_events(LIBSSH2_SESSION* session);

}  // namespace skiff::drivers
