// HMAC-SHA256 against RFC 4231's test vectors, and the constant-time
// comparison webhook signatures and tokens are checked with.
#include "base/digest.hpp"

#include <catch2/catch.hpp>

#include <string>

using skiff::base::constant_time_equal;
using skiff::base::hmac_sha256_hex;

TEST_CASE("hmac_sha256_hex gives RFC 4231's HMAC-SHA-256 for its test cases", "[digest]") {
  // Test case 1: a 20-byte key of 0x0b.
  CHECK(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: a key shorter than the output.
  CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 3: 50 bytes of 0xdd under a 20-byte key of 0xaa.
  CHECK(hmac_sha256_hex(std::string(20, '\xaa'), std::string(50, '\xdd')) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  // Test case 4: the key 0x01 ... 0x19, 50 bytes of 0xcd.
  std::string key4;
  for (char c = 1; c <= 25; ++c) key4 += c;
  CHECK(hmac_sha256_hex(key4, std::string(50, '\xcd')) == "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  // Test cases 6 and 7: a key longer than SHA-256's block, hashed first.
  const std::string long_key(131, '\xaa');
  CHECK(hmac_sha256_hex(long_key, "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(hmac_sha256_hex(long_key,
                        "This is a test using a larger than block-size key and a larger than block-size data. The key needs "
                        "to be hashed before being used by the HMAC algorithm.") ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("hmac_sha256_hex takes an empty key or body and bytes past a NUL", "[digest]") {
  // printf '' | openssl dgst -sha256 -hmac ''
  CHECK(hmac_sha256_hex("", "") == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  // A NUL inside the body is signed like any other byte.
  CHECK(hmac_sha256_hex("k", std::string("a\0b", 3)) != hmac_sha256_hex("k", "a"));
  CHECK(hmac_sha256_hex("k", "body").size() == 64);
}

TEST_CASE("constant_time_equal is equality of bytes; different lengths are unequal", "[digest]") {
  CHECK(constant_time_equal("", ""));
  CHECK(constant_time_equal("s3cret", "s3cret"));
  CHECK_FALSE(constant_time_equal("s3cret", "s3creT"));
  CHECK_FALSE(constant_time_equal("s3cret", "s3cre"));
  CHECK_FALSE(constant_time_equal("s3cret", "s3cret "));
  CHECK_FALSE(constant_time_equal("", "x"));
  CHECK(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  CHECK_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}
