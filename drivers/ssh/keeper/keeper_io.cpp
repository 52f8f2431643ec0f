#include "drivers/ssh/keeper/keeper_io.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "drivers/ssh/keeper/keeper_wire.hpp"

namespace skiff::drivers {
namespace {

bool read_exactly(int fd, char* into, size_t n) {
  while (n > 0) {
    ssize_t got = ::read(fd, into, n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    into += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

bool write_all(int fd, const std::string& bytes) {
  size_t at = 0;
  while (at < bytes.size()) {
    ssize_t put = ::send(fd, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
    if (put < 0 && errno == ENOTSOCK) put = ::write(fd, bytes.data() + at, bytes.size() - at);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    at += static_cast<size_t>(put);
  }
  return true;
}

bool read_frame(int fd, std::string& message) {
  char header[kFrameHeader];
  if (!read_exactly(fd, header, kFrameHeader)) return false;
  uint32_t length = frame_length(std::string_view(header, kFrameHeader));
  if (length > kMaxFrame) return false;
  message.resize(length);
  return read_exactly(fd, message.data(), length);
}

std::string read_line_within(int fd, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::string line;
  char c;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) == 0) return {};
    ssize_t got = ::read(fd, &c, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return {};
    if (c == '\n') return line;
    line.push_back(c);
  }
}

std::optional<sockaddr_un> unix_socket_address(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) return std::nullopt;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return address;
}

}  // namespace skiff::drivers
