// include/corpex/log_buckets.h — the bucket layout of a log-linear latency
// histogram (HdrHistogram's idea at fixed precision), shared by corpexd's
// stage histograms (gateway/metrics.h) and corpex-load's (tools/load).
//
// kSub sub-buckets per power of two: a value is reported within 1/kSub of
// itself. Values below kSub get a bucket each; above, bucket (e, m) holds the
// values whose highest set bit is e and whose next log2(kSub) bits are m.
#pragma once

#include <bit>
#include <cstdint>

namespace corpex {

template <uint32_t kSub>
struct LogBuckets {
  static_assert(std::has_single_bit(kSub) && kSub >= 2, "kSub is a power of two");
  static constexpr int kBits = std::countr_zero(kSub);
  static constexpr int kCount = 64 * static_cast<int>(kSub);

  static constexpr int Index(uint64_t v) {
    if (v < kSub) return static_cast<int>(v);
    const int e = 63 - std::countl_zero(v);  // >= kBits
    const int m = static_cast<int>((v >> (e - kBits)) & (kSub - 1));
    return (e - kBits + 1) * static_cast<int>(kSub) + m;
  }
  // The largest value bucket `index` holds.
  static constexpr uint64_t Upper(int index) {
    if (index < static_cast<int>(kSub)) return static_cast<uint64_t>(index);
    const int e = index / static_cast<int>(kSub) + kBits - 1, m = index % static_cast<int>(kSub);
    const uint64_t base = (uint64_t{1} << e) | (static_cast<uint64_t>(m) << (e - kBits));
    return base + (uint64_t{1} << (e - kBits)) - 1;
  }
};

static_assert(LogBuckets<128>::Index(127) == 127 && LogBuckets<128>::Index(128) == 128);
static_assert(LogBuckets<128>::Upper(LogBuckets<128>::Index(1'000'000)) >= 1'000'000);
static_assert(LogBuckets<16>::Index(~uint64_t{0}) < LogBuckets<16>::kCount);

}  // namespace corpex
