// The one source of random bytes: all of them or an error, never zeros.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "base/random_bytes.hpp"

using skiff::base::random_bytes;
using skiff::base::random_bytes_from;

namespace {

// A file in the temporary folder holding `contents`, removed at the end.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& contents) {
    char name[] = "/tmp/skiff_random_XXXXXX";
    int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path = name;
    std::ofstream(path, std::ios::binary) << contents;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("random_bytes gives as many bytes as asked, and different ones each time", "[base]") {
  skiff::Result<std::vector<uint8_t>> a = random_bytes(32);
  skiff::Result<std::vector<uint8_t>> b = random_bytes(32);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->size() == 32);
  CHECK(*a != *b);  // 2^-256 to fail
  CHECK(random_bytes(0).ok());
}

TEST_CASE("random_bytes_from reads exactly `count` bytes of the device", "[base]") {
  TempFile file("0123456789abcdef-and-more");
  skiff::Result<std::vector<uint8_t>> bytes = random_bytes_from(file.path, 16);
  REQUIRE(bytes.ok());
  CHECK(std::string(bytes->begin(), bytes->end()) == "0123456789abcdef");
}

TEST_CASE("random_bytes_from fails, naming the device, rather than padding with zeros", "[base]") {
  SECTION("a device that cannot be opened") {
    skiff::Result<std::vector<uint8_t>> bytes = random_bytes_from("/nonexistent/urandom", 16);
    REQUIRE_FALSE(bytes.ok());
    CHECK(bytes.error().code == skiff::ErrorCode::kIo);
    CHECK(bytes.error().message == "random bytes: open /nonexistent/urandom: No such file or directory");
  }
  SECTION("a device with no bytes") {
    skiff::Result<std::vector<uint8_t>> bytes = random_bytes_from("/dev/null", 16);
    REQUIRE_FALSE(bytes.ok());
    CHECK(bytes.error().message == "random bytes: read /dev/null: 0 of 16 bytes before its end");
  }
  SECTION("a device with too few bytes") {
    TempFile file("short");
    skiff::Result<std::vector<uint8_t>> bytes = random_bytes_from(file.path, 16);
    REQUIRE_FALSE(bytes.ok());
    CHECK(bytes.error().message == "random bytes: read " + file.path + ": 5 of 16 bytes before its end");
  }
  SECTION("a device that cannot be read") {
    skiff::Result<std::vector<uint8_t>> bytes = random_bytes_from("/tmp", 16);  // a directory: EISDIR
    REQUIRE_FALSE(bytes.ok());
    CHECK(bytes.error().message == "random bytes: read /tmp: Is a directory");
  }
}
