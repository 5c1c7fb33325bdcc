// Operator ops: halt/resume, kill switch, suspend/resume, and duplicate or
// malformed reference data.
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

TEST_CASE("halt blocks new orders and replaces, not cancels; resume lifts it", "[operator]") {
  EngineFixture f;
  f.AddInstrument("OTHER.SYM");
  const OrderId bid = f.RestBuy("B1", 10, 1000);
  const OrderId ask = f.RestSell("S1", 10, 1100);
  Events h = f.Halt(kSym);
  REQUIRE(h.status.ok());
  CHECK(h.done.empty());  // halting cancels nothing
  CHECK(f.engine.instruments()[f.Sym()].halted);
  CHECK(f.IsLive(bid));
  CHECK(f.IsLive(ask));

  f.ExpectRejected(f.MakeOrder("B2", Side::kBuy, 10, 1100), ErrorCode::kInstrumentHalted);
  f.ExpectRejected(f.MakeOrder("S2", Side::kSell, 10, 1000), ErrorCode::kInstrumentHalted);
  ReplaceOrder r;
  r.member.assign("B1");
  r.order_id = bid;
  r.price = P(1100);
  f.ExpectRejected(r, ErrorCode::kInstrumentHalted);
  // other instruments trade on
  CHECK(f.Buy("B2", 10, 1000, On("OTHER.SYM")).status.ok());
  // cancel is allowed
  Events c = f.Cancel("S1", ask);
  REQUIRE(c.status.ok());
  CHECK(c.order.status == OrderStatus::kCanceled);

  REQUIRE(f.Halt(kSym, false).status.ok());
  CHECK_FALSE(f.engine.instruments()[f.Sym()].halted);
  f.RestSell("S1", 10, 1100);
  Events e = f.Buy("B2", 10, 1100);
  REQUIRE(e.status.ok());
  REQUIRE(e.trades.size() == 1);
}

TEST_CASE("halt of an unknown instrument is UNKNOWN_INSTRUMENT", "[operator]") {
  EngineFixture f;
  InstrumentSetStatus s;
  s.symbol.assign("NO.SUCH");
  f.ExpectRejected(s, ErrorCode::kUnknownInstrument);
}

TEST_CASE("kill cancels every order of one member, in order-id order, by_operator", "[operator]") {
  EngineFixture f;
  f.AddInstrument("OTHER.SYM");
  const OrderId x1 = f.RestBuy("X1", 10, 900);
  const OrderId other = f.RestBuy("B1", 10, 900);
  const OrderId x2 = f.RestSell("X1", 20, 1200, On("OTHER.SYM"));
  const OrderId x3 = f.RestSell("X1", 30, 1100);
  REQUIRE(f.Buy("B2", 10, 1100).trades.size() == 1);  // x3 partly filled
  const OrderId other2 = f.RestSell("S1", 10, 1300);

  Events e = f.Kill("X1");
  REQUIRE(e.status.ok());
  CHECK(e.count == 3);
  REQUIRE(e.done.size() == 3);
  CHECK(e.done[0].id == x1);
  CHECK(e.done[1].id == x2);
  CHECK(e.done[2].id == x3);
  for (const OrderView& v : e.done) {
    CHECK(v.status == OrderStatus::kCanceled);
    CHECK(v.reason == Reason::kByOperator);
    CHECK(v.member == f.M("X1"));
  }
  CHECK(e.done[2].filled == Q(10));
  CHECK(e.done[2].open == Q(20));
  CHECK(e.book.size() == 3);
  CHECK(f.Open("X1").empty());
  CHECK(f.IsLive(other));
  CHECK(f.IsLive(other2));
  BookDepth d = f.Depth();
  REQUIRE(d.bids.size() == 1);
  CheckLevel(d.bids[0], 900, 10, 1);
  REQUIRE(d.asks.size() == 1);
  CheckLevel(d.asks[0], 1300, 10, 1);
  CHECK(f.Depth("OTHER.SYM").asks.empty());

  // the member is not suspended by a kill
  CHECK_FALSE(f.engine.members()[f.M("X1")].suspended);
  CHECK(f.Buy("X1", 10, 800).status.ok());
  // kill with nothing live cancels nothing
  e = f.Kill("S2");
  REQUIRE(e.status.ok());
  CHECK(e.count == 0);
  CHECK(e.done.empty());
}

TEST_CASE("kill of an unknown member is UNKNOWN_MEMBER", "[operator]") {
  EngineFixture f;
  f.RestBuy("B1", 10, 900);
  MemberKill k;
  k.member.assign("NOBODY");
  f.ExpectRejected(k, ErrorCode::kUnknownMember);
}

TEST_CASE("suspend cancels the member's orders and blocks new ones; resume lifts it",
          "[operator]") {
  EngineFixture f;
  const OrderId a = f.RestBuy("X1", 10, 900);
  const OrderId b = f.RestSell("X1", 10, 1100);
  const OrderId keep = f.RestBuy("B1", 10, 800);
  Events e = f.Suspend("X1");
  REQUIRE(e.status.ok());
  REQUIRE(e.done.size() == 2);
  CHECK(e.done[0].id == a);
  CHECK(e.done[1].id == b);
  for (const OrderView& v : e.done) {
    CHECK(v.status == OrderStatus::kCanceled);
    CHECK(v.reason == Reason::kMemberSuspended);
  }
  CHECK(f.engine.members()[f.M("X1")].suspended);
  CHECK(f.IsLive(keep));
  CHECK(f.Open("X1").empty());

  f.ExpectRejected(f.MakeOrder("X1", Side::kBuy, 10, 900), ErrorCode::kMemberSuspended);
  f.ExpectRejected(f.MakeOrder("X1", Side::kSell, 10, 1100), ErrorCode::kMemberSuspended);

  e = f.Suspend("X1", false);
  REQUIRE(e.status.ok());
  CHECK_FALSE(f.engine.members()[f.M("X1")].suspended);
  CHECK(e.done.empty());
  Events n = f.Buy("X1", 10, 900);
  CHECK(n.status.ok());
  CHECK(n.order.status == OrderStatus::kNew);
}

TEST_CASE("a suspended member's resting orders never trade", "[operator]") {
  EngineFixture f;
  f.RestSell("S1", 10, 1000);
  REQUIRE(f.Suspend("S1").status.ok());
  Events e = f.Buy("B1", 10, 1000);
  CHECK(e.trades.empty());
  CHECK(e.order.status == OrderStatus::kNew);
}

TEST_CASE("suspend of an unknown member is UNKNOWN_MEMBER", "[operator]") {
  EngineFixture f;
  MemberSetStatus s;
  s.member.assign("NOBODY");
  f.ExpectRejected(s, ErrorCode::kUnknownMember);
}

TEST_CASE("duplicate reference data is ALREADY_EXISTS and changes nothing", "[operator]") {
  EngineFixture f;
  f.RestBuy("B1", 10, 900);
  f.AddProgram("SZ-2026");
  MemberCreate m;
  m.member.assign("B1");
  m.name.assign("someone else");
  m.group.assign("G-OTHER");
  m.roles = kRoleSeller;
  m.tier = 1;
  f.ExpectRejected(m, ErrorCode::kAlreadyExists);
  CHECK(f.engine.members()[f.M("B1")].group == "GB1");
  f.ExpectRejected(EngineFixture::InstrumentSpec(kSym, "legal", Licence::kCommercial, 1, 1, 1),
                   ErrorCode::kAlreadyExists);
  CHECK(f.engine.instruments()[f.Sym()].tick == P(100));
  f.ExpectRejected(EngineFixture::AttestationSpec("A-S1", "S2", 1, 1, kT0, kT0 + kDay),
                   ErrorCode::kAlreadyExists);
  CHECK(f.engine.attestations()[f.A("A-S1")].member == f.M("S1"));
  f.ExpectRejected(EngineFixture::ProgramSpec("SZ-2026", 1000, 1, 1, 2027),
                   ErrorCode::kAlreadyExists);
}

TEST_CASE("malformed reference data is BAD_REQUEST and changes nothing", "[operator]") {
  EngineFixture f;
  auto member = [](const char* id, uint8_t roles, uint8_t tier) {
    MemberCreate m;
    m.member.assign(id);
    m.name.assign("n");
    m.group.assign("g");
    m.roles = roles;
    m.tier = tier;
    return m;
  };
  f.ExpectRejected(member("M-T0", kRoleBuyer, 0), ErrorCode::kBadRequest);
  f.ExpectRejected(member("M-T5", kRoleBuyer, 5), ErrorCode::kBadRequest);
  f.ExpectRejected(member("M-R0", 0, 2), ErrorCode::kBadRequest);
  f.ExpectRejected(member("", kRoleBuyer, 2), ErrorCode::kBadRequest);
  CHECK(f.M("M-T0") == kNone);

  f.ExpectRejected(
      EngineFixture::InstrumentSpec("I-TICK0", "medical", Licence::kTraining, 2, 0, 10),
      ErrorCode::kBadRequest);
  f.ExpectRejected(
      EngineFixture::InstrumentSpec("I-LOT0", "medical", Licence::kTraining, 2, 100, 0),
      ErrorCode::kBadRequest);
  f.ExpectRejected(
      EngineFixture::InstrumentSpec("I-TICKNEG", "medical", Licence::kTraining, 2, -100, 10),
      ErrorCode::kBadRequest);
  f.ExpectRejected(
      EngineFixture::InstrumentSpec("I-TIER0", "medical", Licence::kTraining, 0, 100, 10),
      ErrorCode::kBadRequest);
  f.ExpectRejected(
      EngineFixture::InstrumentSpec("I-TIER5", "medical", Licence::kTraining, 5, 100, 10),
      ErrorCode::kBadRequest);
  f.ExpectRejected(EngineFixture::InstrumentSpec("", "medical", Licence::kTraining, 2, 100, 10),
                   ErrorCode::kBadRequest);
  CHECK(f.engine.FindInstrument("I-TICK0") == kNone);

  // an attestation that expires before it is issued
  f.ExpectRejected(EngineFixture::AttestationSpec("A-BAD", "S1", 1, 2, kT0, kT0 - 1),
                   ErrorCode::kBadRequest);
  // covering no licence
  f.ExpectRejected(EngineFixture::AttestationSpec("A-NOLIC", "S1", 0, 2, kT0, kT0 + kDay),
                   ErrorCode::kBadRequest);
  CHECK(f.A("A-BAD") == kNone);
}

TEST_CASE("an attestation for an unknown member is refused", "[operator]") {
  EngineFixture f;
  const std::string before = EngineFixture::Fingerprint(f.engine);
  Events e = f.Exec(EngineFixture::AttestationSpec("A-NOBODY", "NOBODY", 1, 2, kT0, kT0 + kDay));
  CHECK(
      (e.status.code() == ErrorCode::kUnknownMember || e.status.code() == ErrorCode::kBadRequest));
  const bool unchanged = EngineFixture::Fingerprint(f.engine) == before;
  CHECK(unchanged);
}

TEST_CASE("reference data is created with the fields given", "[operator]") {
  EngineFixture f;
  const Member& m = f.engine.members()[f.M("X1")];
  CHECK(m.member == "X1");
  CHECK(m.group == "GX1");
  CHECK(m.roles == (kRoleBuyer | kRoleSeller));
  CHECK(m.tier == 4);
  CHECK_FALSE(m.suspended);
  // members of one group share a group id
  f.AddMember("X2", "GX1", kRoleBuyer);
  CHECK(f.engine.members()[f.M("X2")].group_id == m.group_id);
  CHECK(f.engine.members()[f.M("B1")].group_id != m.group_id);

  const Instrument& i = f.engine.instruments()[f.Sym()];
  CHECK(i.symbol == kSym);
  CHECK(i.domain == "medical");
  CHECK(i.licence == Licence::kTraining);
  CHECK(i.tier == 2);
  CHECK(i.tick == P(100));
  CHECK(i.lot == Q(10));
  CHECK_FALSE(i.halted);

  const Attestation& a = f.engine.attestations()[f.A("A-S1")];
  CHECK(a.member == f.M("S1"));
  CHECK(a.dataset == std::string(64, 'a'));
  CHECK(a.expires_at == kT0 + 365 * kDay);
  CHECK_FALSE(a.revoked);
}

}  // namespace
}  // namespace corpex::test
