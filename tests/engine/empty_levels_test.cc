// Emptied levels inside the book are kept for reuse and compacted away
// between commands; none of that may show: depth, matching and snapshots
// see only levels with orders, and a sweep walks past kept empty levels.
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

TEST_CASE("a sweep walks past emptied levels inside the book", "[book]") {
  EngineFixture f;
  std::vector<OrderId> asks;
  for (int k = 0; k < 100; ++k) asks.push_back(f.RestSell("S1", 10, 10000 + 100 * k));
  // Empty every level but the best and the three worst: kept, then compacted.
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

TEST_CASE("kept empty levels do not change the snapshot or the digest", "[book]") {
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
