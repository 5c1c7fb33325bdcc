// Order id -> slot for live orders: a window over the newest ids, backed by
// the hash index for older ones.
//
// Order ids are handed out in increasing order, and most orders leave the
// book young (a busy book's cancels mostly name recent orders, many already
// filled). A window of the newest ids is a plain array indexed by id:
// finding, adding and removing an id there is a load or a store, with no
// hash to compute, no probe run and no backward shift. An id that leaves
// the window while its order is still live moves to the hash index, once.
// The window spans as many ids as the engine expects live orders (at least
// kMinWindow), so a book of that size rarely spills: 4 bytes an id against
// the hash's 16 (12-byte entries at 3/4 load), and read at the id itself.
//
// Invariant: an id within (top_ - window, top_] is found in window_ at
// id & mask_ (kNoSlot when it is not live), any other live id in older_.
// top_ only grows, so an entry moves from the window to older_, never back.
//
// Thread: the Engine's caller, one at a time (the turn holder: docs/ARCHITECTURE.md).
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>

#include "corpex/types.h"
#include "engine/huge_pages.h"
#include "engine/order_pool.h"
#include "engine/slot_index.h"

namespace corpex {

class OrderIdIndex {
 public:
  // 64 KiB of slots at least: stays in L2 beside a small book.
  static constexpr uint64_t kMinWindow = uint64_t{1} << 14;

  explicit OrderIdIndex(size_t expected)
      : window_(std::bit_ceil(std::max<uint64_t>(kMinWindow, expected)), kNoSlot),
        mask_(window_.size() - 1),
        older_(expected) {}
  OrderIdIndex(const OrderIdIndex&) = delete;
  OrderIdIndex& operator=(const OrderIdIndex&) = delete;

  uint64_t window() const { return mask_ + 1; }

  Slot Find(OrderId id) const {
    if (id > top_) return kNoSlot;
    if (top_ - id <= mask_) return window_[id & mask_];
    return older_.Find(id);
  }

  // A new order's id (above top_) will go into the window too.
  void Prefetch(OrderId id) const {
    if (id > top_ || top_ - id <= mask_) __builtin_prefetch(&window_[id & mask_]);
    else older_.Prefetch(id);
  }

  // Adds a live id (not present). Ids need not come in order (a snapshot
  // loads them by level), but a new order's id is top_ + 1.
  void Insert(OrderId id, Slot slot) {
    if (id == top_ + 1) [[likely]] {  // the next id: one cell leaves the window
      Slot& cell = window_[id & mask_];
      if (cell != kNoSlot) [[unlikely]]
        older_.Insert(id - window(), cell);
      cell = slot;
      top_ = id;
      return;
    }
    if (id > top_) Advance(id);
    if (top_ - id <= mask_) window_[id & mask_] = slot;
    else older_.Insert(id, slot);
  }

  // Removes a live id; it must be present with this slot.
  void Erase(OrderId id, Slot slot) {
    if (top_ - id <= mask_) window_[id & mask_] = kNoSlot;
    else older_.Erase(id, slot);
  }

  size_t MemoryBytes() const { return window_.capacity() * sizeof(Slot) + older_.MemoryBytes(); }

 private:
  // Moves top_ to `id`, sending the ids that leave the window to older_.
  void Advance(OrderId id) {
    const uint64_t steps = std::min(id - top_, window());
    for (uint64_t k = 1; k <= steps; ++k) {
      const uint64_t arriving = top_ + k;  // its cell held arriving - window()
      Slot& cell = window_[arriving & mask_];
      if (cell != kNoSlot) [[unlikely]] {
        older_.Insert(arriving - window(), cell);
        cell = kNoSlot;
      }
    }
    top_ = id;
  }

  HugeVector<Slot> window_;
  uint64_t mask_;
  SlotIndex older_;
  OrderId top_ = 0;
};

}  // namespace corpex
