// Compliance attestations: every ATTESTATION_INVALID cause of a sell order,
// revocation cancelling every resting order citing it at once, and expiry
// cancelling on Tick and lazily in the walk (a trade never rests on an
// expired attestation).
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

constexpr uint8_t kTrainingBit = 1u << static_cast<int>(Licence::kTraining);
constexpr uint8_t kFinetuneBit = 1u << static_cast<int>(Licence::kFinetune);
constexpr uint8_t kEvaluationBit = 1u << static_cast<int>(Licence::kEvaluation);

NewOrder SellCiting(EngineFixture& f, const std::string& member, const std::string& att,
                    int64_t qty = 10, int64_t price = 1000) {
  Opt o;
  o.attestation = att;
  return f.MakeOrder(member, Side::kSell, qty, price, o);
}

TEST_CASE("ATTESTATION_INVALID: every cause, each changes nothing", "[attestation]") {
  EngineFixture f;
  f.RestBuy("B1", 10, 500);  // some state
  SECTION("missing") {
    Opt o;
    o.no_attestation = true;
    f.ExpectRejected(f.MakeOrder("S1", Side::kSell, 10, 1000, o), ErrorCode::kAttestationInvalid);
  }
  SECTION("unknown") {
    f.ExpectRejected(SellCiting(f, "S1", "NO-SUCH-ATT"), ErrorCode::kAttestationInvalid);
  }
  SECTION("revoked") {
    f.AddAttestation("A-S1-R", "S1");
    REQUIRE(f.Revoke("A-S1-R").status.ok());
    f.ExpectRejected(SellCiting(f, "S1", "A-S1-R"), ErrorCode::kAttestationInvalid);
  }
  SECTION("not yet issued") {
    f.AddAttestation("A-S1-F", "S1", kTrainingBit, 2, f.now + kDay, f.now + 2 * kDay);
    f.ExpectRejected(SellCiting(f, "S1", "A-S1-F"), ErrorCode::kAttestationInvalid);
  }
  SECTION("expired") {
    f.AddAttestation("A-S1-X", "S1", kTrainingBit, 2, f.now - 2 * kDay, f.now + kSec);
    f.TickAt(f.now + 2 * kSec);
    f.ExpectRejected(SellCiting(f, "S1", "A-S1-X"), ErrorCode::kAttestationInvalid);
  }
  SECTION("expiring exactly now") {
    f.AddAttestation("A-S1-N", "S1", kTrainingBit, 2, f.now - 2 * kDay, f.now + kSec);
    f.TickAt(f.now + kSec);
    f.ExpectRejected(SellCiting(f, "S1", "A-S1-N"), ErrorCode::kAttestationInvalid);
  }
  SECTION("of another member") {
    f.ExpectRejected(SellCiting(f, "S1", "A-S2"), ErrorCode::kAttestationInvalid);
  }
  SECTION("not covering the instrument's licence") {
    f.AddAttestation("A-S1-EV", "S1", kEvaluationBit | kFinetuneBit, 2);
    f.ExpectRejected(SellCiting(f, "S1", "A-S1-EV"), ErrorCode::kAttestationInvalid);
  }
  SECTION("tier above the instrument's tier") {
    f.AddAttestation("A-S1-T3", "S1", kTrainingBit, 3);
    f.ExpectRejected(SellCiting(f, "S1", "A-S1-T3"), ErrorCode::kAttestationInvalid);
  }
}

TEST_CASE("a valid attestation: covering several licences, tier at or below the instrument's",
          "[attestation]") {
  EngineFixture f;
  f.AddAttestation("A-S1-MULTI", "S1", kTrainingBit | kEvaluationBit, 1);
  Events e = f.Exec(SellCiting(f, "S1", "A-S1-MULTI"));
  REQUIRE(e.status.ok());
  CHECK(e.order.attestation == f.A("A-S1-MULTI"));
  e = f.Buy("B1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].attestation == f.A("A-S1-MULTI"));
}

TEST_CASE("an attestation becomes usable at issued_at", "[attestation]") {
  EngineFixture f;
  const TimeNs issued = kT0 + 5 * kSec;
  f.AddAttestation("A-S1-LATER", "S1", kTrainingBit, 2, issued, issued + kDay);
  f.ExpectRejected(SellCiting(f, "S1", "A-S1-LATER"), ErrorCode::kAttestationInvalid);
  Events e = f.ExecAt(issued, SellCiting(f, "S1", "A-S1-LATER"));
  CHECK(e.status.ok());
}

TEST_CASE("revoking an attestation cancels every resting order citing it, at once",
          "[attestation]") {
  EngineFixture f;
  f.AddInstrument("ZH-MED-2");
  f.AddAttestation("A-S1-B", "S1");
  const OrderId o1 = f.RestSell("S1", 30, 900);
  REQUIRE(f.Buy("B1", 10, 900).trades.size() == 1);  // o1 partly filled
  Opt b;
  b.attestation = "A-S1-B";
  const OrderId o3 = f.RestSell("S1", 10, 1000, b);
  Opt other = On("ZH-MED-2");
  const OrderId o4 = f.RestSell("S1", 10, 1100, other);
  const OrderId o5 = f.RestSell("S1", 10, 1200);
  const OrderId o6 = f.RestSell("S2", 10, 1000);
  const OrderId bid = f.RestBuy("B2", 10, 500);

  Events e = f.Revoke("A-S1", "assessment withdrawn");
  REQUIRE(e.status.ok());
  CHECK(e.count == 3);
  REQUIRE(e.done.size() == 3);
  CHECK(e.done[0].id == o1);
  CHECK(e.done[1].id == o4);
  CHECK(e.done[2].id == o5);
  for (const OrderView& v : e.done) {
    CHECK(v.status == OrderStatus::kCanceled);
    CHECK(v.reason == Reason::kAttestationRevoked);
    CHECK(v.member == f.M("S1"));
    CHECK(v.attestation == f.A("A-S1"));
  }
  CHECK(e.done[0].filled == Q(10));
  CHECK(e.trades.empty());
  // three levels are gone
  REQUIRE(e.book.size() == 3);
  for (const LevelChange& c : e.book) {
    CHECK(c.side == Side::kSell);
    CHECK(c.qty == Q(0));
    CHECK(c.orders == 0);
  }
  CHECK(f.IsLive(o3));
  CHECK(f.IsLive(o6));
  CHECK(f.IsLive(bid));
  CHECK_FALSE(f.IsLive(o1));
  CHECK_FALSE(f.IsLive(o4));
  CHECK_FALSE(f.IsLive(o5));
  const Attestation& a = f.engine.attestations()[f.A("A-S1")];
  CHECK(a.revoked);
  CHECK(a.revoke_reason == "assessment withdrawn");
  BookDepth d = f.Depth();
  REQUIRE(d.asks.size() == 1);
  CheckLevel(d.asks[0], 1000, 20, 2);
  CHECK(f.Depth("ZH-MED-2").asks.empty());

  // a sell citing it now is refused
  f.ExpectRejected(SellCiting(f, "S1", "A-S1"), ErrorCode::kAttestationInvalid);
}

TEST_CASE("revoking an unknown or already revoked attestation is ATTESTATION_INVALID",
          "[attestation]") {
  EngineFixture f;
  f.RestSell("S1", 10, 1000);
  AttestationRevoke r;
  r.attestation.assign("NO-SUCH-ATT");
  r.reason.assign("x");
  f.ExpectRejected(r, ErrorCode::kAttestationInvalid);
  Events e = f.Revoke("A-S1");
  REQUIRE(e.status.ok());
  CHECK(e.count == 1);
  r.attestation.assign("A-S1");
  f.ExpectRejected(r, ErrorCode::kAttestationInvalid);
  // revoking one with no resting orders cancels nothing
  e = f.Revoke("A-S2");
  REQUIRE(e.status.ok());
  CHECK(e.count == 0);
  CHECK(e.done.empty());
}

struct ExpiringWorld : EngineFixture {
  static constexpr TimeNs kExp = kT0 + 10 * kSec;
  OrderId expiring = 0;  // S1 10 @ 1000 citing A-S1-E
  OrderId lasting = 0;   // S2 10 @ 1100 citing A-S2
  ExpiringWorld() {
    AddAttestation("A-S1-E", "S1", kTrainingBit, 2, kT0 - kDay, kExp);
    Opt o;
    o.attestation = "A-S1-E";
    expiring = RestSell("S1", 10, 1000, o);
    lasting = RestSell("S2", 10, 1100);
  }
};

TEST_CASE("attestation expiry cancels its resting orders on the Tick at expires_at",
          "[attestation]") {
  ExpiringWorld f;
  Events t = f.TickAt(ExpiringWorld::kExp - 1);
  CHECK(t.done.empty());
  CHECK(f.IsLive(f.expiring));
  t = f.TickAt(ExpiringWorld::kExp);
  REQUIRE(t.status.ok());
  REQUIRE(t.done.size() == 1);
  CHECK(t.done[0].id == f.expiring);
  CHECK(t.done[0].status == OrderStatus::kCanceled);
  CHECK(t.done[0].reason == Reason::kAttestationExpired);
  REQUIRE(t.book.size() == 1);
  CHECK(t.book[0].side == Side::kSell);
  CHECK(t.book[0].price == P(1000));
  CHECK(t.book[0].qty == Q(0));
  CHECK(f.IsLive(f.lasting));
  // and a new sell citing it is refused
  f.ExpectRejected(SellCiting(f, "S1", "A-S1-E"), ErrorCode::kAttestationInvalid);
}

TEST_CASE("a trade never rests on an expired attestation, even before a Tick", "[attestation]") {
  ExpiringWorld f;
  Events e = f.ExecAt(ExpiringWorld::kExp, f.MakeOrder("B1", Side::kBuy, 20, 1100));
  REQUIRE(e.status.ok());
  REQUIRE(e.done.size() == 1);
  CHECK(e.done[0].id == f.expiring);
  CHECK(e.done[0].status == OrderStatus::kCanceled);
  CHECK(e.done[0].reason == Reason::kAttestationExpired);
  REQUIRE(e.trades.size() == 1);
  CheckFill(e.trades[0], 1, 1100, 10, Side::kBuy, e.order.id, f.lasting);
  CHECK(e.trades[0].attestation == f.A("A-S2"));
  CHECK(e.order.status == OrderStatus::kPartiallyFilled);
  CHECK(e.order.open == Q(10));
  CHECK_FALSE(f.IsLive(f.expiring));
}

TEST_CASE("FOK does not count liquidity resting on an expired attestation", "[attestation]") {
  ExpiringWorld f;
  Events e = f.ExecAt(ExpiringWorld::kExp + kSec, f.MakeOrder("B1", Side::kBuy, 20, 1100, Fok()));
  REQUIRE(e.status.ok());
  CHECK(e.trades.empty());
  CHECK(e.order.status == OrderStatus::kExpired);
  CHECK(e.order.reason == Reason::kFokUnfilled);
  CHECK(f.IsLive(f.lasting));
}

TEST_CASE("cancelling an order whose attestation expired finds it already gone",
          "[attestation][cancel]") {
  ExpiringWorld f;
  f.now = ExpiringWorld::kExp + 1;
  Events e = f.Cancel("S1", f.expiring);
  CHECK(e.status.code() == ErrorCode::kUnknownOrder);
  CHECK_FALSE(f.IsLive(f.expiring));
  CHECK(f.Depth().asks.size() == 1);
}

TEST_CASE("attestation expiry and GTD expiry in one Tick cancel in order-id order",
          "[attestation][tif]") {
  ExpiringWorld f;  // expiring is order 1
  const OrderId gtd = f.RestBuy("B1", 10, 500, Gtd(ExpiringWorld::kExp - kSec));  // order 3
  Events t = f.TickAt(ExpiringWorld::kExp + kSec);
  REQUIRE(t.done.size() == 2);
  CHECK(t.done[0].id == f.expiring);
  CHECK(t.done[0].reason == Reason::kAttestationExpired);
  CHECK(t.done[0].status == OrderStatus::kCanceled);
  CHECK(t.done[1].id == gtd);
  CHECK(t.done[1].reason == Reason::kGtdExpired);
  CHECK(t.done[1].status == OrderStatus::kExpired);
}

TEST_CASE("a GTD sell leaves for whichever comes first: its expire_at or its attestation's",
          "[attestation][tif]") {
  ExpiringWorld f;  // A-S1-E expires at kExp
  Opt early = Gtd(ExpiringWorld::kExp - 5 * kSec);
  early.attestation = "A-S1-E";
  const OrderId gtd_first = f.RestSell("S1", 10, 1200, early);
  Opt late = Gtd(ExpiringWorld::kExp + 5 * kSec);
  late.attestation = "A-S1-E";
  const OrderId att_first = f.RestSell("S1", 10, 1300, late);

  Events t = f.TickAt(ExpiringWorld::kExp - 5 * kSec);
  REQUIRE(t.done.size() == 1);
  CHECK(t.done[0].id == gtd_first);
  CHECK(t.done[0].status == OrderStatus::kExpired);
  CHECK(t.done[0].reason == Reason::kGtdExpired);

  t = f.TickAt(ExpiringWorld::kExp);
  REQUIRE(t.done.size() == 2);
  CHECK(t.done[0].id == f.expiring);
  CHECK(t.done[1].id == att_first);
  CHECK(t.done[1].status == OrderStatus::kCanceled);
  CHECK(t.done[1].reason == Reason::kAttestationExpired);
  CHECK(f.IsLive(f.lasting));
}

TEST_CASE("replacing an order whose attestation expired finds it gone", "[attestation][replace]") {
  ExpiringWorld f;
  f.now = ExpiringWorld::kExp;
  Events e = f.Replace("S1", f.expiring, 0, 900);
  CHECK(e.status.code() == ErrorCode::kUnknownOrder);
  CHECK_FALSE(f.IsLive(f.expiring));
}

}  // namespace
}  // namespace corpex::test
