// Hashing and comparing the short strings the hot path resolves (member ids,
// symbols, client order ids) with fixed-size loads instead of byte loops or
// calls into memcpy/memcmp. Hash values never reach behaviour: they only
// place entries in the engine's indexes, whose lookups compare the strings.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace corpex {

template <typename T>
inline T LoadBytes(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline uint64_t MixBytes(uint64_t h, uint64_t w, uint64_t k, unsigned r) {
  h = (h ^ w) * k;
  return h ^ (h >> r);
}

// 8 bytes at a time, multiply-xorshift mixing; the tail by overlapping loads.
inline uint64_t HashBytes(uint64_t seed, std::string_view s) {
  const char* p = s.data();
  const size_t n = s.size();
  uint64_t h = seed ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) h = MixBytes(h, LoadBytes<uint64_t>(p + i), 0xff51afd7ed558ccdull, 32);
  const size_t rest = n - i;
  uint64_t tail = 0;
  if (n >= 8) {
    if (rest != 0) tail = LoadBytes<uint64_t>(p + n - 8) >> (8 * (8 - rest));
  } else if (rest >= 4) {
    tail = LoadBytes<uint32_t>(p) | (uint64_t{LoadBytes<uint32_t>(p + rest - 4)} << 32);
  } else if (rest != 0) {
    tail = uint64_t{uint8_t(p[0])} | uint64_t{uint8_t(p[rest / 2])} << 8 |
           uint64_t{uint8_t(p[rest - 1])} << 16;
  }
  return MixBytes(h, tail, 0xc4ceb9fe1a85ec53ull, 29);
}

// a == b for two buffers of n bytes; short ones without a call.
inline bool EqualBytes(const char* a, const char* b, size_t n) {
  if (n >= 8 && n <= 16) {
    return LoadBytes<uint64_t>(a) == LoadBytes<uint64_t>(b) &&
           LoadBytes<uint64_t>(a + n - 8) == LoadBytes<uint64_t>(b + n - 8);
  }
  if (n > 16 && n <= 32) {  // symbols: ZH-MED-DIALOG.TRAIN.12M is 23
    return LoadBytes<uint64_t>(a) == LoadBytes<uint64_t>(b) &&
           LoadBytes<uint64_t>(a + 8) == LoadBytes<uint64_t>(b + 8) &&
           LoadBytes<uint64_t>(a + n - 16) == LoadBytes<uint64_t>(b + n - 16) &&
           LoadBytes<uint64_t>(a + n - 8) == LoadBytes<uint64_t>(b + n - 8);
  }
  if (n >= 4 && n < 8) {
    return LoadBytes<uint32_t>(a) == LoadBytes<uint32_t>(b) &&
           LoadBytes<uint32_t>(a + n - 4) == LoadBytes<uint32_t>(b + n - 4);
  }
  return std::memcmp(a, b, n) == 0;
}

}  // namespace corpex
