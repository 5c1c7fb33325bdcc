// The hash index from a 64-bit key to a slot: keys may repeat (the match
// predicate tells entries apart), and an insert at the end a failed Find
// reported lands where Insert would have put it, also when the table grows.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "engine/slot_index.h"

namespace corpex::test {
namespace {

TEST_CASE("InsertAt after a failed Find keeps every entry findable through growth", "[slot_index]") {
  std::mt19937_64 rng(7);
  SlotIndex idx(16);  // grows many times below
  std::multimap<uint64_t, Slot> model;
  for (Slot s = 0; s < 20'000; ++s) {
    // Few distinct keys, so runs are long and keys repeat.
    const uint64_t key = 1 + rng() % 5'000;
    size_t end = ~size_t{0};
    REQUIRE(idx.Find(key, [&](Slot x) { return x == s; }, &end) == kNoSlot);
    if (s % 2 == 0) idx.InsertAt(end, key, s);
    else idx.Insert(key, s);
    model.emplace(key, s);
    if (s % 3 == 0) {  // erase an entry of a random key, so InsertAt sees holes filled back
      const auto it = model.lower_bound(1 + rng() % 5'000);
      if (it != model.end()) {
        idx.Erase(it->first, it->second);
        model.erase(it);
      }
    }
  }
  REQUIRE(idx.size() == model.size());
  for (const auto& [key, slot] : model) {
    const Slot want = slot;
    REQUIRE(idx.Find(key, [&](Slot x) { return x == want; }) == want);
  }
}

}  // namespace
}  // namespace corpex::test
