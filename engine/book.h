// Price levels of the order books.
//
// A level is an intrusive FIFO of order slots plus its aggregates; a side
// finds its levels by price on a ladder (BookSide). A level leaves its side
// as soon as its last order does. Level records live in one pool reused
// through a free list.
//
// Thread: the Engine's caller, one at a time (the turn holder: docs/ARCHITECTURE.md).
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "corpex/types.h"
#include "engine/huge_pages.h"
#include "engine/order_pool.h"

namespace corpex {

// One cache line: a 56-byte stride put most levels across two lines, and on
// a large book each line is a miss.
struct alignas(64) Level {
  int64_t price = 0;
  // Between price and qty so that no copy reads the two as one 16-byte load:
  // qty has most often just been stored, and such a load waits for the
  // store to retire (EmitLevel spent 70 % of its samples there).
  int64_t ticks = 0;  // price / tick: its side's key, kept so removal needs no division
  int64_t qty = 0;    // sum of open quantities
  Slot head = kNoSlot;
  Slot tail = kNoSlot;
  uint32_t orders = 0;
  InstrumentId instrument = kNone;
  Side side = Side::kBuy;
  uint32_t next_free = kNone;
  uint32_t emit_index = 0;  // its entry in Events::book, valid when emit_epoch is current
  uint64_t emit_epoch = 0;
};

// A level of a side as a walk sees it; level == kNone: no such level. Its
// price is BookSide::PriceOf. Sixteen bytes, so Best and NextWorse return it
// in registers: at 24 (with the price) it came back through the stack, and
// the caller's 16-byte copy of it waited on the two 8-byte stores just made
// (a failed store-to-load forward: 11 % of MatchAndRestSide's samples,
// `perf annotate`, tiny book).
struct LevelRef {
  int64_t ticks = 0;  // price / tick
  uint32_t level = kNone;
};

// Levels of one side by price. Prices near the market sit on a ladder, one
// rung per tick: finding a price's level is one load, adding or removing a
// level is a store and a bit, with no search and no entry moving (the sorted
// vector this replaces spent 38 % of the hot book's engine time in its
// search and inserts). Bits mark the rungs with a level, and a summary bit
// marks each word of them with any, so the next level in price order is a
// couple of bit scans away even on a sparse ladder.
//
// The ladder covers at most kMaxRungs ticks and grows (by doubling) to take
// a new price while it can; a price beyond its reach goes to `far`, an
// ordered map, so a hostile spread of prices costs speed, never memory or
// correctness. The ladder re-centres on a new price when it holds no level,
// or when most levels lie beyond it (a market that moved away from a stale
// order), so the market's levels leave `far` again. A price is in exactly
// one of the two: growing or re-centring pulls into the ladder every far
// level it now covers, and sends to `far` every level it no longer does.
//
// Prices are handled as tick counts (price / tick, exact: prices are
// validated multiples of the tick), so no rung arithmetic can overflow.
class BookSide {
 public:
  static constexpr int64_t kMinRungs = 1024;
  static constexpr int64_t kMaxRungs = int64_t{1} << 14;  // 64 KiB of rungs
  static constexpr size_t kRecentreMargin = 64;

  // A tick below 1 never reaches a book (instrument.create refuses it); 1
  // keeps a damaged snapshot from dividing by zero.
  BookSide(Side side, int64_t tick) : side_(side), tick_(tick > 0 ? tick : 1) {}

  bool empty() const { return ladder_levels_ == 0 && far_.empty(); }

  // A price as the side keys it: a count of ticks.
  int64_t Ticks(int64_t price) const { return price / tick_; }
  int64_t PriceOf(const LevelRef& r) const { return r.ticks * tick_; }

  // The level at price, or kNone.
  uint32_t Find(int64_t price) const { return FindTicks(Ticks(price)); }
  void Insert(int64_t price, uint32_t l) { InsertTicks(Ticks(price), l); }
  void Erase(int64_t price) { EraseTicks(Ticks(price)); }

  uint32_t FindTicks(int64_t k) const {
    if (const int64_t i = k - lo_; InLadder(i)) return rungs_[static_cast<size_t>(i)];
    if (far_.empty()) return kNone;
    const auto it = far_.find(k);
    return it == far_.end() ? kNone : it->second;
  }
  // Adds level l at k ticks, where there is no level.
  void InsertTicks(int64_t k, uint32_t l) {
    int64_t i = k - lo_;
    if (!InLadder(i)) {
      if (!Cover(k)) {
        far_.emplace(k, l);
        return;
      }
      i = k - lo_;
    }
    PutRung(i, l);
    if (top_ == kNoRung || (side_ == Side::kBuy ? i > top_ : i < top_)) top_ = i;
  }
  // Removes the level at k ticks.
  void EraseTicks(int64_t k) {
    const int64_t i = k - lo_;
    if (!InLadder(i)) {
      far_.erase(k);
      return;
    }
    rungs_[static_cast<size_t>(i)] = kNone;
    ClearBit(i);
    --ladder_levels_;
    if (i == top_) top_ = ScanWorse(i);
  }

  LevelRef Best() const {
    LevelRef best = LadderRef(top_);
    if (!far_.empty()) best = BetterOf(best, side_ == Side::kBuy ? *far_.rbegin() : *far_.begin());
    return best;
  }
  // The best level strictly worse than `after`'s price.
  LevelRef NextWorse(LevelRef after) const;

  // For Prefetch: the rung a price's level would be found on.
  void PrefetchRung(int64_t price) const {
    const int64_t i = Ticks(price) - lo_;
    if (InLadder(i)) __builtin_prefetch(&rungs_[static_cast<size_t>(i)]);
  }
  // For Prefetch: the rung of the side's best level.
  void PrefetchBest() const {
    if (top_ != kNoRung) __builtin_prefetch(&rungs_[static_cast<size_t>(top_)]);
  }
  // Levels beyond the ladder (tests: where the ladder stands).
  size_t far_levels() const { return far_.size(); }
  size_t MemoryBytes() const {
    return rungs_.capacity() * sizeof(uint32_t) + (bits_.capacity() + summary_.capacity()) * 8 +
           far_.size() * 48;
  }

 private:
  static constexpr int64_t kNoRung = -1;

  bool InLadder(int64_t i) const { return static_cast<uint64_t>(i) < rungs_.size(); }
  LevelRef LadderRef(int64_t i) const {
    if (i == kNoRung) return LevelRef{};
    return LevelRef{lo_ + i, rungs_[static_cast<size_t>(i)]};
  }
  LevelRef BetterOf(LevelRef a, std::pair<int64_t, uint32_t> far) const {
    if (a.level == kNone || (side_ == Side::kBuy ? far.first > a.ticks : far.first < a.ticks))
      return LevelRef{far.first, far.second};
    return a;
  }
  // Rungs i with a level, scanning from `from` (exclusive) towards worse
  // prices: lower rungs for bids, higher for asks. kNoRung when none.
  int64_t ScanWorse(int64_t from) const {
    return side_ == Side::kBuy ? HighestBelow(from) : LowestAbove(from);
  }
  int64_t HighestBelow(int64_t i) const;
  int64_t LowestAbove(int64_t i) const;
  void SetBit(int64_t i) {
    const auto u = static_cast<uint64_t>(i);
    bits_[u >> 6] |= uint64_t{1} << (u & 63);
    summary_[u >> 12] |= uint64_t{1} << ((u >> 6) & 63);
  }
  void PutRung(int64_t i, uint32_t l) {
    rungs_[static_cast<size_t>(i)] = l;
    SetBit(i);
    ++ladder_levels_;
  }
  void ClearBit(int64_t i) {
    const auto u = static_cast<uint64_t>(i);
    uint64_t& word = bits_[u >> 6];
    word &= ~(uint64_t{1} << (u & 63));
    if (word == 0) summary_[u >> 12] &= ~(uint64_t{1} << ((u >> 6) & 63));
  }
  // Makes the ladder cover tick count k, if it can; false if k stays far.
  bool Cover(int64_t k);
  void Rebuild(int64_t lo, int64_t rungs);

  Side side_;
  int64_t tick_;
  int64_t lo_ = 0;  // tick count of rung 0
  std::vector<uint32_t> rungs_;
  std::vector<uint64_t> bits_;     // bit i: rung i holds a level
  std::vector<uint64_t> summary_;  // bit w: bits_[w] != 0
  size_t ladder_levels_ = 0;
  int64_t top_ = kNoRung;  // the ladder's best rung
  std::map<int64_t, uint32_t> far_;  // tick count -> level, beyond the ladder
};

struct Book {
  explicit Book(int64_t tick) : bids(Side::kBuy, tick), asks(Side::kSell, tick) {}
  BookSide bids;
  BookSide asks;
  BookSide& side(Side s) { return s == Side::kBuy ? bids : asks; }
  const BookSide& side(Side s) const { return s == Side::kBuy ? bids : asks; }
};

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
