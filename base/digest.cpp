#include "base/digest.hpp"

#include <openssl/evp.h>

namespace skiff::base {

std::string sha256_hex_prefix(std::string_view bytes, size_t hex_digits) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size && out.size() < hex_digits; ++i) out += {kHex[digest[i] >> 4], kHex[digest[i] & 15]};
  out.resize(std::min(out.size(), hex_digits));
  return out;
}

}  // namespace skiff::base
