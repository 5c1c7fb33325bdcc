// Replace: qty is the new open quantity; lowering it (or keeping it) at the
// same price keeps time priority; raising it or changing the price re-enters
// the order as an aggressor, so a replace can trade.
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

TEST_CASE("lowering qty keeps time priority", "[replace]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 30, 1000);
  const OrderId b = f.RestBuy("B2", 10, 1000);
  Events e = f.Replace("B1", a, 20, 0);
  REQUIRE(e.status.ok());
  REQUIRE(e.has_order);
  CHECK(e.order.id == a);
  CHECK(e.order.open == Q(20));
  CHECK(e.order.filled == Q(0));
  CHECK(e.order.price == P(1000));
  CHECK(e.order.status == OrderStatus::kNew);
  CHECK(e.trades.empty());
  REQUIRE(e.book.size() == 1);
  CHECK(e.book[0].side == Side::kBuy);
  CHECK(e.book[0].price == P(1000));
  CHECK(e.book[0].qty == Q(30));
  CHECK(e.book[0].orders == 2);

  e = f.Sell("S1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_order == a);
  CHECK(e.trades[0].buy_after.open == Q(10));
  CHECK(f.IsLive(b));
}

TEST_CASE("the same qty with the price given unchanged keeps time priority", "[replace]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 30, 1000);
  f.RestBuy("B2", 10, 1000);
  Events e = f.Replace("B1", a, 30, 1000);
  REQUIRE(e.status.ok());
  CHECK(e.order.open == Q(30));
  e = f.Sell("S1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_order == a);
}

TEST_CASE("raising qty loses time priority", "[replace]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 30, 1000);
  const OrderId b = f.RestBuy("B2", 10, 1000);
  Events e = f.Replace("B1", a, 40, 0);
  REQUIRE(e.status.ok());
  CHECK(e.order.id == a);
  CHECK(e.order.open == Q(40));
  BookDepth d = f.Depth();
  REQUIRE(d.bids.size() == 1);
  CheckLevel(d.bids[0], 1000, 50, 2);
  e = f.Sell("S1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_order == b);
  e = f.Sell("S1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_order == a);
}

TEST_CASE("changing the price loses time priority", "[replace]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 10, 1000);
  const OrderId b = f.RestBuy("B2", 10, 1000);
  REQUIRE(f.Replace("B1", a, 0, 900).status.ok());
  Events e = f.Replace("B1", a, 0, 1000);
  REQUIRE(e.status.ok());
  CHECK(e.order.price == P(1000));
  CHECK(e.order.open == Q(10));
  e = f.Sell("S1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_order == b);
  e = f.Sell("S1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_order == a);
}

TEST_CASE("a price change moves the order between levels", "[replace][book]") {
  EngineFixture f;
  const OrderId a = f.RestSell("S1", 10, 1200);
  f.RestSell("S2", 20, 1200);
  Events e = f.Replace("S1", a, 0, 1300);
  REQUIRE(e.status.ok());
  REQUIRE(e.book.size() == 2);
  CheckChange(e.book[0], f.Sym(), Side::kSell, 1200, 20, 1);
  CheckChange(e.book[1], f.Sym(), Side::kSell, 1300, 10, 1);
  BookDepth d = f.Depth();
  REQUIRE(d.asks.size() == 2);
  CheckLevel(d.asks[0], 1200, 20, 1);
  CheckLevel(d.asks[1], 1300, 10, 1);
}

TEST_CASE("qty is the new open quantity of a partly filled order", "[replace]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 30, 1000);
  REQUIRE(f.Sell("S1", 10, 1000).trades.size() == 1);
  Events e = f.Replace("B1", a, 10, 0);
  REQUIRE(e.status.ok());
  CHECK(e.order.filled == Q(10));
  CHECK(e.order.open == Q(10));
  CHECK(e.order.status == OrderStatus::kPartiallyFilled);
  BookDepth d = f.Depth();
  REQUIRE(d.bids.size() == 1);
  CheckLevel(d.bids[0], 1000, 10, 1);
  e = f.Sell("S1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_after.status == OrderStatus::kFilled);
  CHECK(e.trades[0].buy_after.filled == Q(20));
}

TEST_CASE("a replace that crosses trades as an aggressor at the resting price", "[replace]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 20, 900);
  const OrderId s = f.RestSell("S1", 10, 1000);
  Events e = f.Replace("B1", a, 0, 1100);
  REQUIRE(e.status.ok());
  REQUIRE(e.trades.size() == 1);
  CheckFill(e.trades[0], 1, 1000, 10, Side::kBuy, a, s);
  CHECK(e.order.id == a);
  CHECK(e.order.status == OrderStatus::kPartiallyFilled);
  CHECK(e.order.filled == Q(10));
  CHECK(e.order.open == Q(10));
  CHECK(e.order.price == P(1100));
  BookDepth d = f.Depth();
  CHECK(d.asks.empty());
  REQUIRE(d.bids.size() == 1);
  CheckLevel(d.bids[0], 1100, 10, 1);
}

TEST_CASE("a crossing replace follows self-trade prevention", "[replace][stp]") {
  EngineFixture f;
  const OrderId buy = f.RestBuy("X1", 10, 900);
  const OrderId sell = f.RestSell("X1", 10, 1000);
  Events e = f.Replace("X1", buy, 0, 1000);
  REQUIRE(e.status.ok());
  CHECK(e.trades.empty());
  CHECK(e.order.id == buy);
  CHECK(e.order.status == OrderStatus::kCanceled);
  CHECK(e.order.reason == Reason::kSelfTradePrevented);
  CHECK_FALSE(f.IsLive(buy));
  CHECK(f.IsLive(sell));
  CHECK(f.Depth().bids.empty());
}

TEST_CASE("a GTD keeps its expiry through a replace", "[replace][tif]") {
  EngineFixture f;
  const TimeNs exp = kT0 + 10 * kSec;
  const OrderId a = f.RestBuy("B1", 20, 900, Gtd(exp));
  REQUIRE(f.Replace("B1", a, 30, 1000).status.ok());
  Events t = f.TickAt(exp);
  REQUIRE(t.done.size() == 1);
  CHECK(t.done[0].id == a);
  CHECK(t.done[0].reason == Reason::kGtdExpired);
}

TEST_CASE("replace of an unknown, foreign or finished order is UNKNOWN_ORDER", "[replace]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 30, 1000);
  const OrderId gone = f.RestBuy("B1", 10, 800);
  REQUIRE(f.Cancel("B1", gone).status.ok());
  const OrderId filled = f.RestSell("S1", 10, 1100);
  REQUIRE(f.Buy("B2", 10, 1100).trades.size() == 1);

  ReplaceOrder r;
  r.member.assign("B1");
  r.qty = Q(10);
  r.order_id = 999;
  f.ExpectRejected(r, ErrorCode::kUnknownOrder);
  r.order_id = gone;
  f.ExpectRejected(r, ErrorCode::kUnknownOrder);
  r.member.assign("S1");
  r.order_id = filled;
  f.ExpectRejected(r, ErrorCode::kUnknownOrder);
  r.member.assign("B2");  // another member's live order
  r.order_id = a;
  Events foreign = f.ExpectRejected(r, ErrorCode::kUnknownOrder);
  r.member.assign("B1");
  r.order_id = 999;
  Events missing = f.ExpectRejected(r, ErrorCode::kUnknownOrder);
  CHECK(foreign.status.code() == missing.status.code());
  CHECK(f.Live(a)->open == Q(30));
}

TEST_CASE("replace on a halted instrument is INSTRUMENT_HALTED; a foreign one stays unknown",
          "[replace]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 30, 1000);
  REQUIRE(f.Halt(kSym).status.ok());
  ReplaceOrder r;
  r.member.assign("B1");
  r.order_id = a;
  r.qty = Q(10);
  f.ExpectRejected(r, ErrorCode::kInstrumentHalted);
  r.qty = Q(0);
  r.price = P(900);
  f.ExpectRejected(r, ErrorCode::kInstrumentHalted);
  r.member.assign("B2");
  f.ExpectRejected(r, ErrorCode::kUnknownOrder);
  REQUIRE(f.Halt(kSym, false).status.ok());
  CHECK(f.Replace("B1", a, 10, 0).status.ok());
}

TEST_CASE("replace with bad fields changes nothing", "[replace]") {
  EngineFixture f;  // tick 100, lot 10
  const OrderId a = f.RestBuy("B1", 30, 1000);
  f.RestSell("S1", 10, 1100);
  ReplaceOrder r;
  r.member.assign("B1");
  r.order_id = a;
  SECTION("neither qty nor price") { f.ExpectRejected(r, ErrorCode::kBadRequest); }
  SECTION("qty off lot") {
    r.qty = Q(15);
    f.ExpectRejected(r, ErrorCode::kInvalidQty);
  }
  SECTION("negative qty") {
    r.qty = Q(-10);
    f.ExpectRejected(r, ErrorCode::kInvalidQty);
  }
  SECTION("price off tick") {
    r.price = P(1150);
    f.ExpectRejected(r, ErrorCode::kInvalidPrice);
  }
  SECTION("negative price") {
    r.price = P(-100);
    f.ExpectRejected(r, ErrorCode::kInvalidPrice);
  }
}

TEST_CASE("replace of a GTD already due finds it gone", "[replace][tif]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 30, 1000, Gtd(kT0 + 5 * kSec));
  f.now = kT0 + 5 * kSec;
  Events e = f.Replace("B1", a, 10, 0);
  CHECK(e.status.code() == ErrorCode::kUnknownOrder);
  CHECK_FALSE(f.IsLive(a));
  CHECK(f.Depth().bids.empty());
}

}  // namespace
}  // namespace corpex::test
