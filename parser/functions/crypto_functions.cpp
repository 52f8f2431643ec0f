// Hashes, bcrypt and UUIDs (go-cty-funcs' crypto and uuid packages).
// Digests come from OpenSSL's libcrypto, bcrypt from libxcrypt; randomness
// comes only from the Environment, so tests can make it deterministic.
#include <crypt.h>
#include <openssl/evp.h>

#include <cstring>
#include <map>

#include "parser/functions/function_support.hpp"

namespace skiff::parser {

namespace {

std::string hex(const unsigned char* bytes, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xF];
  }
  return out;
}

std::vector<unsigned char> digest(const EVP_MD* algorithm, std::string_view data) {
  std::vector<unsigned char> out(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &size, algorithm, nullptr) != 1) fail_call("digest failed");
  out.resize(size);
  return out;
}

Value hash_of(Args args, const EVP_MD* algorithm) {
  std::vector<unsigned char> sum = digest(algorithm, string_arg(args, 0, "str"));
  return Value::string(hex(sum.data(), sum.size()));
}

Value md5(Args args, const FunctionContext&) { return hash_of(args, EVP_md5()); }
Value sha1(Args args, const FunctionContext&) { return hash_of(args, EVP_sha1()); }
Value sha256(Args args, const FunctionContext&) { return hash_of(args, EVP_sha256()); }
Value sha512(Args args, const FunctionContext&) { return hash_of(args, EVP_sha512()); }

std::vector<uint8_t> random_bytes(const FunctionContext& ctx, size_t count) {
  if (ctx.env == nullptr) fail_call("no source of random bytes is available");
  Result<std::vector<uint8_t>> bytes = ctx.env->random_bytes(count);
  if (!bytes.ok()) fail_call("could not read random bytes: " + bytes.error().message);
  // An Environment that returns fewer bytes than asked breaks its contract;
  // the check keeps a salt or a UUID from reading past them.
  if (bytes->size() != count) fail_call("could not read random bytes");
  return std::move(bytes).value();
}

// bcrypt(str, cost?): "$2a$" hashes as Go's golang.org/x/crypto/bcrypt makes
// them; a cost below 4 means the default, 10.
Value bcrypt(Args args, const FunctionContext& ctx) {
  std::string password = string_arg(args, 0, "str");
  int64_t cost = 10;
  if (args.size() > 1) cost = integer_arg(args, 1, "cost");
  if (args.size() > 2) fail_call("bcrypt() takes no more than two arguments");
  if (cost < 4) cost = 10;
  if (cost > 31) {
    fail_call("error occured generating password crypto/bcrypt: cost " + std::to_string(cost) +
              " is outside allowed range (4,31)");
  }
  if (password.size() > 72) fail_call("error occured generating password bcrypt: password length exceeds 72 bytes");
  std::vector<uint8_t> salt_bytes = random_bytes(ctx, 16);
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  if (!crypt_gensalt_rn("$2a$", static_cast<unsigned long>(cost), reinterpret_cast<const char*>(salt_bytes.data()),
                        static_cast<int>(salt_bytes.size()), setting, sizeof setting)) {
    fail_call("error occured generating password: cannot make a bcrypt salt");
  }
  crypt_data data;
  std::memset(&data, 0, sizeof data);
  const char* hashed = crypt_rn(password.c_str(), setting, &data, sizeof data);
  if (hashed == nullptr || hashed[0] == '*') fail_call("error occured generating password: bcrypt failed");
  return Value::string(hashed);
}

std::string format_uuid(const uint8_t* b) {
  std::string h = hex(b, 16);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

Value uuidv4(Args, const FunctionContext& ctx) {
  std::vector<uint8_t> b = random_bytes(ctx, 16);
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);
  return Value::string(format_uuid(b.data()));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// google/uuid's Parse: "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", optionally in
// braces or after "urn:uuid:", or 32 bare hex digits. Returns an error text.
std::optional<std::string> parse_uuid(std::string text, uint8_t out[16]) {
  if (text.size() == 45) {
    std::string prefix = to_lower_text(text.substr(0, 9));
    if (prefix != "urn:uuid:") return "invalid urn prefix: \"" + text.substr(0, 9) + "\"";
    text = text.substr(9);
  } else if (text.size() == 38) {
    if (text.front() != '{' || text.back() != '}') return std::string("invalid bracketed UUID format");
    text = text.substr(1, 36);
  } else if (text.size() == 32) {
    text =
        text.substr(0, 8) + "-" + text.substr(8, 4) + "-" + text.substr(12, 4) + "-" + text.substr(16, 4) + "-" + text.substr(20);
  } else if (text.size() != 36) {
    return "invalid UUID length: " + std::to_string(text.size());
  }
  if (text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-') return std::string("invalid UUID format");
  size_t byte = 0;
  for (size_t i = 0; i < text.size(); i += 2) {
    if (text[i] == '-') ++i;
    int hi = hex_digit(text[i]), lo = hex_digit(text[i + 1]);
    if (hi < 0 || lo < 0) return std::string("invalid UUID format");
    out[byte++] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return std::nullopt;
}

Value uuidv5(Args args, const FunctionContext&) {
  std::string namespace_text = string_arg(args, 0, "namespace");
  std::string name = string_arg(args, 1, "name");
  static const std::map<std::string, std::string> kNamespaces = {
      {"dns", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"},
      {"url", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"},
      {"oid", "6ba7b812-9dad-11d1-80b4-00c04fd430c8"},
      {"x500", "6ba7b814-9dad-11d1-80b4-00c04fd430c8"},
  };
  auto known = kNamespaces.find(namespace_text);
  uint8_t ns[16];
  std::optional<std::string> error = parse_uuid(known != kNamespaces.end() ? known->second : namespace_text, ns);
  if (error) fail_call("uuidv5() doesn't support namespace " + namespace_text + " (" + *error + ")");
  std::string input(reinterpret_cast<const char*>(ns), 16);
  input += name;
  std::vector<unsigned char> sum = digest(EVP_sha1(), input);
  sum[6] = static_cast<unsigned char>((sum[6] & 0x0F) | 0x50);
  sum[8] = static_cast<unsigned char>((sum[8] & 0x3F) | 0x80);
  return Value::string(format_uuid(sum.data()));
}

}  // namespace

std::vector<FunctionSpec> crypto_function_specs() {
  return {
      {"md5", 1, 1, false, md5},       {"sha1", 1, 1, false, sha1},    {"sha256", 1, 1, false, sha256},
      {"sha512", 1, 1, false, sha512}, {"bcrypt", 1, 0, true, bcrypt}, {"uuidv4", 0, 0, false, uuidv4},
      {"uuidv5", 2, 2, false, uuidv5},
  };
}

}  // namespace skiff::parser
