#include "base/random_bytes.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace skiff::base {

Result<std::vector<uint8_t>> random_bytes(size_t count) { return random_bytes_from("/dev/urandom", count); }

Result<std::vector<uint8_t>> random_bytes_from(const std::string& device, size_t count) {
  int fd = ::open(device.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(ErrorCode::kIo, "random bytes: open " + device + ": " + std::strerror(errno));
  std::vector<uint8_t> bytes(count);
  size_t done = 0;
  int read_errno = 0;
  while (done < count) {
    ssize_t n = ::read(fd, bytes.data() + done, count - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) read_errno = errno;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  if (read_errno != 0) return make_error(ErrorCode::kIo, "random bytes: read " + device + ": " + std::strerror(read_errno));
  // The end of the file before `count` bytes: a device that is not what it
  // should be (a regular file, /dev/null), not a reason to pad with zeros.
  if (done < count)
    return make_error(
        ErrorCode::kIo,
        "random bytes: read " + device + ": " + std::to_string(done) + " of " + std::to_string(count) + " bytes before its end");
  return bytes;
}

}  // namespace skiff::base
