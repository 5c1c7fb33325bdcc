// Price-time priority: best level first, FIFO within a level, the resting
// order's price, and an incoming order walking several levels.
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

TEST_CASE("a fill trades at the resting (maker) price, buy aggressor", "[priority]") {
  EngineFixture f;
  const OrderId ask = f.RestSell("S1", 10, 1000);
  CHECK(ask == 1);
  Events e = f.Buy("B1", 10, 1200);
  REQUIRE(e.status.ok());
  REQUIRE(e.has_order);
  CHECK(e.order.id == 2);
  CHECK(e.order.status == OrderStatus::kFilled);
  CHECK(e.order.filled == Q(10));
  CHECK(e.order.open == Q(0));
  CHECK(e.order.price == P(1200));  // the order keeps its own limit
  REQUIRE(e.trades.size() == 1);
  const Trade& t = e.trades[0];
  CheckFill(t, 1, 1000, 10, Side::kBuy, 2, 1);
  CHECK(t.notional == F(10'000));
  CHECK(t.ts == f.now);
  CHECK(t.instrument == f.Sym());
  CHECK(t.buyer == f.M("B1"));
  CHECK(t.seller == f.M("S1"));
  CHECK(t.affiliated == false);
  CHECK(t.attestation == f.A("A-S1"));
  CHECK(t.program == kNone);
  CHECK(t.voucher_offset == F(0));
  CHECK(t.net_cost == F(10'000));
  CHECK(t.buy_after.status == OrderStatus::kFilled);
  CHECK(t.buy_after.filled == Q(10));
  CHECK(t.buy_after.open == Q(0));
  CHECK(t.sell_after.status == OrderStatus::kFilled);
  CHECK(t.sell_after.filled == Q(10));
  CHECK(t.sell_after.open == Q(0));
  CHECK(f.engine.AllOrders().empty());
  CHECK(f.Depth().asks.empty());
  CHECK(f.Depth().bids.empty());
}

TEST_CASE("a fill trades at the resting (maker) price, sell aggressor", "[priority]") {
  EngineFixture f;
  const OrderId bid = f.RestBuy("B1", 20, 1500);
  Events e = f.Sell("S1", 10, 800);
  REQUIRE(e.status.ok());
  REQUIRE(e.trades.size() == 1);
  const Trade& t = e.trades[0];
  CheckFill(t, 1, 1500, 10, Side::kSell, bid, e.order.id);
  CHECK(t.notional == F(15'000));
  CHECK(t.net_cost == F(15'000));
  CHECK(t.buy_after.status == OrderStatus::kPartiallyFilled);
  CHECK(t.buy_after.filled == Q(10));
  CHECK(t.buy_after.open == Q(10));
  CHECK(t.sell_after.status == OrderStatus::kFilled);
  CHECK(e.order.status == OrderStatus::kFilled);
  CHECK(e.order.side == Side::kSell);
  CHECK(e.order.attestation == f.A("A-S1"));
  BookDepth d = f.Depth();
  REQUIRE(d.bids.size() == 1);
  CheckLevel(d.bids[0], 1500, 10, 1);
  CHECK(d.asks.empty());
}

TEST_CASE("FIFO within a price level", "[priority]") {
  EngineFixture f;
  const OrderId b1 = f.RestBuy("B1", 10, 1000);
  const OrderId b2 = f.RestBuy("B2", 10, 1000);
  const OrderId b3 = f.RestBuy("B3", 10, 1000);
  Events e = f.Sell("S1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_order == b1);
  CHECK(e.trades[0].buyer == f.M("B1"));
  e = f.Sell("S2", 20, 1000);
  REQUIRE(e.trades.size() == 2);
  CheckFill(e.trades[0], 2, 1000, 10, Side::kSell, b2, e.order.id);
  CheckFill(e.trades[1], 3, 1000, 10, Side::kSell, b3, e.order.id);
  CHECK(e.trades[0].buy_after.status == OrderStatus::kFilled);
  CHECK(e.trades[0].sell_after.status == OrderStatus::kPartiallyFilled);
  CHECK(e.trades[0].sell_after.filled == Q(10));
  CHECK(e.trades[0].sell_after.open == Q(10));
  CHECK(e.trades[1].sell_after.status == OrderStatus::kFilled);
  CHECK(f.engine.AllOrders().empty());
}

TEST_CASE("a better price entered later trades before an earlier worse price", "[priority]") {
  EngineFixture f;
  const OrderId early = f.RestBuy("B1", 10, 1000);
  const OrderId late = f.RestBuy("B2", 10, 1100);
  Events e = f.Sell("S1", 10, 900);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_order == late);
  CHECK(e.trades[0].price == P(1100));
  CHECK(f.IsLive(early));
  CHECK_FALSE(f.IsLive(late));

  // and on the ask side: the lowest ask first
  const OrderId a_hi = f.RestSell("S1", 10, 1300);
  const OrderId a_lo = f.RestSell("S2", 10, 1200);
  e = f.Buy("B3", 10, 1300);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == a_lo);
  CHECK(e.trades[0].price == P(1200));
  CHECK(f.IsLive(a_hi));
}

TEST_CASE("an incoming order walks several levels best first and rests the rest", "[priority]") {
  EngineFixture f;
  const OrderId a1 = f.RestSell("S1", 10, 1000);
  const OrderId a2 = f.RestSell("S2", 20, 1000);
  const OrderId a3 = f.RestSell("S3", 10, 900);
  const OrderId a4 = f.RestSell("S1", 30, 1100);
  const OrderId a5 = f.RestSell("S2", 10, 1200);  // beyond the limit
  Events e = f.Buy("B1", 60, 1100);
  REQUIRE(e.status.ok());
  const OrderId buy = e.order.id;
  CHECK(buy == 6);
  REQUIRE(e.trades.size() == 4);
  CheckFill(e.trades[0], 1, 900, 10, Side::kBuy, buy, a3);
  CheckFill(e.trades[1], 2, 1000, 10, Side::kBuy, buy, a1);
  CheckFill(e.trades[2], 3, 1000, 20, Side::kBuy, buy, a2);
  CheckFill(e.trades[3], 4, 1100, 20, Side::kBuy, buy, a4);
  CHECK(e.trades[0].buy_after.filled == Q(10));
  CHECK(e.trades[0].buy_after.open == Q(50));
  CHECK(e.trades[0].buy_after.status == OrderStatus::kPartiallyFilled);
  CHECK(e.trades[2].buy_after.filled == Q(40));
  CHECK(e.trades[3].buy_after.status == OrderStatus::kFilled);
  CHECK(e.trades[3].buy_after.open == Q(0));
  CHECK(e.trades[3].sell_after.status == OrderStatus::kPartiallyFilled);
  CHECK(e.trades[3].sell_after.filled == Q(20));
  CHECK(e.trades[3].sell_after.open == Q(10));
  CHECK(e.trades[1].seller == f.M("S1"));
  CHECK(e.trades[2].seller == f.M("S2"));
  CHECK(e.trades[0].seller == f.M("S3"));
  CHECK(e.order.status == OrderStatus::kFilled);
  CHECK(e.order.filled == Q(60));

  BookDepth d = f.Depth();
  CHECK(d.bids.empty());
  REQUIRE(d.asks.size() == 2);
  CheckLevel(d.asks[0], 1100, 10, 1);
  CheckLevel(d.asks[1], 1200, 10, 1);
  CHECK(f.IsLive(a4));
  CHECK(f.IsLive(a5));
  CHECK(f.engine.counters().next_trade_id == 5);
  CHECK(f.engine.counters().next_order_id == 7);
}

TEST_CASE("the walk stops at the limit; the remainder rests at the limit", "[priority]") {
  EngineFixture f;
  const OrderId a1 = f.RestSell("S1", 10, 1000);
  const OrderId a2 = f.RestSell("S2", 10, 1100);
  Events e = f.Buy("B1", 30, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == a1);
  CHECK(e.order.status == OrderStatus::kPartiallyFilled);
  CHECK(e.order.filled == Q(10));
  CHECK(e.order.open == Q(20));
  BookDepth d = f.Depth();
  REQUIRE(d.bids.size() == 1);
  CheckLevel(d.bids[0], 1000, 20, 1);
  REQUIRE(d.asks.size() == 1);
  CheckLevel(d.asks[0], 1100, 10, 1);
  CHECK(f.IsLive(a2));

  // no cross: a bid below the best ask rests without trading
  e = f.Buy("B2", 10, 1000);
  CHECK(e.trades.empty());
  CHECK(e.order.status == OrderStatus::kNew);
  d = f.Depth();
  REQUIRE(d.bids.size() == 1);
  CheckLevel(d.bids[0], 1000, 30, 2);
}

TEST_CASE("the resting remainder keeps its place in later matching", "[priority]") {
  EngineFixture f;
  f.RestSell("S1", 10, 1000);
  Events e = f.Buy("B1", 30, 1000);  // 10 filled, 20 rest
  const OrderId partial = e.order.id;
  const OrderId later = f.RestBuy("B2", 10, 1000);
  e = f.Sell("S2", 20, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_order == partial);
  CHECK(e.trades[0].qty == Q(20));
  CHECK(e.trades[0].buy_after.status == OrderStatus::kFilled);
  CHECK(e.trades[0].buy_after.filled == Q(30));
  CHECK(f.IsLive(later));
}

TEST_CASE("order and trade ids are positive and increase across commands", "[priority]") {
  EngineFixture f;
  OrderId last_order = 0;
  TradeId last_trade = 0;
  for (int i = 0; i < 5; ++i) {
    Events s = f.Sell("S1", 10, 1000);
    REQUIRE(s.status.ok());
    CHECK(s.order.id > last_order);
    last_order = s.order.id;
    f.Advance(kMs);
    Events b = f.Buy("B1", 10, 1000);
    REQUIRE(b.trades.size() == 1);
    CHECK(b.order.id == last_order + 1);
    last_order = b.order.id;
    CHECK(b.trades[0].id == last_trade + 1);
    last_trade = b.trades[0].id;
    CHECK(b.trades[0].ts == f.now);
  }
  CHECK(last_order == 10);
  CHECK(last_trade == 5);
}

TEST_CASE("books are per instrument: crossing prices on two instruments never trade",
          "[priority]") {
  EngineFixture f;
  f.AddInstrument("OTHER.SYM");
  f.RestBuy("B1", 10, 1000, On("OTHER.SYM"));
  Events e = f.Sell("S1", 10, 900);
  CHECK(e.trades.empty());
  CHECK(e.order.status == OrderStatus::kNew);
  REQUIRE(f.Depth("OTHER.SYM").bids.size() == 1);
  REQUIRE(f.Depth().asks.size() == 1);
}

TEST_CASE("a trade is stamped with the engine clock, max(previous clock, command ts)",
          "[priority]") {
  EngineFixture f;
  f.RestSell("S1", 10, 1000);
  REQUIRE(f.TickAt(kT0 + 50 * kSec).status.ok());
  // stamped earlier than the clock: the clock does not go back
  Events e = f.ExecAt(kT0 + 10 * kSec, f.MakeOrder("B1", Side::kBuy, 10, 1000));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].ts == kT0 + 50 * kSec);
  CHECK(f.engine.counters().clock == kT0 + 50 * kSec);
}

}  // namespace
}  // namespace corpex::test
