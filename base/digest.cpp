#include "base/digest.hpp"

#include <openssl/evp.h>

#include <algorithm>

namespace skiff::base {

namespace {

std::string hex_prefix(const unsigned char* digest, size_t size, size_t hex_digits) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < size && out.size() < hex_digits; ++i) out += {kHex[digest[i] >> 4], kHex[digest[i] & 15]};
  out.resize(std::min(out.size(), hex_digits));
  return out;
}

}  // namespace

std::string sha256_hex_prefix(std::string_view bytes, size_t hex_digits) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  return hex_prefix(digest, size, hex_digits);
}

std::string pbkdf2_sha256_hex(std::string_view secret, std::string_view salt, int rounds, size_t hex_digits) {
  unsigned char digest[32];
  PKCS5_PBKDF2_HMAC(secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), rounds, EVP_sha256(), sizeof digest, digest);
  return hex_prefix(digest, sizeof digest, hex_digits);
}

}  // namespace skiff::base
