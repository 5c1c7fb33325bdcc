// min_qty: no single fill of an order is smaller than its min_qty unless it
// completes the order; a resting order skipped for min_qty keeps its place.
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

TEST_CASE("incoming min_qty skips resting orders too small to meet it", "[min_qty]") {
  EngineFixture f;
  const OrderId small = f.RestSell("S1", 10, 1000);
  const OrderId big = f.RestSell("S2", 30, 1000);
  Events e = f.Buy("B1", 40, 1000, MinQty(20, Tif::kIoc));
  REQUIRE(e.status.ok());
  REQUIRE(e.trades.size() == 1);
  CheckFill(e.trades[0], 1, 1000, 30, Side::kBuy, e.order.id, big);
  CHECK(e.order.min_qty == Q(20));
  CHECK(e.order.filled == Q(30));
  CHECK(e.order.status == OrderStatus::kExpired);
  CHECK(e.order.reason == Reason::kIocRemainder);
  // the skipped order is untouched and still first in line
  const OrderView* v = f.Live(small);
  REQUIRE(v != nullptr);
  CHECK(v->open == Q(10));
  CHECK(v->filled == Q(0));
  e = f.Buy("B2", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == small);
}

TEST_CASE("incoming min_qty: a fill that completes the incoming order is allowed", "[min_qty]") {
  EngineFixture f;
  const OrderId a = f.RestSell("S1", 20, 1000);
  const OrderId b = f.RestSell("S2", 10, 1000);
  Events e = f.Buy("B1", 30, 1000, MinQty(20));
  REQUIRE(e.trades.size() == 2);
  CheckFill(e.trades[0], 1, 1000, 20, Side::kBuy, e.order.id, a);
  // 10 < min_qty 20, but it completes the buy
  CheckFill(e.trades[1], 2, 1000, 10, Side::kBuy, e.order.id, b);
  CHECK(e.order.status == OrderStatus::kFilled);
}

TEST_CASE("incoming min_qty with no fill large enough: nothing trades", "[min_qty]") {
  EngineFixture f;
  f.RestSell("S1", 10, 1000);
  f.RestSell("S2", 10, 1000);
  Events e = f.Buy("B1", 30, 1000, MinQty(30, Tif::kIoc));
  CHECK(e.trades.empty());
  CHECK(e.order.status == OrderStatus::kExpired);
  CHECK(e.order.reason == Reason::kIocRemainder);
  CHECK(e.order.filled == Q(0));
  CHECK(f.engine.AllOrders().size() == 2);
}

TEST_CASE(
    "a resting order whose min_qty the incoming order cannot meet is skipped and keeps "
    "its place",
    "[min_qty]") {
  EngineFixture f;
  const OrderId picky = f.RestSell("S1", 50, 1000, MinQty(30));
  const OrderId plain = f.RestSell("S2", 20, 1000);

  Events e = f.Buy("B1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == plain);
  CHECK(e.trades[0].qty == Q(10));

  // 30 meets the picky order's min_qty, and it is still ahead of `plain`
  e = f.Buy("B2", 30, 1000);
  REQUIRE(e.trades.size() == 1);
  CheckFill(e.trades[0], 2, 1000, 30, Side::kBuy, e.order.id, picky);
  CHECK(e.trades[0].sell_after.status == OrderStatus::kPartiallyFilled);
  CHECK(e.trades[0].sell_after.filled == Q(30));
  CHECK(e.trades[0].sell_after.open == Q(20));
}

TEST_CASE("resting min_qty: a smaller fill that completes the resting order is allowed",
          "[min_qty]") {
  EngineFixture f;
  const OrderId picky = f.RestSell("S1", 40, 1000, MinQty(30));
  Events e = f.Buy("B1", 30, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == picky);
  // 10 open left, min_qty 30: only a completing fill of 10 may trade
  e = f.Buy("B2", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == picky);
  CHECK(e.trades[0].qty == Q(10));
  CHECK(e.trades[0].sell_after.status == OrderStatus::kFilled);
  CHECK_FALSE(f.IsLive(picky));
}

TEST_CASE("resting min_qty: an incoming order larger than the rest fills it completely",
          "[min_qty]") {
  EngineFixture f;
  const OrderId picky = f.RestSell("S1", 40, 1000, MinQty(30));
  Events e = f.Buy("B1", 30, 1000);
  REQUIRE(e.trades.size() == 1);
  // 10 open left; a buy of 50 fills min(50, 10) = 10, which completes it
  e = f.Buy("B2", 50, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == picky);
  CHECK(e.trades[0].qty == Q(10));
  CHECK(e.order.open == Q(40));
  CHECK(e.order.status == OrderStatus::kPartiallyFilled);
}

TEST_CASE("a resting GTC with min_qty skipped by a small incoming order lets it rest",
          "[min_qty]") {
  // The walk skips the resting bid; the incoming sell then rests at the same
  // price (the book may look crossed: the rule keeps the skipped order's place).
  EngineFixture f;
  const OrderId bid = f.RestBuy("B1", 50, 1000, MinQty(30));
  Events e = f.Sell("S1", 10, 1000);
  REQUIRE(e.status.ok());
  CHECK(e.trades.empty());
  CHECK(e.order.status == OrderStatus::kNew);
  BookDepth d = f.Depth();
  REQUIRE(d.bids.size() == 1);
  CheckLevel(d.bids[0], 1000, 50, 1);
  REQUIRE(d.asks.size() == 1);
  CheckLevel(d.asks[0], 1000, 10, 1);
  // a big enough sell trades with the bid
  e = f.Sell("S2", 30, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_order == bid);
  CHECK(e.trades[0].qty == Q(30));
}

TEST_CASE("both min_qty rules apply in the same walk", "[min_qty]") {
  EngineFixture f;
  const OrderId a = f.RestSell("S1", 50, 1000, MinQty(40));  // needs >= 40
  const OrderId b = f.RestSell("S2", 10, 1000);              // too small for incoming
  const OrderId c = f.RestSell("S3", 30, 1000);
  Events e = f.Buy("B1", 30, 1000, MinQty(20, Tif::kIoc));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == c);
  CHECK(e.trades[0].qty == Q(30));
  CHECK(e.order.status == OrderStatus::kFilled);
  CHECK(f.IsLive(a));
  CHECK(f.IsLive(b));
}

TEST_CASE("FOK with min_qty: only fills that meet min_qty count", "[min_qty]") {
  EngineFixture f;
  f.RestSell("S1", 10, 1000);
  f.RestSell("S2", 10, 1000);
  f.RestSell("S3", 10, 1000);
  Events e = f.Buy("B1", 30, 1000, MinQty(20, Tif::kFok));
  CHECK(e.order.status == OrderStatus::kExpired);
  CHECK(e.order.reason == Reason::kFokUnfilled);
  CHECK(e.trades.empty());
  CHECK(f.engine.AllOrders().size() == 3);
}

TEST_CASE("min_qty equal to qty is all-or-none per fill", "[min_qty]") {
  EngineFixture f;
  f.RestSell("S1", 10, 1000);
  const OrderId big = f.RestSell("S2", 40, 1000);
  Events e = f.Buy("B1", 20, 1000, MinQty(20));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == big);
  CHECK(e.trades[0].qty == Q(20));
}

}  // namespace
}  // namespace corpex::test
