#include "load/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace corpex::tools {

// Values below kSub get a bucket each; above, bucket (e, m) holds values
// whose top 8 bits are 1mmmmmmm with the highest set bit at e.
int Histogram::Index(uint64_t v) {
  if (v < kSub) return static_cast<int>(v);
  int e = 63 - std::countl_zero(v);  // >= 7
  int m = static_cast<int>((v >> (e - 7)) & (kSub - 1));
  return (e - 6) * kSub + m;
}

uint64_t Histogram::Upper(int index) {
  if (index < kSub) return static_cast<uint64_t>(index);
  int e = index / kSub + 6, m = index % kSub;
  uint64_t base = (uint64_t{1} << e) | (static_cast<uint64_t>(m) << (e - 7));
  return base + (uint64_t{1} << (e - 7)) - 1;
}

void Histogram::Record(uint64_t ns) {
  ++counts_[static_cast<size_t>(Index(ns))];
  ++count_;
  max_ = std::max(max_, ns);
}

void Histogram::Merge(const Histogram& o) {
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += o.counts_[i];
  count_ += o.count_;
  max_ = std::max(max_, o.max_);
}

uint64_t Histogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(Upper(static_cast<int>(i)), max_);
  }
  return max_;
}

}  // namespace corpex::tools
