// Hashes, bcrypt and UUIDs.
#include <crypt.h>

#include <cstring>
#include <regex>

#include "functions_test_support.hpp"

using namespace skiff::parser;
using namespace skiff::parser::testing;

TEST_CASE("hash functions give lowercase hex digests", "[functions]") {
  CHECK(call_ok("md5", {S("hello world")}) == S("5eb63bbbe01eeed093cb22bb8f5acdc3"));
  CHECK(call_ok("sha1", {S("hello world")}) == S("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"));
  CHECK(call_ok("sha256", {S("hello world")}) == S("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"));
  CHECK(call_ok("sha512", {S("hello world")}) ==
        S("309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605"
          "dcf7dc5542e93ae9cd76f"));
  CHECK(call_ok("md5", {S("")}) == S("d41d8cd98f00b204e9800998ecf8427e"));
}

namespace {
bool bcrypt_verifies(const std::string& password, const std::string& hash) {
  crypt_data data;
  std::memset(&data, 0, sizeof data);
  const char* again = crypt_rn(password.c_str(), hash.c_str(), &data, sizeof data);
  return again != nullptr && hash == again;
}
}  // namespace

TEST_CASE("bcrypt makes $2a$ hashes that verify", "[functions]") {
  FakeEnvironment env;
  FunctionContext ctx;
  ctx.env = &env;
  std::string hash = call_ok("bcrypt", {S("hello world"), N(4)}, ctx).as_string();
  CHECK(std::regex_match(hash, std::regex(R"(\$2a\$04\$[./A-Za-z0-9]{53})")));
  CHECK(bcrypt_verifies("hello world", hash));
  CHECK_FALSE(bcrypt_verifies("hello World", hash));
  // The default cost is 10, and a cost below 4 means the default, as in Go.
  std::string default_cost = call_ok("bcrypt", {S("pw")}, ctx).as_string();
  CHECK(default_cost.rfind("$2a$10$", 0) == 0);
  CHECK(bcrypt_verifies("pw", default_cost));
  CHECK(call_ok("bcrypt", {S("pw"), N(2)}, ctx).as_string().rfind("$2a$10$", 0) == 0);
  CHECK(call_error("bcrypt", {S("pw"), N(32)}, ctx) ==
        "Call to function \"bcrypt\" failed: error occured generating password crypto/bcrypt: cost 32 is outside "
        "allowed range (4,31).");
  CHECK(call_error("bcrypt", {S("pw"), N(4), N(4)}, ctx) ==
        "Call to function \"bcrypt\" failed: bcrypt() takes no more than two arguments.");
  CHECK(call_fail("bcrypt", {S("pw")}).argument == -1);  // no environment, no randomness
}

TEST_CASE("uuidv4 sets the version and variant bits", "[functions]") {
  FakeEnvironment env;
  FunctionContext ctx;
  ctx.env = &env;
  // The fake's random bytes count 0, 1, 2, ...
  CHECK(call_ok("uuidv4", {}, ctx) == S("00010203-0405-4607-8809-0a0b0c0d0e0f"));
  std::string second = call_ok("uuidv4", {}, ctx).as_string();
  CHECK(std::regex_match(second, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
}

TEST_CASE("uuidv5 hashes a name in a namespace", "[functions]") {
  CHECK(call_ok("uuidv5", {S("dns"), S("www.terraform.io")}) == S("a5008fae-b28c-5ba5-96cd-82b4c53552d6"));
  CHECK(call_ok("uuidv5", {S("url"), S("https://www.terraform.io/")}) == S("9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5"));
  CHECK(call_ok("uuidv5", {S("oid"), S("1.2.3")}) == S("42d5e23b-3a02-5135-85c6-52d1102f1f00"));
  CHECK(call_ok("uuidv5", {S("x500"), S("cn=x")}) == S("a951fb6d-5aab-5a72-8e2e-9aa8df8d1f8f"));
  CHECK(call_ok("uuidv5", {S("743ac3c0-3bf7-4a5b-9e6c-59360447c757"), S("LIBS:diskfree")}) ==
        S("68046825-b333-523f-b7fe-c17fbdd4f6a0"));
  CHECK(call_ok("uuidv5", {S("{743ac3c0-3bf7-4a5b-9e6c-59360447c757}"), S("LIBS:diskfree")}) ==
        S("68046825-b333-523f-b7fe-c17fbdd4f6a0"));
  CHECK(call_ok("uuidv5", {S("743ac3c03bf74a5b9e6c59360447c757"), S("LIBS:diskfree")}) ==
        S("68046825-b333-523f-b7fe-c17fbdd4f6a0"));
  CHECK(call_error("uuidv5", {S("tld"), S("x")}) ==
        "Call to function \"uuidv5\" failed: uuidv5() doesn't support namespace tld (invalid UUID length: 3).");
}

TEST_CASE("uuidv4 and bcrypt fail the call when there are no random bytes", "[functions]") {
  FakeEnvironment env;
  env.random_failure = skiff::make_error(skiff::ErrorCode::kIo, "random bytes: open /dev/urandom: No such file or directory");
  FunctionContext ctx;
  ctx.env = &env;
  // Before, an OsEnvironment that could not read /dev/urandom gave zeros of
  // the right length: every uuidv4() was the same id, every salt the same.
  CHECK(call_error("uuidv4", {}, ctx) ==
        "Call to function \"uuidv4\" failed: could not read random bytes: random bytes: open /dev/urandom: No such file "
        "or directory.");
  CHECK(call_error("bcrypt", {S("pw"), N(4)}, ctx) ==
        "Call to function \"bcrypt\" failed: could not read random bytes: random bytes: open /dev/urandom: No such file "
        "or directory.");
}
