// The order id index: a window over the newest ids backed by a hash index.
// Whatever the order of inserts and erases, it answers as a plain map would,
// including for ids that left the window while live.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "engine/order_id_index.h"

namespace corpex::test {
namespace {

// A small expected count: the window is its minimum.
constexpr uint64_t kW = OrderIdIndex::kMinWindow;

TEST_CASE("an id found in the window, then after it moved to the older index", "[order_id_index]") {
  OrderIdIndex idx(16);
  idx.Insert(1, 7);
  idx.Insert(2, 8);
  CHECK(idx.Find(1) == 7);
  CHECK(idx.Find(3) == kNoSlot);  // above every id given out
  CHECK(idx.Find(0) == kNoSlot);
  for (OrderId id = 3; id <= kW + 10; ++id) {
    idx.Insert(id, static_cast<Slot>(id + 100));
    if (id != kW + 1) idx.Erase(id, static_cast<Slot>(id + 100));
  }
  // Ids 1 and 2 left the window while live; kW + 1 is in it.
  REQUIRE(idx.Find(1) == 7);
  REQUIRE(idx.Find(2) == 8);
  CHECK(idx.Find(kW + 1) == kW + 101);
  CHECK(idx.Find(kW) == kNoSlot);  // erased, its cell reused by nothing
  idx.Erase(1, 7);
  CHECK(idx.Find(1) == kNoSlot);
  CHECK(idx.Find(2) == 8);
}

TEST_CASE("a jump of more than a window sends every live id to the older index", "[order_id_index]") {
  OrderIdIndex idx(16);
  for (OrderId id = 1; id <= 100; ++id) idx.Insert(id, static_cast<Slot>(id));
  idx.Insert(3 * kW + 5, 999);
  for (OrderId id = 1; id <= 100; ++id) REQUIRE(idx.Find(id) == id);
  CHECK(idx.Find(3 * kW + 5) == 999);
  CHECK(idx.Find(2 * kW + 5) == kNoSlot);  // same cell, not live
}

TEST_CASE("the window spans the expected live orders", "[order_id_index]") {
  CHECK(OrderIdIndex(16).window() == kW);
  CHECK(OrderIdIndex(3 * kW).window() == 4 * kW);
}

TEST_CASE("random inserts and erases answer as a map does", "[order_id_index]") {
  std::mt19937_64 rng(23);
  OrderIdIndex idx(64);
  std::map<OrderId, Slot> live;
  OrderId next = 1;
  // A snapshot's orders come in level order, not id order.
  for (OrderId id : {40u, 3u, 17u, 25u}) {
    idx.Insert(id, static_cast<Slot>(id * 3));
    live[id] = static_cast<Slot>(id * 3);
  }
  next = 41;
  Slot slot = 1'000;
  for (int step = 0; step < 200'000; ++step) {
    const uint64_t r = rng() % 100;
    if (r < 50) {
      // Mostly the next id, sometimes a gap (orders rejected in between).
      next += r < 2 ? rng() % (2 * kW) : 1;
      idx.Insert(next, ++slot);
      live[next] = slot;
    } else if (!live.empty()) {
      // Young orders leave far more often than old ones, as on a real book.
      auto it = r < 95 ? std::prev(live.end(), static_cast<ptrdiff_t>(1 + rng() % std::min<size_t>(live.size(), 8)))
                       : std::next(live.begin(), static_cast<ptrdiff_t>(rng() % live.size()));
      // Erase's precondition, so that a lost id fails here instead of hanging.
      REQUIRE(idx.Find(it->first) == it->second);
      idx.Erase(it->first, it->second);
      live.erase(it);
    }
    if (step % 997 == 0) {
      for (const auto& [id, s] : live) REQUIRE(idx.Find(id) == s);
      for (int k = 0; k < 50; ++k) {
        const OrderId probe = 1 + rng() % (next + 10);
        const auto it = live.find(probe);
        REQUIRE(idx.Find(probe) == (it == live.end() ? kNoSlot : it->second));
      }
    }
  }
  // The model kept orders past the window, so both halves were exercised.
  CHECK(live.begin()->first + kW < next);
}

}  // namespace
}  // namespace corpex::test
