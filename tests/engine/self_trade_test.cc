// Self-trade prevention: an order never fills against its own member; the
// incoming remainder is canceled (self_trade_prevented), earlier fills stand,
// FOK counts only liquidity ahead of its first own order, min_qty skips come
// before the self-trade check.
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

TEST_CASE("an incoming order meeting its own member's order is canceled, the resting one stays",
          "[stp]") {
  EngineFixture f;
  const OrderId own = f.RestSell("X1", 10, 1000);
  Events e = f.Buy("X1", 10, 1000);
  REQUIRE(e.status.ok());
  CHECK(e.trades.empty());
  CHECK(e.order.status == OrderStatus::kCanceled);
  CHECK(e.order.reason == Reason::kSelfTradePrevented);
  CHECK(e.order.filled == Q(0));
  CHECK(e.book.empty());  // the buy never rests, the sell is untouched
  const OrderView* v = f.Live(own);
  REQUIRE(v != nullptr);
  CHECK(v->open == Q(10));
  BookDepth d = f.Depth();
  CHECK(d.bids.empty());
  REQUIRE(d.asks.size() == 1);
  CheckLevel(d.asks[0], 1000, 10, 1);
}

TEST_CASE("fills made before reaching the own order stand; the rest is canceled", "[stp]") {
  EngineFixture f;
  const OrderId other = f.RestSell("S1", 10, 900);
  const OrderId own = f.RestSell("X1", 10, 1000);
  const OrderId behind = f.RestSell("S2", 10, 1000);
  Events e = f.Buy("X1", 30, 1000);
  REQUIRE(e.status.ok());
  REQUIRE(e.trades.size() == 1);
  CheckFill(e.trades[0], 1, 900, 10, Side::kBuy, e.order.id, other);
  CHECK(e.trades[0].buyer == f.M("X1"));
  CHECK(e.order.status == OrderStatus::kCanceled);
  CHECK(e.order.reason == Reason::kSelfTradePrevented);
  CHECK(e.order.filled == Q(10));
  CHECK(f.IsLive(own));
  CHECK(f.IsLive(behind));  // behind the own order: never reached
  CHECK(f.Depth().bids.empty());
  CHECK(f.Open("X1").size() == 1);
}

TEST_CASE("self-trade prevention on the sell side and for IOC", "[stp]") {
  EngineFixture f;
  const OrderId own = f.RestBuy("X1", 10, 1000);
  Events e = f.Sell("X1", 20, 900, Ioc());
  CHECK(e.trades.empty());
  CHECK(e.order.status == OrderStatus::kCanceled);
  CHECK(e.order.reason == Reason::kSelfTradePrevented);  // not ioc_remainder
  CHECK(f.IsLive(own));
}

TEST_CASE("a GTC that hits its own order does not rest", "[stp]") {
  EngineFixture f;
  f.RestSell("X1", 10, 1000);
  Events e = f.Buy("X1", 10, 1100);
  CHECK(e.order.status == OrderStatus::kCanceled);
  CHECK(f.Depth().bids.empty());
  // an own order on the other side that does not cross is no obstacle
  e = f.Buy("X1", 10, 900);
  CHECK(e.order.status == OrderStatus::kNew);
  CHECK(f.Open("X1").size() == 2);
}

TEST_CASE("FOK counts only the liquidity ahead of its first own order", "[stp]") {
  EngineFixture f;
  const OrderId ahead = f.RestSell("S1", 10, 900);
  f.RestSell("X1", 10, 1000);
  f.RestSell("S2", 20, 1000);  // behind the own order: does not count

  Events e = f.Buy("X1", 20, 1000, Fok());
  REQUIRE(e.status.ok());
  CHECK(e.trades.empty());
  CHECK(e.order.status == OrderStatus::kExpired);
  CHECK(e.order.reason == Reason::kFokUnfilled);
  CHECK(e.order.filled == Q(0));
  CHECK(e.book.empty());
  CHECK(f.engine.AllOrders().size() == 3);

  // 10 is ahead of the own order: a FOK for 10 fills
  e = f.Buy("X1", 10, 1000, Fok());
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == ahead);
  CHECK(e.order.status == OrderStatus::kFilled);
}

TEST_CASE("FOK that reaches its own order only after filling completely fills", "[stp]") {
  EngineFixture f;
  f.RestSell("S1", 20, 1000);
  const OrderId own = f.RestSell("X1", 10, 1000);
  Events e = f.Buy("X1", 20, 1000, Fok());
  REQUIRE(e.trades.size() == 1);
  CHECK(e.order.status == OrderStatus::kFilled);
  CHECK(f.IsLive(own));
}

TEST_CASE("a resting own order skipped for its min_qty is not a self-trade", "[stp][min_qty]") {
  EngineFixture f;
  const OrderId own = f.RestSell("X1", 50, 1000, MinQty(50));
  const OrderId other = f.RestSell("S1", 20, 1000);
  Events e = f.Buy("X1", 20, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == other);
  CHECK(e.order.status == OrderStatus::kFilled);
  CHECK(e.order.reason == Reason::kNone);
  CHECK(f.IsLive(own));
}

TEST_CASE("an own order skipped for the incoming min_qty is not a self-trade", "[stp][min_qty]") {
  EngineFixture f;
  f.RestSell("X1", 10, 1000);
  const OrderId other = f.RestSell("S1", 30, 1000);
  Events e = f.Buy("X1", 30, 1000, MinQty(20, Tif::kIoc));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == other);
  CHECK(e.trades[0].qty == Q(30));
  CHECK(e.order.status == OrderStatus::kFilled);
}

TEST_CASE("self-trade prevention is per member, not per group", "[stp]") {
  EngineFixture f;
  f.AddMember("X2", "GX1", kRoleBuyer | kRoleSeller);  // same group as X1
  const OrderId ask = f.RestSell("X1", 10, 1000);
  Events e = f.Buy("X2", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == ask);
  CHECK(e.trades[0].affiliated == true);
  CHECK(e.order.status == OrderStatus::kFilled);
}

}  // namespace
}  // namespace corpex::test
