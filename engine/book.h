// Price levels of the order books.
//
// A level is an intrusive FIFO of order slots plus its aggregates. Each book
// side keeps its levels in a vector sorted so that the best price is at the
// back: taking or removing the best level is O(1), finding a level for a new
// price is a binary search, and a hot book's churn near the top moves few
// entries. Level records live in one pool reused through a free list.
//
// Thread: engine thread only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "corpex/types.h"
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

// Index of the level at `price` in a side's levels (sorted worst -> best), or
// where such a level would be inserted: the first entry not worse than price.
// Branch-free (a hot book's probes are unpredictable: the branchy search
// mispredicted ~5 times a lookup), with both possible next probes prefetched,
// since on a million-order book the vector is not cached and a branch-free
// search without prefetch serialises its misses (it measured 0.8x there).
inline size_t LevelPosition(const BookSide& bs, Side side, int64_t price) {
  const LevelRef* const first = bs.levels.data();
  size_t n = bs.levels.size();
  if (n == 0) return 0;
  const LevelRef* base = first;
  // Compare in bid order: an ask's key is its negated price.
  const int64_t sign = side == Side::kBuy ? 1 : -1;
  const int64_t key = price * sign;
  // Once the range is a few lines wide its lines are fetched already.
  for (; n > 16; n -= n / 2) {
    const size_t half = n / 2;
    __builtin_prefetch(base + half / 2);
    __builtin_prefetch(base + half + half / 2);
    base = base[half].price * sign < key ? base + half : base;
  }
  for (; n > 1; n -= n / 2) {
    const size_t half = n / 2;
    base = base[half].price * sign < key ? base + half : base;
  }
  return static_cast<size_t>(base - first) + (base->price * sign < key);
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
  std::vector<Level> levels_;
  uint32_t free_ = kNone;
};

}  // namespace corpex
