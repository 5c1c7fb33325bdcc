// Cancel: by order id or client_order_id, only the caller's live orders;
// anything else is UNKNOWN_ORDER without revealing whether the order exists.
#include "engine/engine_fixture.h"
#include "engine/order_id_index.h"

namespace corpex::test {
namespace {

TEST_CASE("cancel by order id", "[cancel]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 30, 1000, Coid("mine-1"));
  const OrderId b = f.RestBuy("B2", 10, 1000);
  Events e = f.Cancel("B1", a);
  REQUIRE(e.status.ok());
  REQUIRE(e.has_order);
  CHECK(e.order.id == a);
  CHECK(e.order.member == f.M("B1"));
  CHECK(e.order.status == OrderStatus::kCanceled);
  CHECK(e.order.reason == Reason::kByMember);
  CHECK(e.order.filled == Q(0));
  CHECK(e.order.open == Q(30));  // the canceled quantity
  CHECK(e.order.price == P(1000));
  CHECK(e.order.client_order_id.view() == "mine-1");
  CHECK(e.trades.empty());
  CHECK(e.done.empty());  // the subject order is `order`, not a side effect
  REQUIRE(e.book.size() == 1);
  CHECK(e.book[0].side == Side::kBuy);
  CHECK(e.book[0].price == P(1000));
  CHECK(e.book[0].qty == Q(10));
  CHECK(e.book[0].orders == 1);
  CHECK_FALSE(f.IsLive(a));
  CHECK(f.IsLive(b));
  CHECK(f.Open("B1").empty());
  CHECK(f.engine.counters().resting_orders == 1);
}

TEST_CASE("cancel by client_order_id", "[cancel]") {
  EngineFixture f;
  const OrderId a = f.RestSell("S1", 20, 1000, [] {
    Opt o;
    o.coid = "ask-7";
    return o;
  }());
  Events e = f.CancelCoid("S1", "ask-7");
  REQUIRE(e.status.ok());
  CHECK(e.order.id == a);
  CHECK(e.order.status == OrderStatus::kCanceled);
  CHECK(e.order.reason == Reason::kByMember);
  CHECK(e.order.open == Q(20));
  REQUIRE(e.book.size() == 1);
  CHECK(e.book[0].qty == Q(0));
  CHECK(e.book[0].orders == 0);
  CHECK(f.Depth().asks.empty());
  // gone: a second cancel by the same client_order_id finds nothing
  CancelOrder c;
  c.member.assign("S1");
  c.client_order_id.assign("ask-7");
  f.ExpectRejected(c, ErrorCode::kUnknownOrder);
}

TEST_CASE("cancel of a partly filled order keeps its fills", "[cancel]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 30, 1000);
  REQUIRE(f.Sell("S1", 10, 1000).trades.size() == 1);
  Events e = f.Cancel("B1", a);
  REQUIRE(e.status.ok());
  CHECK(e.order.status == OrderStatus::kCanceled);
  CHECK(e.order.reason == Reason::kByMember);
  CHECK(e.order.filled == Q(10));
  CHECK(e.order.open == Q(20));  // canceled_qty
  REQUIRE(e.book.size() == 1);
  CHECK(e.book[0].qty == Q(0));
}

TEST_CASE("cancel_on_disconnect reason is kept", "[cancel]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 10, 1000);
  CancelOrder c;
  c.member.assign("B1");
  c.order_id = a;
  c.reason = Reason::kCancelOnDisconnect;
  Events e = f.Exec(c);
  REQUIRE(e.status.ok());
  CHECK(e.order.reason == Reason::kCancelOnDisconnect);
  CHECK(e.order.status == OrderStatus::kCanceled);
}

TEST_CASE("another member's order is UNKNOWN_ORDER, indistinguishable from none", "[cancel]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 10, 1000, Coid("shared"));
  CancelOrder c;
  c.member.assign("B2");
  c.order_id = a;
  Events foreign = f.ExpectRejected(c, ErrorCode::kUnknownOrder);
  CHECK(f.IsLive(a));
  // by client_order_id: the id space is per member
  CancelOrder by_coid;
  by_coid.member.assign("B2");
  by_coid.client_order_id.assign("shared");
  Events foreign_coid = f.ExpectRejected(by_coid, ErrorCode::kUnknownOrder);
  CHECK(f.IsLive(a));
  // now the order is gone; the same cancel gets exactly the same answer
  REQUIRE(f.Cancel("B1", a).status.ok());
  Events missing = f.ExpectRejected(c, ErrorCode::kUnknownOrder);
  CHECK(foreign.status.message() == missing.status.message());
  Events missing_coid = f.ExpectRejected(by_coid, ErrorCode::kUnknownOrder);
  CHECK(foreign_coid.status.message() == missing_coid.status.message());
}

TEST_CASE("filled, canceled, expired and never-existing orders are UNKNOWN_ORDER", "[cancel]") {
  EngineFixture f;
  const OrderId filled = f.RestSell("S1", 10, 1000);
  REQUIRE(f.Buy("B1", 10, 1000).trades.size() == 1);
  const OrderId canceled = f.RestBuy("B1", 10, 900);
  REQUIRE(f.Cancel("B1", canceled).status.ok());
  Events ioc = f.Buy("B1", 10, 800, Ioc());
  REQUIRE(ioc.order.status == OrderStatus::kExpired);
  f.RestBuy("B2", 10, 700);  // some live state

  f.ExpectRejected(
      [&] {
        CancelOrder c;
        c.member.assign("S1");
        c.order_id = filled;
        return c;
      }(),
      ErrorCode::kUnknownOrder);
  for (OrderId id : {canceled, ioc.order.id, OrderId{12345}}) {
    CancelOrder c;
    c.member.assign("B1");
    c.order_id = id;
    f.ExpectRejected(c, ErrorCode::kUnknownOrder);
  }
  CancelOrder c;
  c.member.assign("B1");
  c.client_order_id.assign("never-used");
  f.ExpectRejected(c, ErrorCode::kUnknownOrder);
}

TEST_CASE("cancel of a GTD already due finds it gone", "[cancel][tif]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 10, 1000, Gtd(kT0 + kSec));
  f.now = kT0 + kSec;
  Events e = f.Cancel("B1", a);
  CHECK(e.status.code() == ErrorCode::kUnknownOrder);
  CHECK_FALSE(f.IsLive(a));
  CHECK(f.Depth().bids.empty());
}

TEST_CASE("cancel works on a halted instrument", "[cancel][operator]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 10, 1000);
  REQUIRE(f.Halt(kSym).status.ok());
  Events e = f.Cancel("B1", a);
  REQUIRE(e.status.ok());
  CHECK(e.order.status == OrderStatus::kCanceled);
  CHECK(f.Depth().bids.empty());
}

TEST_CASE("cancel by an unknown member changes nothing", "[cancel]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 10, 1000);
  CancelOrder c;
  c.member.assign("NOBODY");
  c.order_id = a;
  Events e = f.Exec(c);
  CHECK_FALSE(e.status.ok());
  CHECK(f.IsLive(a));
}

TEST_CASE("cancel with both ids uses the order id", "[cancel]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("B1", 10, 1000, Coid("first"));
  const OrderId b = f.RestBuy("B1", 10, 900, Coid("second"));
  CancelOrder c;
  c.member.assign("B1");
  c.order_id = a;
  c.client_order_id.assign("second");
  Events e = f.Exec(c);
  REQUIRE(e.status.ok());
  CHECK(e.order.id == a);
  CHECK_FALSE(f.IsLive(a));
  CHECK(f.IsLive(b));
}

TEST_CASE("an order outlives the id window and stays cancelable, also restored", "[cancel]") {
  // The id index keeps the newest ids in a window and older live ones in a
  // hash index; an order placed before more than a window of others must be
  // found all the same, and an id that died meanwhile must not.
  EngineFixture f;
  const OrderId old_live = f.RestBuy("B1", 10, 900, Coid("old"));
  const OrderId old_dead = f.RestBuy("B1", 10, 800);
  REQUIRE(f.Cancel("B1", old_dead).status.ok());
  OrderId last = 0;
  for (uint64_t k = 0; k < OrderIdIndex::kMinWindow + 100; ++k) {
    last = f.RestBuy("B2", 10, 700);
    REQUIRE(f.Cancel("B2", last).status.ok());
  }
  REQUIRE(last > old_live + OrderIdIndex::kMinWindow);
  CHECK(f.Cancel("B1", old_dead).status.code() == ErrorCode::kUnknownOrder);
  CHECK(f.Cancel("B2", last).status.code() == ErrorCode::kUnknownOrder);
  CHECK(f.Cancel("B2", old_live).status.code() == ErrorCode::kUnknownOrder);  // not B2's
  CHECK(f.IsLive(old_live));

  EngineFixture restored(false);
  REQUIRE(restored.engine.Restore(f.engine.Save()).ok());
  for (EngineFixture* x : {&f, &restored}) {
    Events e = x->Cancel("B1", old_live);
    REQUIRE(e.status.ok());
    CHECK(e.order.id == old_live);
    CHECK(e.order.client_order_id.view() == "old");
    CHECK(x->engine.counters().resting_orders == 0);
  }
}

}  // namespace
}  // namespace corpex::test
