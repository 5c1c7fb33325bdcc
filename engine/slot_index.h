// Open-addressing hash index from a 64-bit key to an order slot.
//
// Linear probing with backward-shift deletion: no tombstones, so lookups stay
// short however long the engine runs, and no allocation except when the
// table doubles. Keys may repeat (the client-order-id index keys by a hash of
// member and id and resolves collisions by checking the order itself), so
// lookup takes a predicate on the slot. Key 0 is reserved for "empty".
//
// Thread: the Engine's caller, one at a time (the turn holder: docs/ARCHITECTURE.md).
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "engine/huge_pages.h"
#include "engine/order_pool.h"

namespace corpex {

class SlotIndex {
 public:
  explicit SlotIndex(size_t expected) {
    size_t cap = 16;
    while (cap * 3 < expected * 4) cap <<= 1;
    Rebuild(cap);
  }
  SlotIndex(const SlotIndex&) = delete;
  SlotIndex& operator=(const SlotIndex&) = delete;

  // The first slot stored under `key` for which match(slot) holds. When
  // there is none, *end is where Insert would put `key` now: the probe
  // run's end, so that InsertAt need not walk the run again.
  template <typename Match>
  Slot Find(uint64_t key, Match&& match, size_t* end) const {
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      const Entry& e = entries_[i];
      if (e.key == 0) return *end = i, kNoSlot;
      if (e.key == key && match(e.slot)) return e.slot;
    }
  }
  template <typename Match>
  Slot Find(uint64_t key, Match&& match) const {
    size_t end;
    return Find(key, match, &end);
  }
  Slot Find(uint64_t key) const {
    return Find(key, [](Slot) { return true; });
  }

  // Starts fetching the probe run of `key`.
  void Prefetch(uint64_t key) const { __builtin_prefetch(&entries_[Home(key)]); }

  void Insert(uint64_t key, Slot slot) {
    if (size_ >= grow_at_) Grow();
    Place(key, slot);
    ++size_;
  }

  // Insert at `end` from a Find of `key` that found nothing, with the
  // table unchanged since.
  void InsertAt(size_t end, uint64_t key, Slot slot) {
    if (size_ >= grow_at_) [[unlikely]] {
      Grow();
      Place(key, slot);
    } else {
      entries_[end] = Entry{key, slot};
    }
    ++size_;
  }

  // Removes the entry (key, slot); it must be present.
  void Erase(uint64_t key, Slot slot) {
    size_t i = Home(key);
    while (!(entries_[i].key == key && entries_[i].slot == slot)) i = (i + 1) & mask_;
    // Backward shift: pull later entries of the probe run into the hole.
    size_t hole = i;
    for (size_t j = (i + 1) & mask_; entries_[j].key != 0; j = (j + 1) & mask_) {
      const size_t home = Home(entries_[j].key);
      const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        entries_[hole] = entries_[j];
        hole = j;
      }
    }
    entries_[hole] = Entry{};
    --size_;
  }

  size_t size() const { return size_; }
  size_t MemoryBytes() const { return entries_.capacity() * sizeof(Entry); }

 private:
#pragma pack(push, 4)
  struct Entry {
    uint64_t key = 0;
    Slot slot = kNoSlot;
  };
#pragma pack(pop)
  static_assert(sizeof(Entry) == 12);

  size_t Home(uint64_t key) const { return (key * 0x9E3779B97F4A7C15ull) >> shift_; }
  void Place(uint64_t key, Slot slot) {
    size_t i = Home(key);
    while (entries_[i].key != 0) i = (i + 1) & mask_;
    entries_[i] = Entry{key, slot};
  }
  void Rebuild(size_t cap) {
    entries_.assign(cap, Entry{});
    mask_ = cap - 1;
    shift_ = 64 - static_cast<unsigned>(__builtin_ctzll(cap));
    grow_at_ = cap / 4 * 3;  // a load of 3/4 at most
  }
  // Out of line, so that Insert stays small enough to inline into order
  // entry whatever else the compiler weighs there.
  [[gnu::noinline]] void Grow() {
    HugeVector<Entry> old;
    old.swap(entries_);
    Rebuild(old.size() * 2);
    for (const Entry& e : old)
      if (e.key != 0) Place(e.key, e.slot);
  }

  HugeVector<Entry> entries_;
  size_t mask_ = 0;
  unsigned shift_ = 0;
  size_t size_ = 0;
  size_t grow_at_ = 0;
};

}  // namespace corpex
