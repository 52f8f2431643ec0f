// base64 through OpenSSL, as RFC 4648 gives it, and back, for any bytes.
#include <catch2/catch.hpp>

#include "base/base64.hpp"

using skiff::base::base64_decode;
using skiff::base::base64_encode;

TEST_CASE("base64 encodes RFC 4648's vectors and decodes them back", "[base]") {
  const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : vectors) {
    CHECK(base64_encode(bytes) == text);
    CHECK(base64_decode(text) == bytes);
  }
}

TEST_CASE("base64 carries every byte value, NUL and high bytes included", "[base]") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  bytes += std::string("\0\0", 2);
  CHECK(base64_decode(base64_encode(bytes)) == bytes);
}

TEST_CASE("base64 refuses text it does not write", "[base]") {
  CHECK_FALSE(base64_decode("Zg="));         // not a multiple of 4
  CHECK_FALSE(base64_decode("Z=g="));        // padding in the middle
  CHECK_FALSE(base64_decode("Zm9v\nYg=="));  // white space
  CHECK_FALSE(base64_decode("Zm9*"));        // outside the alphabet
}
