#include "base/random_bytes.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace skiff::base {

std::array<uint8_t, 16> random_16_bytes() {
  std::array<uint8_t, 16> bytes{};
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  size_t done = 0;
  while (fd >= 0 && done < bytes.size()) {
    ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  if (fd >= 0) ::close(fd);
  return bytes;
}

}  // namespace skiff::base
