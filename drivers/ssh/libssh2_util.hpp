// Small helpers shared by the libssh2-based units. Internal to drivers/:
// nothing outside this folder includes libssh2.
#pragma once

#include <libssh2.h>

#include <cstdint>
#include <string>

namespace skiff::drivers {

// libssh2_init() exactly once per process, thread-safe.
void ensure_libssh2_initialized();

// The session's last error as text: "what (libssh2 error -N: message)".
std::string libssh2_error_text(LIBSSH2_SESSION* session, const std::string& what);

// Whether the last call on `session` would have blocked.
inline bool would_block(LIBSSH2_SESSION* session) { return libssh2_session_last_errno(session) == LIBSSH2_ERROR_EAGAIN; }

// After a send that returned EAGAIN: whether libssh2 holds a packet only
// partly written to the socket. Until that same call is repeated and the
// packet is out, no other call on the session may send anything (a read
// may send a window adjustment): libssh2 fails it with BAD_USE.
inline bool send_pending(LIBSSH2_SESSION* session) {
  return (libssh2_session_block_directions(session) & LIBSSH2_SESSION_BLOCK_OUTBOUND) != 0;
}

// Appends everything `stream` (0: stdout, SSH_EXTENDED_DATA_STDERR) of
// `channel` holds now to `sink`, or stops early once `sink` holds more
// than `stop_above` bytes (the caller then fails the command: its output
// is too large). Returns 0 once it would block (adding what the session
// waits for to `wait_events`), at EOF or on stopping early, else the
// libssh2 error. Shared by SshExec, SshShell and SshHold.
int read_channel_stream(LIBSSH2_SESSION* session, LIBSSH2_CHANNEL* channel, int stream, std::string& sink, short& wait_events,
                        uint64_t stop_above = UINT64_MAX);

// poll() events for what the session is waiting on.
short libssh2_poll_events(LIBSSH2_SESSION* session);

}  // namespace skiff::drivers
