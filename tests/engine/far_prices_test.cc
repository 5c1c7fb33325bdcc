// Prices far apart on one book: from one tick to int64's end, beyond the
// reach of a side's ladder (BookSide::kMaxRungs ticks). Depth, matching,
// cancels and snapshots see them in price order, as they do near prices;
// a market that leaves the ladder and comes back changes nothing either.
#include "engine/engine_fixture.h"

#include <limits>

#include "engine/book.h"

namespace corpex::test {
namespace {

constexpr int64_t kTick = 100;  // the fixture's instrument: tick 100, lot 10
// The highest price a 10-unit order can name: qty x price fits in int64.
constexpr int64_t kTop = std::numeric_limits<int64_t>::max() / 10 / kTick * kTick;
constexpr int64_t kReach = BookSide::kMaxRungs * kTick;

TEST_CASE("asks from one tick to int64's end match cheapest first", "[book][far]") {
  EngineFixture f;
  f.RestSell("S1", 10, 100 * kTick);  // the ladder centres here
  const OrderId lowest = f.RestSell("S1", 10, kTick);
  const OrderId near = f.RestSell("S1", 10, 100 * kTick + 10 * kTick);
  f.RestSell("S1", 10, kTop);
  f.RestSell("S1", 10, 3 * kReach);
  f.RestSell("S1", 10, kReach + 7 * kTick);
  BookDepth d = f.Depth();
  REQUIRE(d.asks.size() == 6);
  CheckLevel(d.asks[0], kTick, 10, 1);
  CheckLevel(d.asks[1], 100 * kTick, 10, 1);
  CheckLevel(d.asks[2], 110 * kTick, 10, 1);
  CheckLevel(d.asks[3], kReach + 7 * kTick, 10, 1);
  CheckLevel(d.asks[4], 3 * kReach, 10, 1);
  CheckLevel(d.asks[5], kTop, 10, 1);

  // Empty the ladder's levels; a new price beside a far one re-centres it
  // there, and the far level joins it in place.
  REQUIRE(f.Cancel("S1", lowest).status.ok());
  REQUIRE(f.Cancel("S1", near).status.ok());
  for (const OrderView& v : f.Open("S1"))
    if (v.price == P(100 * kTick)) REQUIRE(f.Cancel("S1", v.id).status.ok());
  f.RestSell("S2", 20, kReach + 8 * kTick);
  d = f.Depth();
  REQUIRE(d.asks.size() == 4);
  CheckLevel(d.asks[0], kReach + 7 * kTick, 10, 1);
  CheckLevel(d.asks[1], kReach + 8 * kTick, 20, 1);

  // A snapshot holds the same book, and restores to the same digest.
  Engine restored;
  REQUIRE(restored.Restore(f.engine.Save()).ok());
  CHECK(restored.Digest() == f.engine.Digest());
  CHECK(restored.Save() == f.engine.Save());

  // 40 units up to 3 x reach take three levels, cheapest first; 10 more at
  // int64's end (the most qty x price lets a buy name) take the last.
  Events e = f.Buy("B1", 40, 3 * kReach);
  REQUIRE(e.trades.size() == 3);
  CHECK(e.trades[0].price == P(kReach + 7 * kTick));
  CHECK(e.trades[1].price == P(kReach + 8 * kTick));
  CHECK(e.trades[1].qty == Q(20));
  CHECK(e.trades[2].price == P(3 * kReach));
  e = f.Buy("B1", 10, kTop);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].price == P(kTop));
  CHECK(f.Depth().asks.empty());
}

TEST_CASE("bids from int64's end to one tick match dearest first", "[book][far]") {
  EngineFixture f;
  f.RestBuy("B1", 10, 5 * kReach);
  f.RestBuy("B1", 10, kTick);
  f.RestBuy("B1", 10, kTop);
  f.RestBuy("B1", 10, 5 * kReach - kTick);
  f.RestBuy("B1", 10, 2 * kReach);
  BookDepth d = f.Depth();
  REQUIRE(d.bids.size() == 5);
  CheckLevel(d.bids[0], kTop, 10, 1);
  CheckLevel(d.bids[1], 5 * kReach, 10, 1);
  CheckLevel(d.bids[2], 5 * kReach - kTick, 10, 1);
  CheckLevel(d.bids[3], 2 * kReach, 10, 1);
  CheckLevel(d.bids[4], kTick, 10, 1);

  // A sell down to 2 x reach takes four levels, best first, and leaves one tick.
  const Events e = f.Sell("S1", 40, 2 * kReach);
  REQUIRE(e.trades.size() == 4);
  CHECK(e.trades[0].price == P(kTop));
  CHECK(e.trades[1].price == P(5 * kReach));
  CHECK(e.trades[2].price == P(5 * kReach - kTick));
  CHECK(e.trades[3].price == P(2 * kReach));
  d = f.Depth();
  REQUIRE(d.bids.size() == 1);
  CheckLevel(d.bids[0], kTick, 10, 1);
}

}  // namespace
}  // namespace corpex::test
