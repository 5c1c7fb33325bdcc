// Overflow-checked money arithmetic and the calendar rule vouchers need.
// Pure functions; every caller checks the result before using it.
#pragma once

#include <cstdint>
#include <optional>

#include "corpex/types.h"

namespace corpex {

// qty * price in fen, or nullopt when it does not fit in int64.
inline std::optional<int64_t> CheckedMul(int64_t a, int64_t b) {
  int64_t out;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// floor(notional * rate_bps / 10000) with a 128-bit intermediate; both inputs
// are non-negative and rate_bps <= 10000, so the result fits in int64.
inline int64_t ApplyRateBps(int64_t notional, int32_t rate_bps) {
  const __int128 wide = static_cast<__int128>(notional) * rate_bps;
  return static_cast<int64_t>(wide / 10000);
}

// Gregorian year of a Unix-ns instant in China Standard Time (UTC+8, no DST).
// Days-to-civil after Howard Hinnant's public-domain algorithm.
inline int32_t CstYear(TimeNs ts) {
  constexpr int64_t kNsPerSec = 1'000'000'000;
  int64_t secs = ts / kNsPerSec;
  if (ts % kNsPerSec < 0) --secs;
  secs += 8 * 3600;
  int64_t days = secs / 86400;
  if (secs % 86400 < 0) --days;
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int32_t>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

}  // namespace corpex
