#include "base/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

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

std::string hmac_sha256_hex(std::string_view key, std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // An empty view may hold a null pointer, which some OpenSSL versions
  // refuse as a key; a pointer to a byte that is not read stands in.
  static const unsigned char kNothing = 0;
  const void* key_data = key.empty() ? static_cast<const void*>(&kNothing) : key.data();
  const auto* data = bytes.empty() ? &kNothing : reinterpret_cast<const unsigned char*>(bytes.data());
  // On failure (none is known for SHA-256) size stays 0 and the result is
  // "", which equals no signature a sender could send.
  HMAC(EVP_sha256(), key_data, static_cast<int>(key.size()), data, bytes.size(), digest, &size);
  return hex_prefix(digest, size, 64);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace skiff::base
