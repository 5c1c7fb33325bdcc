#include "load/histogram.h"

#include <algorithm>
#include <cmath>

namespace corpex::tools {

void Histogram::Record(uint64_t ns) {
  ++counts_[static_cast<size_t>(Buckets::Index(ns))];
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
    if (seen >= rank) return std::min(Buckets::Upper(static_cast<int>(i)), max_);
  }
  return max_;
}

}  // namespace corpex::tools
