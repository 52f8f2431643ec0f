// The scheduler's only source of randomness: SplitMix64 seeded by the
// caller. Written out rather than taken from <random> because the standard
// distributions' output is implementation-defined, and placements must be the
// same byte for byte on every platform for the same seed.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace skiff::reconciler::scheduler {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, bound) by rejection (Lemire's multiply-shift would also
  // do; rejection is simpler to read and the loop almost never repeats).
  // REQUIRES: bound > 0.
  uint64_t below(uint64_t bound) {
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t x = next();
    while (x >= limit) x = next();
    return x % bound;
  }

  // Fisher-Yates with below(), so the permutation depends on the seed only.
  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[below(i)]);
  }

 private:
  uint64_t state_;
};

}  // namespace skiff::reconciler::scheduler
