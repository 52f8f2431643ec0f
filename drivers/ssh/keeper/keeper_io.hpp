// Blocking descriptor I/O shared by the two ends of the SSH keeper's socket
// (ssh_keeper_client.cpp, ssh_keeper_server.cpp).
#pragma once

#include <sys/un.h>

#include <chrono>
#include <optional>
#include <string>

namespace skiff::drivers {

// Writes every byte (retrying short writes and EINTR, never raising
// SIGPIPE on a socket); false when the other end is gone.
bool write_all(int fd, const std::string& bytes);

// Reads one frame (keeper_wire.hpp) into `message`; false at EOF, on an
// error or an oversized length.
bool read_frame(int fd, std::string& message);

// The first line `fd` gives within `limit`, without its newline; empty on
// EOF or time-out.
std::string read_line_within(int fd, std::chrono::milliseconds limit);

// The address of the Unix socket at `path`; nullopt when the path is too
// long for one (108 bytes on Linux, its NUL included).
std::optional<sockaddr_un> unix_socket_address(const std::string& path);

}  // namespace skiff::drivers
