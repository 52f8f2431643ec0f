// Short content digests: names and hashes that change with their input.
#pragma once

#include <string>
#include <string_view>

namespace skiff::base {

// The first `hex_digits` (at most 64) lower-case hex digits of SHA-256
// over `bytes`.
std::string sha256_hex_prefix(std::string_view bytes, size_t hex_digits);

// The first `hex_digits` (at most 64) lower-case hex digits of
// PBKDF2-HMAC-SHA256 over `secret` with `salt` and `rounds` iterations: a
// digest that is slow to compute, for secrets that must be compared but not
// recovered.
std::string pbkdf2_sha256_hex(std::string_view secret, std::string_view salt, int rounds, size_t hex_digits);

// The 64 lower-case hex digits of HMAC-SHA256 over `bytes` keyed with
// `key` (RFC 2104): what a webhook sender signs its body with.
std::string hmac_sha256_hex(std::string_view key, std::string_view bytes);

// Whether `a` and `b` hold the same bytes, in a time that depends on their
// lengths only, never on where they differ: for comparing a signature or a
// token a caller sent with the expected one. Different lengths are unequal
// (the length is all that leaks).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace skiff::base
