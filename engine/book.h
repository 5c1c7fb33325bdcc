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

struct Level {
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
// A branch-free search was 1.07x faster on a hot, cached book but 0.8x on a
// million-order book (its dependent loads stall where the branchy search's
// speculation fetches ahead), so the plain lower_bound stays.
inline size_t LevelPosition(const BookSide& bs, Side side, int64_t price) {
  auto it = std::lower_bound(bs.levels.begin(), bs.levels.end(), price,
                             [side](const LevelRef& r, int64_t p) { return Better(side, p, r.price); });
  return static_cast<size_t>(it - bs.levels.begin());
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
  Level& operator[](uint32_t l) { return levels_[l]; }
  const Level& operator[](uint32_t l) const { return levels_[l]; }
  size_t MemoryBytes() const { return levels_.capacity() * sizeof(Level); }

 private:
  std::vector<Level> levels_;
  uint32_t free_ = kNone;
};

}  // namespace corpex
