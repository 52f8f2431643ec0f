// Random bytes from the kernel: the one source of randomness in skiff, for
// allocation ids, the state's lineage and lock ids, the markers that frame
// commands on a long-lived shell, and uuidv4()/bcrypt() in job files.
//
// A failure is an error, never bytes of a weaker kind: an allocation id made
// of zeros would name every allocation alike, so a caller must be told.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace skiff::base {

// `count` bytes from /dev/urandom. Fails, naming the device and errno, when
// it cannot be opened or read to the end.
Result<std::vector<uint8_t>> random_bytes(size_t count);

// The same from `device`, so tests can give a file that is empty, short or
// unreadable. Thread-safe: every call opens its own descriptor.
Result<std::vector<uint8_t>> random_bytes_from(const std::string& device, size_t count);

}  // namespace skiff::base
