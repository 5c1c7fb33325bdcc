// tools/load/histogram.h — a log-linear latency histogram (HdrHistogram's
// idea at fixed precision): 128 sub-buckets per power of two, so any
// recorded value is reported within 1/128 (< 0.8 %) of itself. Integer ns.
// Not thread-safe: one per thread, merged at the end.
#pragma once

#include <array>
#include <cstdint>

#include "corpex/log_buckets.h"

namespace corpex::tools {

class Histogram {
 public:
  void Record(uint64_t ns);
  void Merge(const Histogram& other);
  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  // The smallest bucket upper bound at or above the q-quantile (0 < q <= 1).
  uint64_t Quantile(double q) const;

 private:
  using Buckets = LogBuckets<128>;
  std::array<uint64_t, Buckets::kCount> counts_{};
  uint64_t count_ = 0, max_ = 0;
};

}  // namespace corpex::tools
