// BookSide's walks and its ladder's growth: the parts off the per-order path.
#include "engine/book.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace corpex {

LevelRef BookSide::NextWorse(LevelRef after) const {
  const int64_t k = after.ticks;
  const int64_t i = k - lo_;
  LevelRef next = LadderRef(ScanWorse(i));
  if (far_.empty()) return next;
  if (side_ == Side::kBuy) {
    auto it = far_.lower_bound(k);
    if (it != far_.begin()) next = BetterOf(next, *--it);
  } else if (auto it = far_.upper_bound(k); it != far_.end()) {
    next = BetterOf(next, *it);
  }
  return next;
}

// Highest rung with a level below rung i (i may lie outside the ladder).
int64_t BookSide::HighestBelow(int64_t i) const {
  const auto n = static_cast<int64_t>(rungs_.size());
  if (i > n) i = n;
  if (i <= 0) return kNoRung;
  const auto j = static_cast<uint64_t>(i - 1);
  uint64_t w = j >> 6;
  if (const uint64_t m = bits_[w] & (~uint64_t{0} >> (63 - (j & 63))); m != 0)
    return static_cast<int64_t>(w * 64 + 63 - static_cast<uint64_t>(std::countl_zero(m)));
  if (w == 0) return kNoRung;
  --w;  // the highest word below with any level, through the summary
  uint64_t s = w >> 6;
  uint64_t sm = summary_[s] & (~uint64_t{0} >> (63 - (w & 63)));
  while (sm == 0) {
    if (s == 0) return kNoRung;
    sm = summary_[--s];
  }
  w = s * 64 + 63 - static_cast<uint64_t>(std::countl_zero(sm));
  return static_cast<int64_t>(w * 64 + 63 - static_cast<uint64_t>(std::countl_zero(bits_[w])));
}

// Lowest rung with a level above rung i (i may lie outside the ladder).
int64_t BookSide::LowestAbove(int64_t i) const {
  const auto n = static_cast<int64_t>(rungs_.size());
  if (i < -1) i = -1;
  if (i + 1 >= n) return kNoRung;
  const auto j = static_cast<uint64_t>(i + 1);
  uint64_t w = j >> 6;
  if (const uint64_t m = bits_[w] & (~uint64_t{0} << (j & 63)); m != 0)
    return static_cast<int64_t>(w * 64 + static_cast<uint64_t>(std::countr_zero(m)));
  if (++w >= bits_.size()) return kNoRung;
  uint64_t s = w >> 6;
  uint64_t sm = summary_[s] & (~uint64_t{0} << (w & 63));
  while (sm == 0) {
    if (++s >= summary_.size()) return kNoRung;
    sm = summary_[s];
  }
  w = s * 64 + static_cast<uint64_t>(std::countr_zero(sm));
  return static_cast<int64_t>(w * 64 + static_cast<uint64_t>(std::countr_zero(bits_[w])));
}

bool BookSide::Cover(int64_t k) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const auto size = static_cast<int64_t>(rungs_.size());
  auto centre = [&](int64_t n) { Rebuild(std::clamp<int64_t>(k - n / 2, 0, kMax - n + 1), n); };
  if (ladder_levels_ == 0) {  // first use, or the market moved: centre on k
    centre(std::max(kMinRungs, size));
    return true;
  }
  // In 128 bits: the ladder's end, or k + 1, may lie past int64's range.
  const __int128 lo = std::min(lo_, k);
  const __int128 end = std::max<__int128>(__int128{lo_} + size, __int128{k} + 1);
  if (end - lo <= kMaxRungs) {
    int64_t n = size;
    while (n < end - lo) n *= 2;
    // Grow towards k, keeping the far end, so a market drifting that way
    // finds room. lo stays within [0, kMax - n + 1]: every rung's tick count
    // is an int64, and k - lo cannot wrap.
    Rebuild(k < lo_ ? static_cast<int64_t>(std::max<__int128>(end - n, 0))
                    : std::min(lo_, kMax - n + 1),
            n);
    return true;
  }
  // The market left levels behind (a stale order far from where prices now
  // are): once most levels lie beyond the ladder, it moves to where they
  // are, and the levels it leaves go far. Twice as many (plus a margin) so
  // two clusters of levels cannot make it move back and forth.
  if (far_.size() + 1 >= 2 * ladder_levels_ + kRecentreMargin) {
    centre(size);
    return true;
  }
  return false;
}

void BookSide::Rebuild(int64_t lo, int64_t rungs) {
  const auto n = static_cast<size_t>(rungs);
  if (rungs_.size() != n || ladder_levels_ != 0) {
    std::vector<uint32_t> old = std::move(rungs_);
    const int64_t old_lo = lo_;
    rungs_.assign(n, kNone);
    bits_.assign(n / 64, 0);
    summary_.assign((n / 64 + 63) / 64, 0);
    ladder_levels_ = 0;
    for (size_t i = 0; i < old.size(); ++i) {
      if (old[i] == kNone) continue;
      const int64_t k = old_lo + static_cast<int64_t>(i);
      if (k < lo || k - lo >= rungs) {  // left behind by a re-centred ladder
        far_.emplace(k, old[i]);
        continue;
      }
      PutRung(k - lo, old[i]);
    }
  }
  lo_ = lo;
  // Far levels the ladder now covers move onto it.
  for (auto it = far_.lower_bound(lo); it != far_.end() && it->first - lo < rungs;) {
    PutRung(it->first - lo, it->second);
    it = far_.erase(it);
  }
  top_ = side_ == Side::kBuy ? HighestBelow(rungs) : LowestAbove(-1);
}

}  // namespace corpex
