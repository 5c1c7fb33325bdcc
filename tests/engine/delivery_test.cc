// Sandbox delivery: every trade opens one (pending); the seller or an
// operator grants it, the buyer confirms or disputes, an operator resolves a
// dispute; a delivery-gated program's claim is paid only once it is confirmed.
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

const std::string kDataset(64, 'a');  // what the fixture's attestations cover

struct DeliveryWorld : EngineFixture {
  explicit DeliveryWorld(bool gated = true) {
    ProgramCreate p = ProgramSpec("SZ-2026", 3000, 200'000'000, 5'000'000'000, 2026);
    p.delivery_required = gated;
    REQUIRE(Exec(p).status.ok());
    DoEnrol("SZ-2026", "B1");
  }
  // S1 sells 10 @ 1000, B1 buys it naming the program: one trade.
  TradeId Deal(const std::string& seller = "S1", const std::string& buyer = "B1") {
    RestSell(seller, 10, 1000);
    Events e = Buy(buyer, 10, 1000, Voucher("SZ-2026"));
    REQUIRE(e.trades.size() == 1);
    return e.trades[0].id;
  }
  DeliveryGrant GrantCmd(TradeId t, const std::string& by = "S1") const {
    DeliveryGrant g;
    g.member.assign(by);
    g.trade_id = t;
    g.access_ref.assign("sandbox://gz-sbx-01/grants/7f3a");
    g.dataset.assign(kDataset);
    g.access_from = now;
    g.access_until = now + 30 * kDay;
    return g;
  }
  DeliveryConfirm ConfirmCmd(TradeId t, const std::string& by = "B1") const {
    DeliveryConfirm c;
    c.member.assign(by);
    c.trade_id = t;
    return c;
  }
  DeliveryDispute DisputeCmd(TradeId t, const std::string& by = "B1") const {
    DeliveryDispute d;
    d.member.assign(by);
    d.trade_id = t;
    d.reason.assign("the sandbox holds 9 of the 12 shards");
    return d;
  }
  static DeliveryResolve ResolveCmd(TradeId t, DeliveryState outcome) {
    DeliveryResolve r;
    r.trade_id = t;
    r.outcome = outcome;
    r.note.assign("assessor checked the shards");
    return r;
  }
  DeliveryState State(TradeId t) const {
    DeliveryView d;
    REQUIRE(engine.FindDelivery(t, &d));
    return d.state;
  }
  void Step(const CommandBody& body, DeliveryState to) {
    Events e = Exec(body);
    INFO(e.status.message());
    REQUIRE(e.status.ok());
    REQUIRE(e.has_delivery);
    CHECK(e.delivery.state == to);
  }
};

TEST_CASE("every trade opens a pending delivery between its two members", "[delivery]") {
  DeliveryWorld f;
  const TradeId t = f.Deal();
  DeliveryView d;
  REQUIRE(f.engine.FindDelivery(t, &d));
  CHECK(d.state == DeliveryState::kPending);
  CHECK(d.buyer == f.engine.FindMember("B1"));
  CHECK(d.seller == f.engine.FindMember("S1"));
  CHECK(d.instrument == f.engine.FindInstrument(kSym));
  CHECK_FALSE(f.engine.FindDelivery(t + 1, &d));
  CHECK_FALSE(f.engine.FindDelivery(0, &d));
}

TEST_CASE("grant, then confirm: the happy path, and the events name the trade", "[delivery]") {
  DeliveryWorld f;
  const TradeId t = f.Deal();
  Events g = f.Exec(f.GrantCmd(t));
  REQUIRE(g.status.ok());
  CHECK(g.delivery.trade_id == t);
  CHECK(g.delivery.state == DeliveryState::kGranted);
  CHECK(g.trades.empty());
  f.Step(f.ConfirmCmd(t), DeliveryState::kConfirmed);
  CHECK(f.State(t) == DeliveryState::kConfirmed);
  // Final: nothing moves it again.
  f.ExpectRejected(f.GrantCmd(t), ErrorCode::kBadRequest);
  f.ExpectRejected(f.DisputeCmd(t), ErrorCode::kBadRequest);
  f.ExpectRejected(f.ConfirmCmd(t), ErrorCode::kBadRequest);
  f.ExpectRejected(DeliveryWorld::ResolveCmd(t, DeliveryState::kFailed), ErrorCode::kBadRequest);
}

TEST_CASE("only the trade's seller (or an operator) grants; only its buyer confirms or disputes",
          "[delivery]") {
  DeliveryWorld f;
  const TradeId t = f.Deal();
  // Members not on the trade learn nothing about it.
  f.ExpectRejected(f.GrantCmd(t, "S2"), ErrorCode::kUnknownTrade);
  f.ExpectRejected(f.ConfirmCmd(t, "B2"), ErrorCode::kUnknownTrade);
  f.ExpectRejected(f.DisputeCmd(t, "X1"), ErrorCode::kUnknownTrade);
  f.ExpectRejected(f.GrantCmd(t + 5), ErrorCode::kUnknownTrade);
  // The parties, in the wrong part.
  f.ExpectRejected(f.GrantCmd(t, "B1"), ErrorCode::kForbidden);
  f.Step(f.GrantCmd(t, ""), DeliveryState::kGranted);  // an operator
  f.ExpectRejected(f.ConfirmCmd(t, "S1"), ErrorCode::kForbidden);
  f.ExpectRejected(f.DisputeCmd(t, "S1"), ErrorCode::kForbidden);
  f.ExpectRejected(f.ConfirmCmd(t, ""), ErrorCode::kForbidden);
}

TEST_CASE("a grant must hand over the attested dataset, for a window that is still open",
          "[delivery]") {
  DeliveryWorld f;
  const TradeId t = f.Deal();
  DeliveryGrant other = f.GrantCmd(t);
  other.dataset.assign(std::string(64, 'b'));
  f.ExpectRejected(other, ErrorCode::kAttestationInvalid);
  DeliveryGrant backwards = f.GrantCmd(t);
  backwards.access_until = backwards.access_from;
  f.ExpectRejected(backwards, ErrorCode::kBadRequest);
  DeliveryGrant past = f.GrantCmd(t);
  past.access_from = f.now - 2 * kDay;
  past.access_until = f.now - kDay;
  f.ExpectRejected(past, ErrorCode::kBadRequest);
  DeliveryGrant no_ref = f.GrantCmd(t);
  no_ref.access_ref = Text{};
  f.ExpectRejected(no_ref, ErrorCode::kBadRequest);
  CHECK(f.State(t) == DeliveryState::kPending);
}

TEST_CASE("confirm and dispute need a grant first", "[delivery]") {
  DeliveryWorld f;
  const TradeId t = f.Deal();
  f.ExpectRejected(f.ConfirmCmd(t), ErrorCode::kBadRequest);
  f.ExpectRejected(f.DisputeCmd(t), ErrorCode::kBadRequest);
  DeliveryDispute no_reason = f.DisputeCmd(t);
  no_reason.reason = Text{};
  f.Step(f.GrantCmd(t), DeliveryState::kGranted);
  f.ExpectRejected(no_reason, ErrorCode::kBadRequest);
}

TEST_CASE("a dispute goes back to the seller or to an operator", "[delivery]") {
  DeliveryWorld f;
  const TradeId a = f.Deal();
  const TradeId b = f.Deal();
  const TradeId c = f.Deal();
  for (TradeId t : {a, b, c}) {
    f.Step(f.GrantCmd(t), DeliveryState::kGranted);
    f.Step(f.DisputeCmd(t), DeliveryState::kDisputed);
  }
  // a: the seller grants again, the buyer confirms.
  f.Step(f.GrantCmd(a), DeliveryState::kGranted);
  f.Step(f.ConfirmCmd(a), DeliveryState::kConfirmed);
  // b: an operator finds for the seller; c: for the buyer.
  f.ExpectRejected(DeliveryWorld::ResolveCmd(b, DeliveryState::kGranted), ErrorCode::kBadRequest);
  f.Step(DeliveryWorld::ResolveCmd(b, DeliveryState::kConfirmed), DeliveryState::kConfirmed);
  f.Step(DeliveryWorld::ResolveCmd(c, DeliveryState::kFailed), DeliveryState::kFailed);
  f.ExpectRejected(f.GrantCmd(c), ErrorCode::kBadRequest);
  f.ExpectRejected(f.ConfirmCmd(c), ErrorCode::kBadRequest);
}

TEST_CASE("the buyer may withdraw its dispute by confirming", "[delivery]") {
  DeliveryWorld f;
  const TradeId t = f.Deal();
  f.Step(f.GrantCmd(t), DeliveryState::kGranted);
  f.Step(f.DisputeCmd(t), DeliveryState::kDisputed);
  f.Step(f.ConfirmCmd(t), DeliveryState::kConfirmed);
}

TEST_CASE("an operator may fail a delivery the seller never granted", "[delivery]") {
  DeliveryWorld f;
  const TradeId t = f.Deal();
  f.Step(DeliveryWorld::ResolveCmd(t, DeliveryState::kFailed), DeliveryState::kFailed);
}

TEST_CASE("DELIVERY_PENDING: a gated claim is paid only after a confirmed delivery", "[delivery]") {
  DeliveryWorld f;
  const TradeId t = f.Deal();
  REQUIRE(f.engine.FindClaim(t) != nullptr);
  REQUIRE(f.Settle(t, ClaimStatus::kApproved).status.ok());  // approval needs no delivery
  f.ExpectRejected(ClaimSettle{t, ClaimStatus::kPaid}, ErrorCode::kDeliveryPending);
  f.Step(f.GrantCmd(t), DeliveryState::kGranted);
  f.ExpectRejected(ClaimSettle{t, ClaimStatus::kPaid}, ErrorCode::kDeliveryPending);
  f.Step(f.DisputeCmd(t), DeliveryState::kDisputed);
  f.ExpectRejected(ClaimSettle{t, ClaimStatus::kPaid}, ErrorCode::kDeliveryPending);
  f.Step(DeliveryWorld::ResolveCmd(t, DeliveryState::kConfirmed), DeliveryState::kConfirmed);
  Events paid = f.Settle(t, ClaimStatus::kPaid);
  REQUIRE(paid.status.ok());
  CHECK(f.engine.FindClaim(t)->status == ClaimStatus::kPaid);
}

TEST_CASE("a failed delivery's claim is never paid; it can be rejected", "[delivery]") {
  DeliveryWorld f;
  const TradeId t = f.Deal();
  REQUIRE(f.Settle(t, ClaimStatus::kApproved).status.ok());
  f.Step(DeliveryWorld::ResolveCmd(t, DeliveryState::kFailed), DeliveryState::kFailed);
  Events e = f.ExpectRejected(ClaimSettle{t, ClaimStatus::kPaid}, ErrorCode::kDeliveryPending);
  CHECK(e.status.message().find("failed") != std::string::npos);
  REQUIRE(f.Settle(t, ClaimStatus::kRejected).status.ok());
}

TEST_CASE("a program without delivery_required pays as SPEC says, delivery or not", "[delivery]") {
  DeliveryWorld f(false);
  const TradeId t = f.Deal();
  REQUIRE(f.Settle(t, ClaimStatus::kApproved).status.ok());
  REQUIRE(f.Settle(t, ClaimStatus::kPaid).status.ok());
  CHECK(f.State(t) == DeliveryState::kPending);  // the delivery still runs its course
}

TEST_CASE("deliveries survive Save/Restore and count in the digest", "[delivery]") {
  DeliveryWorld f;
  const TradeId a = f.Deal();
  const TradeId b = f.Deal();
  f.Step(f.GrantCmd(a), DeliveryState::kGranted);
  const std::string granted = f.engine.Digest();
  Engine copy;
  REQUIRE(copy.Restore(f.engine.Save()).ok());
  CHECK(copy.Digest() == granted);
  DeliveryView d;
  REQUIRE(copy.FindDelivery(a, &d));
  CHECK(d.state == DeliveryState::kGranted);
  REQUIRE(copy.FindDelivery(b, &d));
  CHECK(d.state == DeliveryState::kPending);
  CHECK(copy.programs()[copy.FindProgram("SZ-2026")].delivery_required);
  f.Step(f.ConfirmCmd(a), DeliveryState::kConfirmed);
  CHECK(f.engine.Digest() != granted);
}

TEST_CASE("deliveries past the rows' first chunk keep their state, also restored", "[delivery]") {
  // The rows live in chunks of 65,536 (ChunkedVector): trades on both sides
  // of the boundary, moved to different states.
  DeliveryWorld f;
  const TradeId first = f.Deal();
  TradeId last = first;
  for (int k = 0; k < 65'540; ++k) {
    f.RestSell("S1", 10, 1000);
    Events e = f.Buy("B1", 10, 1000);
    REQUIRE(e.trades.size() == 1);
    last = e.trades[0].id;
  }
  REQUIRE(last - first > 65'536);
  f.Step(f.GrantCmd(first), DeliveryState::kGranted);
  f.Step(f.GrantCmd(last), DeliveryState::kGranted);
  f.Step(f.ConfirmCmd(last), DeliveryState::kConfirmed);
  Engine copy;
  REQUIRE(copy.Restore(f.engine.Save()).ok());
  CHECK(copy.Digest() == f.engine.Digest());
  DeliveryView d;
  REQUIRE(copy.FindDelivery(first, &d));
  CHECK(d.state == DeliveryState::kGranted);
  // One chunk after `first`: the same place in the next chunk, another row.
  REQUIRE(copy.FindDelivery(first + 65'536, &d));
  CHECK(d.state == DeliveryState::kPending);
  REQUIRE(copy.FindDelivery(last - 1, &d));
  CHECK(d.state == DeliveryState::kPending);
  REQUIRE(copy.FindDelivery(last, &d));
  CHECK(d.state == DeliveryState::kConfirmed);
  CHECK(d.buyer == copy.FindMember("B1"));
  CHECK_FALSE(copy.FindDelivery(last + 1, &d));
}

}  // namespace
}  // namespace corpex::test
