// Levels emptied inside the book, and new prices landing beside them: depth,
// matching and snapshots see only levels with orders, in price order, and a
// level emptied and refilled within one command is reported once.
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

TEST_CASE("a sweep walks past emptied levels inside the book", "[book]") {
  EngineFixture f;
  std::vector<OrderId> asks;
  for (int k = 0; k < 100; ++k) asks.push_back(f.RestSell("S1", 10, 10000 + 100 * k));
  // Empty every level but the best and the three worst.
  for (int k = 1; k < 97; ++k) REQUIRE(f.Cancel("S1", asks[k]).status.ok());
  BookDepth d = f.Depth();
  REQUIRE(d.asks.size() == 4);
  CHECK(d.asks[0].price == P(10000));
  CHECK(d.asks[1].price == P(19700));

  // A level comes back at a price that was emptied, in the right place.
  f.RestSell("S1", 20, 15000);
  d = f.Depth();
  REQUIRE(d.asks.size() == 5);
  CHECK(d.asks[1].price == P(15000));
  CHECK(d.asks[1].qty == Q(20));

  const Events e = f.Buy("B1", 40, 19800);
  REQUIRE(e.trades.size() == 3);
  CHECK(e.trades[0].price == P(10000));
  CHECK(e.trades[1].price == P(15000));
  CHECK(e.trades[1].qty == Q(20));
  CHECK(e.trades[2].price == P(19700));
  d = f.Depth();
  REQUIRE(d.asks.size() == 2);
  CHECK(d.asks[0].price == P(19800));
}

TEST_CASE("a new price beside an emptied level lands in order", "[book]") {
  EngineFixture f;
  for (const int64_t price : {10000, 11000, 12000, 13000}) f.RestSell("S1", 10, price);
  for (const int64_t price : {9000, 8000, 7000, 6000}) f.RestBuy("B1", 10, price);
  const auto open = f.Open("S1");
  // Empty 11000 and 12000 inside the ask side, 8000 inside the bids.
  for (const OrderView& v : open)
    if (v.price == P(11000) || v.price == P(12000)) REQUIRE(f.Cancel("S1", v.id).status.ok());
  for (const OrderView& v : f.Open("B1"))
    if (v.price == P(8000)) REQUIRE(f.Cancel("B1", v.id).status.ok());

  // Between an emptied level and a live one, between two emptied ones, on
  // the bid side beside an emptied one, then between two live ones.
  Events e = f.Sell("S2", 20, 12500);
  REQUIRE(e.book.size() == 1);
  CheckChange(e.book[0], f.Sym(), Side::kSell, 12500, 20, 1);
  f.RestSell("S2", 30, 11500);
  f.RestBuy("B2", 20, 8500);
  f.RestBuy("B2", 40, 7500);

  BookDepth d = f.Depth();
  REQUIRE(d.asks.size() == 4);
  CheckLevel(d.asks[0], 10000, 10, 1);
  CheckLevel(d.asks[1], 11500, 30, 1);
  CheckLevel(d.asks[2], 12500, 20, 1);
  CheckLevel(d.asks[3], 13000, 10, 1);
  REQUIRE(d.bids.size() == 5);
  CheckLevel(d.bids[0], 9000, 10, 1);
  CheckLevel(d.bids[1], 8500, 20, 1);
  CheckLevel(d.bids[2], 7500, 40, 1);
  CheckLevel(d.bids[3], 7000, 10, 1);
  CheckLevel(d.bids[4], 6000, 10, 1);

  // Matching walks them best first.
  e = f.Buy("B3", 70, 13000);
  REQUIRE(e.trades.size() == 4);
  CHECK(e.trades[0].price == P(10000));
  CHECK(e.trades[1].price == P(11500));
  CHECK(e.trades[2].price == P(12500));
  CHECK(e.trades[3].price == P(13000));
  CHECK(e.trades[3].qty == Q(10));
  e = f.Sell("S3", 90, 6000);
  REQUIRE(e.trades.size() == 5);
  CHECK(e.trades[1].price == P(8500));
  CHECK(e.trades[2].price == P(7500));
}

TEST_CASE("a replace that empties its level and moves beside it reports both prices", "[book][replace]") {
  EngineFixture f;
  f.RestSell("S1", 10, 10000);
  const OrderId x = f.RestSell("S2", 10, 11000);
  f.RestSell("S1", 10, 12000);
  // 11000 empties inside the side and 11500 lands right beside it: the old
  // price is reported removed and the new one added, each once.
  Events e = f.Replace("S2", x, 0, 11500);
  REQUIRE(e.status.ok());
  REQUIRE(e.book.size() == 2);
  CheckChange(e.book[0], f.Sym(), Side::kSell, 11000, 0, 0);
  CheckChange(e.book[1], f.Sym(), Side::kSell, 11500, 10, 1);
  // And back: 11500 empties, 11000 is where it belongs again.
  e = f.Replace("S2", x, 0, 11000);
  REQUIRE(e.book.size() == 2);
  CheckChange(e.book[0], f.Sym(), Side::kSell, 11500, 0, 0);
  CheckChange(e.book[1], f.Sym(), Side::kSell, 11000, 10, 1);
  BookDepth d = f.Depth();
  REQUIRE(d.asks.size() == 3);
  CheckLevel(d.asks[1], 11000, 10, 1);
}

TEST_CASE("emptied levels do not change the snapshot or the digest", "[book]") {
  EngineFixture a;
  EngineFixture b;
  for (int k = 0; k < 60; ++k) a.RestSell("S1", 10, 10000 + 100 * k);
  for (int k = 0; k < 60; ++k) {
    const OrderId id = b.RestSell("S1", 10, 10000 + 100 * k);
    if (k > 0 && k < 59) REQUIRE(b.Cancel("S1", id).status.ok());
  }
  // Rebuild a's book to hold the same orders as b's.
  const auto open = a.Open("S1");
  for (size_t k = 1; k + 1 < open.size(); ++k) REQUIRE(a.Cancel("S1", open[k].id).status.ok());
  CHECK(a.engine.Save() == b.engine.Save());
  Engine restored;
  REQUIRE(restored.Restore(b.engine.Save()).ok());
  CHECK(restored.Digest() == b.engine.Digest());
}

}  // namespace
}  // namespace corpex::test
