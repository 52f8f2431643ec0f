#include "drivers/ssh/tcp_connect.hpp"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cctype>

namespace skiff::drivers {

namespace {

Result<addrinfo*> resolve(const std::string& address, int port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  int rc = ::getaddrinfo(address.c_str(), service.c_str(), &hints, &found);
  if (rc == EAI_NONAME) {
    hints.ai_flags = AI_NUMERICSERV;
    rc = ::getaddrinfo(address.c_str(), service.c_str(), &hints, &found);
  }
  if (rc != 0) {
    return make_error(ErrorCode::kUnavailable, "resolve " + address + ": " + gai_strerror(rc));
  }
  return found;
}

}  // namespace

Result<int> start_tcp_connect(const std::string& address, int port) {
  auto found = resolve(address, port);
  if (!found.ok()) return found.error();
  addrinfo* ai = *found;
  int fd = ::socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    ::freeaddrinfo(ai);
    return make_error(ErrorCode::kIo, std::string("socket: ") + strerror(errno));
  }
  // SSH exchanges many small packets; Nagle would delay each round trip.
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  // A host that vanishes (a network partition) must fail its commands in
  // time, not after Linux's ~15 minutes of retransmissions: data the host
  // has not acknowledged for 30 s (SSH keepalives are sent every 15 s by
  // default, so a quiet command has some) ends the connection.
  unsigned int user_timeout_ms = 30000;
  ::setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout_ms, sizeof user_timeout_ms);
  int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
  int saved = errno;
  ::freeaddrinfo(ai);
  if (rc != 0 && saved != EINPROGRESS) {
    ::close(fd);
    return make_error(ErrorCode::kUnavailable, std::string("connect: ") + strerror(saved));
  }
  return fd;
}

Status finish_tcp_connect(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) {
    std::string text = strerror(err);
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return make_error(ErrorCode::kUnavailable, "connect: " + text);
  }
  return Status::success();
}

}  // namespace skiff::drivers
