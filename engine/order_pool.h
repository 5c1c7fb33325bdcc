// Order storage: a pool of fixed-size nodes addressed by 32-bit slot.
//
// The fields matching reads for every resting order it passes sit in one
// 64-byte OrderNode; what only a fill, a report or a rare operator op needs
// sits in a parallel OrderCold. Slots are reused through a free list, so in
// steady state placing an order allocates nothing. Slots never leak into
// behaviour: events and snapshots speak of order ids only.
//
// Thread: the Engine's caller, one at a time (the turn holder: docs/ARCHITECTURE.md).
#pragma once

#include <cstdint>
#include <vector>

#include "corpex/types.h"
#include "engine/huge_pages.h"

namespace corpex {

using Slot = uint32_t;
inline constexpr Slot kNoSlot = kNone;

struct alignas(64) OrderNode {
  OrderId id = 0;             // 0: the slot is free
  int64_t price = 0;
  int64_t open = 0;
  int64_t filled = 0;
  int64_t min_qty = 0;
  TimeNs expire_at = kNever;  // earliest of GTD expiry and attestation expiry
  Slot prev = kNoSlot;        // FIFO neighbours within the price level;
  Slot next = kNoSlot;        // `next` links the free list for free slots
  uint32_t level = kNone;     // level slot while resting
  MemberId member = kNone;
};
static_assert(sizeof(OrderNode) == 64);

// Line-aligned for the same reason as OrderNode: at a 56-byte stride most
// records straddle two cache lines, and every order command reads one.
struct alignas(64) OrderCold {
  TimeNs gtd_expire = kNever;  // the order's own expire_at (GTD)
  InstrumentId instrument = kNone;
  uint32_t ref = kNone;  // sells: attestation; buys: voucher program
  Side side = Side::kBuy;
  Tif tif = Tif::kGtc;
  ClientOrderId coid;
  uint64_t coid_key = 0;  // CoidKey(member, coid): hashed once, at entry
};
static_assert(sizeof(OrderCold) == 64);

class OrderPool {
 public:
  explicit OrderPool(size_t reserve) {
    hot_.reserve(reserve);
    cold_.reserve(reserve);
  }
  OrderPool(const OrderPool&) = delete;
  OrderPool& operator=(const OrderPool&) = delete;

  Slot Allocate() {
    if (free_ == kNoSlot) [[unlikely]] return AllocateNew();
    const Slot s = free_;
    free_ = hot_[s].next;
    hot_[s] = OrderNode{};
    return s;
  }
  void Free(Slot s) {
    hot_[s].id = 0;
    hot_[s].next = free_;
    free_ = s;
  }

  OrderNode& hot(Slot s) { return hot_[s]; }
  const OrderNode& hot(Slot s) const { return hot_[s]; }
  // The cold record is read late in a command; fetch it alongside the hot one.
  void PrefetchCold(Slot s) const { __builtin_prefetch(&cold_[s]); }
  void Prefetch(Slot s) const {
    __builtin_prefetch(&hot_[s]);
    __builtin_prefetch(&cold_[s]);
  }
  void PrefetchHot(Slot s) const {
    if (s < hot_.size()) __builtin_prefetch(&hot_[s]);
  }
  // The slot the next Allocate() returns, if it reuses one.
  Slot next_free() const { return free_; }
  OrderCold& cold(Slot s) { return cold_[s]; }
  const OrderCold& cold(Slot s) const { return cold_[s]; }
  size_t slots() const { return hot_.size(); }
  size_t capacity() const { return hot_.capacity(); }
  size_t MemoryBytes() const {
    return hot_.capacity() * sizeof(OrderNode) + cold_.capacity() * sizeof(OrderCold);
  }

 private:
  // Out of line: the pool grows while a book fills and then reuses slots,
  // and the grow path inlined made Allocate too big to inline into order
  // entry (callgrind, tiny book).
  [[gnu::noinline]] Slot AllocateNew() {
    hot_.emplace_back();
    cold_.emplace_back();
    return static_cast<Slot>(hot_.size() - 1);
  }

  HugeVector<OrderNode> hot_;
  HugeVector<OrderCold> cold_;
  Slot free_ = kNoSlot;
};

}  // namespace corpex
