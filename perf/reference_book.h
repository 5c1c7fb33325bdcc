// perf/reference_book.h — a contest-style price-time book with none of
// corpex's checks: the floor issue 23's 30 ns target was set against.
//
// It is the design of the order-book contest's winning entries, written
// here from their description: one level per tick in a flat array, orders
// in a flat array indexed by their id, a cancel that only zeroes the
// order's quantity (the walk drops it when it meets it), the best prices
// found by stepping tick by tick. It takes a 16-byte message already
// resolved to integers, checks nothing (no members, instruments, lots,
// attestations, vouchers, ownership of a cancel), keeps no names and
// reports a fill as four integers into a ring, as the contest's callback
// did. What corpex does beyond that is the SPEC; what this costs on the
// same feed, timed by the same loop, is what a message costs before any
// of it.
//
// Thread: one at a time.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "engine/huge_pages.h"

namespace corpex::perf {

class ReferenceBook {
 public:
  // A limit order (`cancel` 0) or the cancel of order `id`. Ticks are
  // 1 .. ticks-1 of the book's range; a limit's id is the next one, given.
  struct Msg {
    uint8_t cancel = 0;
    uint8_t buy = 0;
    uint16_t trader = 0;
    uint32_t qty = 0;
    uint32_t tick = 0;
    uint32_t id = 0;
  };
  struct Fill {
    uint16_t buyer = 0, seller = 0;
    uint32_t tick = 0, qty = 0;
  };

  ReferenceBook(uint32_t ticks, size_t orders)
      : levels_(ticks), orders_(orders), ask_min_(ticks), ticks_(ticks) {}
  ReferenceBook(const ReferenceBook&) = delete;
  ReferenceBook& operator=(const ReferenceBook&) = delete;

  void Handle(const Msg& m) {
    if (m.cancel) {
      if (m.id < orders_.size()) orders_[m.id].qty = 0;
      return;
    }
    if (m.buy) Limit<true>(m);
    else Limit<false>(m);
  }

  uint64_t fills() const { return fills_; }
  // Fill k (counted from 0) while it is among the last kRing made.
  static constexpr uint64_t kRing = 256;
  const Fill& fill(uint64_t k) const { return ring_[k & (kRing - 1)]; }
  // Folds the fills ring, so the compiler keeps every fill's stores.
  uint64_t Checksum() const {
    uint64_t h = fills_;
    for (const Fill& f : ring_) h = h * 31 + f.buyer + f.seller * 7u + f.tick * 13u + f.qty;
    return h;
  }

 private:
  static constexpr uint32_t kNone = ~uint32_t{0};
  struct Level {
    uint32_t head = kNone, tail = kNone;
  };
  struct Order {
    uint32_t next = kNone;
    uint32_t qty = 0;
    uint16_t trader = 0;
  };

  template <bool buy>
  void Limit(const Msg& m) {
    uint32_t q = m.qty;
    // The opposite side's best, walked while it crosses.
    uint32_t& best = buy ? ask_min_ : bid_max_;
    auto crosses = [&] { return buy ? best <= m.tick : best >= m.tick && best != 0; };
    while (q > 0 && crosses()) {
      Level& lv = levels_[best];
      uint32_t o = lv.head;
      while (o != kNone) {
        Order& r = orders_[o];
        const uint32_t f = std::min(q, r.qty);  // 0 for a canceled order
        if (f != 0) {
          ring_[fills_++ & (ring_.size() - 1)] =
              Fill{buy ? m.trader : r.trader, buy ? r.trader : m.trader, best, f};
          q -= f;
          r.qty -= f;
        }
        if (r.qty != 0) break;  // q is 0: the order keeps its place
        o = r.next;
        if (q == 0) break;
      }
      lv.head = o;
      if (o != kNone) break;
      lv.tail = kNone;
      StepWorse<!buy>();
    }
    if (q == 0) return;
    Order& n = orders_[m.id];
    n = Order{kNone, q, m.trader};
    Level& lv = levels_[m.tick];
    if (lv.tail != kNone) orders_[lv.tail].next = m.id;
    else lv.head = m.id;
    lv.tail = m.id;
    if (buy) {
      bid_max_ = std::max(bid_max_, m.tick);
      bid_lo_ = std::min(bid_lo_, m.tick);
    } else {
      ask_min_ = std::min(ask_min_, m.tick);
      ask_hi_ = std::max(ask_hi_, m.tick);
    }
  }

  // Moves a side's best to its next level with orders, tick by tick, no
  // further than the side's farthest level (so an emptied side costs a
  // bounded walk, not the whole range).
  template <bool bids>
  void StepWorse() {
    if (bids) {
      while (bid_max_ > bid_lo_ && levels_[--bid_max_].head == kNone) {
      }
      if (levels_[bid_max_].head == kNone) bid_max_ = 0, bid_lo_ = ticks_;
    } else {
      while (ask_min_ < ask_hi_ && levels_[++ask_min_].head == kNone) {
      }
      if (levels_[ask_min_].head == kNone) ask_min_ = ticks_, ask_hi_ = 0;
    }
  }

  std::vector<Level> levels_;
  HugeVector<Order> orders_;
  std::array<Fill, kRing> ring_{};
  uint64_t fills_ = 0;
  uint32_t bid_max_ = 0;   // 0: no bids
  uint32_t ask_min_;       // ticks_: no asks
  uint32_t bid_lo_ = ~uint32_t{0};
  uint32_t ask_hi_ = 0;
  uint32_t ticks_;
};

}  // namespace corpex::perf
