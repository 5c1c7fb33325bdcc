// Market-data level changes: one aggregate per changed level (qty and order
// count after the command, qty 0 removes the level), in order of first change,
// and Depth() agrees with them.
#include <map>
#include <tuple>

#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

TEST_CASE("resting orders add to their level's aggregate", "[book]") {
  EngineFixture f;
  const InstrumentId i = f.Sym();
  Events e = f.Buy("B1", 10, 1000);
  REQUIRE(e.book.size() == 1);
  CheckChange(e.book[0], i, Side::kBuy, 1000, 10, 1);
  e = f.Buy("B2", 20, 1000);
  REQUIRE(e.book.size() == 1);
  CheckChange(e.book[0], i, Side::kBuy, 1000, 30, 2);
  e = f.Sell("S1", 30, 1200);
  REQUIRE(e.book.size() == 1);
  CheckChange(e.book[0], i, Side::kSell, 1200, 30, 1);
  e = f.Buy("B3", 10, 900);
  REQUIRE(e.book.size() == 1);
  CheckChange(e.book[0], i, Side::kBuy, 900, 10, 1);

  BookDepth d = f.Depth();
  REQUIRE(d.bids.size() == 2);
  CheckLevel(d.bids[0], 1000, 30, 2);  // best (highest) first
  CheckLevel(d.bids[1], 900, 10, 1);
  REQUIRE(d.asks.size() == 1);
  CheckLevel(d.asks[0], 1200, 30, 1);
}

TEST_CASE("cancels shrink a level and the last one removes it (qty 0)", "[book]") {
  EngineFixture f;
  const OrderId a = f.RestSell("S1", 10, 1000);
  const OrderId b = f.RestSell("S2", 20, 1000);
  Events e = f.Cancel("S1", a);
  REQUIRE(e.book.size() == 1);
  CheckChange(e.book[0], f.Sym(), Side::kSell, 1000, 20, 1);
  e = f.Cancel("S2", b);
  REQUIRE(e.book.size() == 1);
  CheckChange(e.book[0], f.Sym(), Side::kSell, 1000, 0, 0);
  CHECK(f.Depth().asks.empty());
}

TEST_CASE("a sweep reports each touched level once, in order of first change", "[book]") {
  EngineFixture f;
  const InstrumentId i = f.Sym();
  f.RestSell("S1", 10, 900);
  f.RestSell("S2", 10, 1000);
  f.RestSell("S3", 10, 1000);
  f.RestSell("S1", 30, 1100);
  Events e = f.Buy("B1", 70, 1100);  // takes 900, 1000 (two orders), 1100; 10 rest
  REQUIRE(e.trades.size() == 4);
  REQUIRE(e.book.size() == 4);
  CheckChange(e.book[0], i, Side::kSell, 900, 0, 0);
  CheckChange(e.book[1], i, Side::kSell, 1000, 0, 0);  // coalesced: two fills, one change
  CheckChange(e.book[2], i, Side::kSell, 1100, 0, 0);
  CheckChange(e.book[3], i, Side::kBuy, 1100, 10, 1);
  BookDepth d = f.Depth();
  CHECK(d.asks.empty());
  REQUIRE(d.bids.size() == 1);
  CheckLevel(d.bids[0], 1100, 10, 1);
}

TEST_CASE("a partial fill of a resting order changes its level's qty, not its count", "[book]") {
  EngineFixture f;
  f.RestBuy("B1", 30, 1000);
  f.RestBuy("B2", 10, 1000);
  Events e = f.Sell("S1", 20, 1000);
  REQUIRE(e.book.size() == 1);
  CheckChange(e.book[0], f.Sym(), Side::kBuy, 1000, 20, 2);
}

TEST_CASE("commands that do not touch the book report no level change", "[book]") {
  EngineFixture f;
  f.RestSell("S1", 10, 1000);
  Events e = f.Buy("B1", 20, 1000, Fok());
  CHECK(e.order.status == OrderStatus::kExpired);
  CHECK(e.book.empty());
  e = f.Buy("B1", 10, 900, Ioc());
  CHECK(e.book.empty());
  e = f.TickAt(f.now + kSec);
  CHECK(e.book.empty());
  e = f.Halt(kSym);
  CHECK(e.book.empty());
}

TEST_CASE("Depth honours max_levels and matches the aggregate of live orders", "[book]") {
  EngineFixture f;
  const InstrumentId i = f.Sym();
  for (int k = 0; k < 5; ++k) {
    f.RestBuy("B1", 10 * (k + 1), 1000 - 100 * k);
    f.RestBuy("B2", 10, 1000 - 100 * k);
    f.RestSell("S1", 10, 1100 + 100 * k);
  }
  BookDepth d = f.engine.Depth(i, 2);
  REQUIRE(d.bids.size() == 2);
  REQUIRE(d.asks.size() == 2);
  CheckLevel(d.bids[0], 1000, 20, 2);
  CheckLevel(d.bids[1], 900, 30, 2);
  CheckLevel(d.asks[0], 1100, 10, 1);
  CheckLevel(d.asks[1], 1200, 10, 1);

  // the full depth equals the sum over AllOrders()
  std::map<std::pair<int, int64_t>, std::pair<int64_t, uint32_t>> agg;
  for (const OrderView& v : f.engine.AllOrders()) {
    auto& slot = agg[{static_cast<int>(v.side), v.price.v}];
    slot.first += v.open.v;
    slot.second += 1;
  }
  BookDepth full = f.engine.Depth(i);
  CHECK(full.bids.size() == 5);
  CHECK(full.asks.size() == 5);
  for (const BookLevel& l : full.bids) {
    auto it = agg.find({static_cast<int>(Side::kBuy), l.price.v});
    REQUIRE(it != agg.end());
    CHECK(l.qty.v == it->second.first);
    CHECK(l.orders == it->second.second);
  }
  for (const BookLevel& l : full.asks) {
    auto it = agg.find({static_cast<int>(Side::kSell), l.price.v});
    REQUIRE(it != agg.end());
    CHECK(l.qty.v == it->second.first);
    CHECK(l.orders == it->second.second);
  }
  for (size_t k = 1; k < full.bids.size(); ++k) CHECK(full.bids[k - 1].price > full.bids[k].price);
  for (size_t k = 1; k < full.asks.size(); ++k) CHECK(full.asks[k - 1].price < full.asks[k].price);
}

TEST_CASE("level changes carry their instrument", "[book]") {
  EngineFixture f;
  const InstrumentId other = f.AddInstrument("OTHER.SYM");
  Events e = f.Buy("B1", 10, 1000, On("OTHER.SYM"));
  REQUIRE(e.book.size() == 1);
  CheckChange(e.book[0], other, Side::kBuy, 1000, 10, 1);
  CHECK(f.Depth().bids.empty());
  REQUIRE(f.Depth("OTHER.SYM").bids.size() == 1);
}

TEST_CASE("a replace changing the level twice reports each level once", "[book][replace]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 10, 1000);
  f.RestBuy("B2", 10, 1000);
  Events e = f.Replace("B1", a, 20, 0);  // qty up: out and back in at the same level
  REQUIRE(e.status.ok());
  REQUIRE(e.book.size() == 1);
  CheckChange(e.book[0], f.Sym(), Side::kBuy, 1000, 30, 2);
}

TEST_CASE("a mass cancel coalesces per level even when levels interleave", "[book][operator]") {
  // events.h: `book` is "coalesced per level, in order of first change".
  EngineFixture f;
  const InstrumentId i = f.Sym();
  f.RestBuy("X1", 10, 1000);  // order-id order: 1000, 900, 1000
  f.RestBuy("X1", 10, 900);
  f.RestBuy("X1", 10, 1000);
  f.RestBuy("B1", 10, 1000);
  Events e = f.Kill("X1");
  REQUIRE(e.count == 3);
  REQUIRE(e.book.size() == 2);
  CheckChange(e.book[0], i, Side::kBuy, 1000, 10, 1);
  CheckChange(e.book[1], i, Side::kBuy, 900, 0, 0);
}

}  // namespace
}  // namespace corpex::test
