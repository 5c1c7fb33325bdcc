// Price levels of the order books.
//
// A level is an intrusive FIFO of order slots plus its aggregates. Each book
// side keeps its levels in a vector sorted so that the best price is at the
// back: taking or removing the best level is O(1), finding a level for a new
// price is a branch-free search (LevelPosition). Emptied levels stay in
// place until compacted, so a side holds more entries than live levels, and
// a new level's insert moves the entries better than it (on engine_bench's
// hot book ~250 on average: replaces pick random resting orders, not ones
// near the top) unless a kept empty level beside it takes the price (Link:
// half the hot book's new prices). Level records live in one pool reused
// through a free list.
//
// Thread: the Engine's caller, one at a time (the turn holder: docs/ARCHITECTURE.md).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "corpex/types.h"
#include "engine/huge_pages.h"
#include "engine/order_pool.h"

namespace corpex {

// One cache line: a 56-byte stride put most levels across two lines, and on
// a large book each line is a miss.
struct alignas(64) Level {
  int64_t price = 0;
  int64_t qty = 0;  // sum of open quantities
  Slot head = kNoSlot;
  Slot tail = kNoSlot;
  uint32_t orders = 0;
  InstrumentId instrument = kNone;
  Side side = Side::kBuy;
  uint32_t next_free = kNone;
  uint32_t emit_index = 0;  // its entry in Events::book, valid when emit_epoch is current
  uint64_t emit_epoch = 0;
};

struct LevelRef {
  int64_t price;
  uint32_t level;
};

// Levels of one side, best at the back: bids ascending, asks descending.
// Empty levels may stay inside the vector (never at the back) until a
// compaction between commands removes them.
struct BookSide {
  std::vector<LevelRef> levels;
  size_t empty = 0;  // empty levels kept
  bool compact_pending = false;
};

struct Book {
  BookSide bids;
  BookSide asks;
  BookSide& side(Side s) { return s == Side::kBuy ? bids : asks; }
  const BookSide& side(Side s) const { return s == Side::kBuy ? bids : asks; }
};

// True when price a is strictly better than b for the side.
inline bool Better(Side side, int64_t a, int64_t b) { return side == Side::kBuy ? a > b : a < b; }

namespace book_detail {

// LevelPosition in one side's order: worse(a, b) is "a is strictly worse
// than b" (bids: a < b, asks: a > b). A template rather than a runtime sign,
// so each probe is load-compare-select with no multiply on the chain.
//
// One four-way step over [base, base + n): the three probes of a step load
// in parallel, so the dependent chain is half as long as a binary search's
// (~5 steps instead of ~9 on a hot book's 500-700 entries a side). The
// answer stays within [base, base + n]: a probe not worse than price bounds
// it above, and n - 3q >= q covers the quarter it is in.
template <typename Worse>
inline void QuarterStep(const LevelRef*& base, size_t& n, int64_t price, Worse worse) {
  const size_t q = n / 4;
  const size_t below = static_cast<size_t>(worse(base[q].price, price)) +
                       static_cast<size_t>(worse(base[2 * q].price, price)) +
                       static_cast<size_t>(worse(base[3 * q].price, price));
  base += below * q;
  n -= 3 * q;
}

template <typename Worse>
inline size_t LowerBound(const LevelRef* const first, size_t n, int64_t price, Worse worse) {
  const LevelRef* base = first;
  while (n >= 4) QuarterStep(base, n, price, worse);
  // One to three entries left, all in range: the answer is base plus how
  // many of them are worse. Counted, since a compiled branch here would
  // mispredict about every other search; n is a function of the side's size,
  // so the loop's own branch predicts.
  size_t below = 0;
  for (size_t k = 0; k < n; ++k) below += static_cast<size_t>(worse(base[k].price, price));
  return static_cast<size_t>(base - first) + below;
}

struct BidWorse {
  bool operator()(int64_t a, int64_t b) const { return a < b; }
};
struct AskWorse {
  bool operator()(int64_t a, int64_t b) const { return a > b; }
};

}  // namespace book_detail

// Index of the level at `price` in a side's levels (sorted worst -> best), or
// where such a level would be inserted: the first entry not worse than price.
// Branch-free (a hot book's probes are unpredictable: the branchy search
// mispredicted ~5 times a lookup).
inline size_t LevelPosition(const BookSide& bs, Side side, int64_t price) {
  const LevelRef* const first = bs.levels.data();
  const size_t n = bs.levels.size();
  if (side == Side::kBuy) return book_detail::LowerBound(first, n, price, book_detail::BidWorse{});
  return book_detail::LowerBound(first, n, price, book_detail::AskWorse{});
}

// For Prefetch: the three probes QuarterStep will load over [base, base + n).
inline void PrefetchQuarterProbes(const LevelRef* base, size_t n) {
  const size_t q = n / 4;
  __builtin_prefetch(&base[q]);
  __builtin_prefetch(&base[2 * q]);
  __builtin_prefetch(&base[3 * q]);
}

// For Prefetch: the first step of LevelPosition's search (its probes must
// have arrived), then a fetch of the second step's probes, so that a later
// search waits for one step fewer.
inline void PrefetchSecondStep(const BookSide& bs, Side side, int64_t price) {
  const LevelRef* base = bs.levels.data();
  size_t n = bs.levels.size();
  if (n < 16) return;
  if (side == Side::kBuy) book_detail::QuarterStep(base, n, price, book_detail::BidWorse{});
  else book_detail::QuarterStep(base, n, price, book_detail::AskWorse{});
  PrefetchQuarterProbes(base, n);
}

// For Prefetch: LevelPosition, but once its steps have narrowed the range to
// a few lines (32 entries at most: two steps on a side of ~300 levels) it
// asks for all of them at once, so the search waits for one more fetch
// instead of one per remaining step.
inline size_t LevelPositionFetchingTail(const BookSide& bs, Side side, int64_t price) {
  const auto search = [&](auto worse) {
    const LevelRef* const first = bs.levels.data();
    const LevelRef* base = first;
    size_t n = bs.levels.size();
    while (n > 32) book_detail::QuarterStep(base, n, price, worse);
    if (n > 0) {
      const char* const end = reinterpret_cast<const char*>(base + n);
      for (const char* line = reinterpret_cast<const char*>(base); line < end; line += 64)
        __builtin_prefetch(line);
      __builtin_prefetch(end - 1);
    }
    // The same steps LevelPosition would take from here.
    return static_cast<size_t>(base - first) + book_detail::LowerBound(base, n, price, worse);
  };
  return side == Side::kBuy ? search(book_detail::BidWorse{}) : search(book_detail::AskWorse{});
}

class LevelPool {
 public:
  LevelPool() = default;
  LevelPool(const LevelPool&) = delete;
  LevelPool& operator=(const LevelPool&) = delete;

  uint32_t Allocate() {
    if (free_ != kNone) {
      const uint32_t l = free_;
      free_ = levels_[l].next_free;
      levels_[l] = Level{};
      return l;
    }
    levels_.emplace_back();
    return static_cast<uint32_t>(levels_.size() - 1);
  }
  void Free(uint32_t l) {
    levels_[l].next_free = free_;
    levels_[l].orders = 0;
    free_ = l;
  }
  void Prefetch(uint32_t l) const {
    if (l < levels_.size()) __builtin_prefetch(&levels_[l]);
  }
  Level& operator[](uint32_t l) { return levels_[l]; }
  const Level& operator[](uint32_t l) const { return levels_[l]; }
  size_t MemoryBytes() const { return levels_.capacity() * sizeof(Level); }

 private:
  HugeVector<Level> levels_;
  uint32_t free_ = kNone;
};

}  // namespace corpex
