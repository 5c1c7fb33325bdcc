// Time in force: GTC, GTD (expiry on Tick and lazily in the walk), IOC, FOK,
// and the INVALID_TIF checks.
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

TEST_CASE("GTC rests until filled and survives any clock", "[tif]") {
  EngineFixture f;
  const OrderId id = f.RestBuy("B1", 20, 1000);
  Events t = f.TickAt(kT0 + 300 * kDay);
  REQUIRE(t.status.ok());
  CHECK(t.done.empty());
  CHECK(t.book.empty());
  const OrderView* v = f.Live(id);
  REQUIRE(v != nullptr);
  CHECK(v->tif == Tif::kGtc);
  CHECK(v->status == OrderStatus::kNew);
  CHECK(v->open == Q(20));
  CHECK(v->expire_at == kNever);
  Events e = f.Sell("S1", 20, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].buy_order == id);
  CHECK(e.trades[0].ts == kT0 + 300 * kDay);
}

TEST_CASE("GTD rests, and leaves the book on the Tick at expire_at", "[tif]") {
  EngineFixture f;
  const TimeNs exp = kT0 + 10 * kSec;
  const OrderId id = f.RestBuy("B1", 20, 1000, Gtd(exp));
  const OrderId other = f.RestBuy("B2", 10, 1000);
  {
    const OrderView* v = f.Live(id);
    REQUIRE(v != nullptr);
    CHECK(v->tif == Tif::kGtd);
    CHECK(v->expire_at == exp);
  }

  Events t = f.TickAt(exp - 1);
  REQUIRE(t.status.ok());
  CHECK(t.done.empty());
  CHECK(f.IsLive(id));

  t = f.TickAt(exp);
  REQUIRE(t.status.ok());
  REQUIRE(t.done.size() == 1);
  CHECK(t.done[0].id == id);
  CHECK(t.done[0].status == OrderStatus::kExpired);
  CHECK(t.done[0].reason == Reason::kGtdExpired);
  CHECK(t.done[0].filled == Q(0));
  CHECK(t.done[0].member == f.M("B1"));
  REQUIRE(t.book.size() == 1);
  CHECK(t.book[0].side == Side::kBuy);
  CHECK(t.book[0].price == P(1000));
  CHECK(t.book[0].qty == Q(10));
  CHECK(t.book[0].orders == 1);
  CHECK_FALSE(f.IsLive(id));
  CHECK(f.IsLive(other));
  CHECK(f.Open("B1").empty());
}

TEST_CASE("a Tick after expire_at expires every due GTD in order-id order", "[tif]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 10, 900, Gtd(kT0 + 5 * kSec));
  const OrderId b = f.RestSell("S1", 10, 1100, Gtd(kT0 + 3 * kSec));
  const OrderId c = f.RestBuy("B2", 10, 1000, Gtd(kT0 + 60 * kSec));
  Events t = f.TickAt(kT0 + 7 * kSec);
  REQUIRE(t.done.size() == 2);
  CHECK(t.done[0].id == a);
  CHECK(t.done[1].id == b);
  for (const OrderView& v : t.done) {
    CHECK(v.status == OrderStatus::kExpired);
    CHECK(v.reason == Reason::kGtdExpired);
  }
  CHECK(f.IsLive(c));
  BookDepth d = f.Depth();
  REQUIRE(d.bids.size() == 1);
  CheckLevel(d.bids[0], 1000, 10, 1);
  CHECK(d.asks.empty());
}

TEST_CASE("a GTD never trades at or after expire_at, even before a Tick", "[tif]") {
  EngineFixture f;
  const TimeNs exp = kT0 + 10 * kSec;
  const OrderId gtd = f.RestSell("S1", 10, 1000, Gtd(exp));
  const OrderId next = f.RestSell("S2", 10, 1100);

  SECTION("exactly at expire_at the walk removes it and goes on") {
    Events e = f.ExecAt(exp, f.MakeOrder("B1", Side::kBuy, 10, 1100));
    REQUIRE(e.status.ok());
    REQUIRE(e.done.size() == 1);
    CHECK(e.done[0].id == gtd);
    CHECK(e.done[0].status == OrderStatus::kExpired);
    CHECK(e.done[0].reason == Reason::kGtdExpired);
    REQUIRE(e.trades.size() == 1);
    CHECK(e.trades[0].sell_order == next);
    CHECK(e.trades[0].price == P(1100));
    CHECK_FALSE(f.IsLive(gtd));
  }
  SECTION("after expire_at with nothing else to trade the buy rests") {
    Events e = f.ExecAt(exp + kSec, f.MakeOrder("B1", Side::kBuy, 10, 1000));
    REQUIRE(e.status.ok());
    CHECK(e.trades.empty());
    REQUIRE(e.done.size() == 1);
    CHECK(e.done[0].id == gtd);
    CHECK(e.order.status == OrderStatus::kNew);
    BookDepth d = f.Depth();
    REQUIRE(d.bids.size() == 1);
    CheckLevel(d.bids[0], 1000, 10, 1);
    REQUIRE(d.asks.size() == 1);
    CheckLevel(d.asks[0], 1100, 10, 1);
  }
  SECTION("one nanosecond before expire_at it still trades") {
    Events e = f.ExecAt(exp - 1, f.MakeOrder("B1", Side::kBuy, 10, 1000));
    REQUIRE(e.trades.size() == 1);
    CHECK(e.trades[0].sell_order == gtd);
    CHECK(e.done.empty());
  }
}

TEST_CASE("a partly filled GTD keeps its fills when it expires", "[tif]") {
  EngineFixture f;
  const TimeNs exp = kT0 + 10 * kSec;
  const OrderId id = f.RestBuy("B1", 30, 1000, Gtd(exp));
  Events e = f.Sell("S1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  Events t = f.TickAt(exp + 200 * kMs);
  REQUIRE(t.done.size() == 1);
  CHECK(t.done[0].id == id);
  CHECK(t.done[0].status == OrderStatus::kExpired);
  CHECK(t.done[0].reason == Reason::kGtdExpired);
  CHECK(t.done[0].filled == Q(10));
  CHECK(f.Depth().bids.empty());
}

TEST_CASE("IOC fills what it can and the remainder expires", "[tif]") {
  EngineFixture f;
  const OrderId a = f.RestSell("S1", 10, 1000);
  const OrderId b = f.RestSell("S2", 10, 1100);
  Events e = f.Buy("B1", 50, 1100, Ioc());
  REQUIRE(e.status.ok());
  REQUIRE(e.trades.size() == 2);
  CheckFill(e.trades[0], 1, 1000, 10, Side::kBuy, e.order.id, a);
  CheckFill(e.trades[1], 2, 1100, 10, Side::kBuy, e.order.id, b);
  CHECK(e.order.tif == Tif::kIoc);
  CHECK(e.order.status == OrderStatus::kExpired);
  CHECK(e.order.reason == Reason::kIocRemainder);
  CHECK(e.order.filled == Q(20));
  CHECK(f.engine.AllOrders().empty());
  CHECK(f.Depth().bids.empty());
  // the IOC never shows on the book
  for (const LevelChange& c : e.book) CHECK(c.side == Side::kSell);
}

TEST_CASE("IOC that fills completely is filled, one that cannot trade expires with an id",
          "[tif]") {
  EngineFixture f;
  f.RestSell("S1", 30, 1000);
  Events e = f.Buy("B1", 20, 1000, Ioc());
  CHECK(e.order.status == OrderStatus::kFilled);
  CHECK(e.order.reason == Reason::kNone);
  CHECK(e.order.filled == Q(20));

  const OrderId before = f.engine.counters().next_order_id;
  e = f.Buy("B1", 20, 900, Ioc());
  REQUIRE(e.status.ok());
  CHECK(e.trades.empty());
  CHECK(e.order.id == before);
  CHECK(e.order.status == OrderStatus::kExpired);
  CHECK(e.order.reason == Reason::kIocRemainder);
  CHECK(e.order.filled == Q(0));
  CHECK(e.book.empty());
  CHECK(f.engine.counters().next_order_id == before + 1);
  CHECK(f.Open("B1").empty());
}

TEST_CASE("FOK fills completely across levels or not at all", "[tif]") {
  EngineFixture f;
  const OrderId a = f.RestSell("S1", 10, 1000);
  const OrderId b = f.RestSell("S2", 20, 1100);

  SECTION("not enough within the limit: expires whole, nothing changes") {
    const BookDepth before = f.Depth();
    const auto orders_before = f.engine.AllOrders();
    const OrderId id = f.engine.counters().next_order_id;
    Events e = f.Buy("B1", 40, 1100, Fok());
    REQUIRE(e.status.ok());
    CHECK(e.order.id == id);
    CHECK(e.order.status == OrderStatus::kExpired);
    CHECK(e.order.reason == Reason::kFokUnfilled);
    CHECK(e.order.filled == Q(0));
    CHECK(e.trades.empty());
    CHECK(e.book.empty());
    CHECK(e.done.empty());
    const BookDepth after = f.Depth();
    REQUIRE(after.asks.size() == 2);
    CheckLevel(after.asks[0], 1000, 10, 1);
    CheckLevel(after.asks[1], 1100, 20, 1);
    CHECK(f.engine.AllOrders().size() == orders_before.size());
    CHECK(f.engine.counters().next_trade_id == 1);
  }
  SECTION("the limit excludes a level: 30 available at 1100 but only 10 at 1000") {
    Events e = f.Buy("B1", 20, 1000, Fok());
    CHECK(e.order.status == OrderStatus::kExpired);
    CHECK(e.order.reason == Reason::kFokUnfilled);
    CHECK(e.trades.empty());
  }
  SECTION("exactly enough: fills completely") {
    Events e = f.Buy("B1", 30, 1100, Fok());
    REQUIRE(e.trades.size() == 2);
    CheckFill(e.trades[0], 1, 1000, 10, Side::kBuy, e.order.id, a);
    CheckFill(e.trades[1], 2, 1100, 20, Side::kBuy, e.order.id, b);
    CHECK(e.order.status == OrderStatus::kFilled);
    CHECK(e.order.filled == Q(30));
    CHECK(f.engine.AllOrders().empty());
  }
  SECTION("a sell FOK against bids") {
    f.RestBuy("B1", 10, 900);
    Events e = f.Sell("S3", 20, 900, Fok());
    CHECK(e.order.status == OrderStatus::kExpired);
    CHECK(e.order.reason == Reason::kFokUnfilled);
    e = f.Sell("S3", 10, 900, Fok());
    REQUIRE(e.trades.size() == 1);
    CHECK(e.trades[0].price == P(900));
    CHECK(e.trades[0].aggressor == Side::kSell);
    CHECK(e.order.status == OrderStatus::kFilled);
  }
}

TEST_CASE("FOK does not count expired GTD liquidity", "[tif]") {
  EngineFixture f;
  f.RestSell("S1", 10, 1000, Gtd(kT0 + 5 * kSec));
  const OrderId b = f.RestSell("S2", 10, 1000);
  Events e = f.ExecAt(kT0 + 5 * kSec, f.MakeOrder("B1", Side::kBuy, 20, 1000, Fok()));
  REQUIRE(e.status.ok());
  CHECK(e.order.status == OrderStatus::kExpired);
  CHECK(e.order.reason == Reason::kFokUnfilled);
  CHECK(e.trades.empty());
  // S2's order was never touched
  CHECK(f.IsLive(b));
  e = f.Buy("B1", 10, 1000, Fok());
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == b);
}

TEST_CASE("INVALID_TIF: GTD without a future expire_at, expire_at on another tif", "[tif]") {
  EngineFixture f;
  f.RestSell("S1", 10, 1000);
  f.Advance(kSec);
  SECTION("GTD without expire_at") {
    Opt o;
    o.tif = Tif::kGtd;  // expire_at stays kNever
    f.ExpectRejected(f.MakeOrder("B1", Side::kBuy, 10, 1000, o), ErrorCode::kInvalidTif);
  }
  SECTION("GTD with expire_at now") {
    f.ExpectRejected(f.MakeOrder("B1", Side::kBuy, 10, 1000, Gtd(f.now)), ErrorCode::kInvalidTif);
  }
  SECTION("GTD with expire_at in the past") {
    f.ExpectRejected(f.MakeOrder("B1", Side::kBuy, 10, 1000, Gtd(f.now - kSec)),
                     ErrorCode::kInvalidTif);
  }
  SECTION("GTC with expire_at") {
    Opt o;
    o.expire_at = f.now + kDay;
    f.ExpectRejected(f.MakeOrder("B1", Side::kBuy, 10, 1000, o), ErrorCode::kInvalidTif);
  }
  SECTION("IOC with expire_at") {
    Opt o = Ioc();
    o.expire_at = f.now + kDay;
    f.ExpectRejected(f.MakeOrder("B1", Side::kBuy, 10, 1000, o), ErrorCode::kInvalidTif);
  }
  SECTION("FOK with expire_at") {
    Opt o = Fok();
    o.expire_at = f.now + kDay;
    f.ExpectRejected(f.MakeOrder("S2", Side::kSell, 10, 1000, o), ErrorCode::kInvalidTif);
  }
  SECTION("GTD one nanosecond in the future is fine") {
    Events e = f.Buy("B1", 10, 900, Gtd(f.now + 1));
    CHECK(e.status.ok());
    CHECK(e.order.status == OrderStatus::kNew);
  }
}

TEST_CASE("GTD validity is judged against the engine clock, not the command ts", "[tif]") {
  // The clock is max(previous clock, command ts): a command stamped earlier
  // than the clock cannot enter a GTD that is already due.
  EngineFixture f;
  f.TickAt(kT0 + 100 * kSec);
  f.ExpectRejected(f.MakeOrder("B1", Side::kBuy, 10, 1000, Gtd(kT0 + 50 * kSec)),
                   ErrorCode::kInvalidTif);
  // ExpectRejected ran at f.now == kT0 + 100 s; now stamp it earlier explicitly.
  const std::string before = EngineFixture::Fingerprint(f.engine);
  Events e =
      f.ExecAt(kT0 + 10 * kSec, f.MakeOrder("B1", Side::kBuy, 10, 1000, Gtd(kT0 + 50 * kSec)));
  CHECK(e.status.code() == ErrorCode::kInvalidTif);
  CHECK(f.engine.counters().clock == kT0 + 100 * kSec);
  const bool unchanged = EngineFixture::Fingerprint(f.engine) == before;
  CHECK(unchanged);
}

TEST_CASE("GTD expiry is judged by the engine clock even for a command stamped earlier", "[tif]") {
  EngineFixture f;
  const OrderId gtd = f.RestSell("S1", 10, 1000, Gtd(kT0 + 10 * kSec));
  f.AddInstrument("OTHER.SYM");
  // some command moves the clock past expire_at without touching this book
  REQUIRE(f.ExecAt(kT0 + 20 * kSec, f.MakeOrder("B2", Side::kBuy, 10, 1000, On("OTHER.SYM")))
              .status.ok());
  Events e = f.ExecAt(kT0 + 5 * kSec, f.MakeOrder("B1", Side::kBuy, 10, 1000));
  REQUIRE(e.status.ok());
  CHECK(e.trades.empty());
  REQUIRE(e.done.size() == 1);
  CHECK(e.done[0].id == gtd);
  CHECK(e.done[0].reason == Reason::kGtdExpired);
}

TEST_CASE("FOK simulation applies the resting min_qty skip", "[tif][min_qty]") {
  EngineFixture f;
  const OrderId picky = f.RestSell("S1", 50, 1000, MinQty(30));
  const OrderId plain = f.RestSell("S2", 10, 1000);
  Events e = f.Buy("B1", 20, 1000, Fok());  // picky skipped (20 < 30), plain has only 10
  CHECK(e.order.status == OrderStatus::kExpired);
  CHECK(e.order.reason == Reason::kFokUnfilled);
  CHECK(e.trades.empty());
  e = f.Buy("B1", 10, 1000, Fok());  // picky skipped, plain fills it
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == plain);
  e = f.Buy("B1", 30, 1000, Fok());  // picky fills 30
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == picky);
  CHECK(e.order.status == OrderStatus::kFilled);
}

}  // namespace
}  // namespace corpex::test
