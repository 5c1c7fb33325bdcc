// Corpus vouchers: offset = min(floor(notional x rate / 10000), cap left,
// budget left) for eligible fills, reserved in the same step as the fill, and
// the claim lifecycle reserved -> approved -> paid | rejected.
#include <numeric>

#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

constexpr TimeNs kCstNewYear2027 = 1'798'732'800 * kSec;  // 2026-12-31T16:00:00Z

struct VoucherWorld : EngineFixture {
  explicit VoucherWorld(int32_t rate = 3000, int64_t cap = 200'000'000,
                        int64_t budget = 5'000'000'000) {
    // tick 1, lot 1: lets notionals be any integer, so flooring shows
    AddInstrument("ZH-LAW", "legal", Licence::kTraining, 2, 1, 1);
    prog = AddProgram("SZ-2026", rate, cap, budget, 2026);
    DoEnrol("SZ-2026", "B1");
    DoEnrol("SZ-2026", "B2");
    DoEnrol("SZ-2026", "B3");
  }
  ProgramId prog = kNone;
  const Program& program() const { return engine.programs()[prog]; }
  Ledger LedgerOf(const std::string& m) const {
    const Ledger* l = engine.FindLedger(prog, engine.FindMember(m));
    REQUIRE(l != nullptr);
    return *l;
  }
  // S1 sells qty @ price on kSym, `buyer` buys it naming the program.
  Trade Deal(const std::string& buyer, int64_t qty = 10, int64_t price = 1000,
             const std::string& seller = "S1") {
    RestSell(seller, qty, price);
    Events e = Buy(buyer, qty, price, Voucher("SZ-2026"));
    REQUIRE(e.status.ok());
    REQUIRE(e.trades.size() == 1);
    return e.trades[0];
  }
};

void CheckLedger(const Ledger& l, int64_t reserved, int64_t approved, int64_t paid,
                 int64_t rejected) {
  CHECK(l.reserved == F(reserved));
  CHECK(l.approved == F(approved));
  CHECK(l.paid == F(paid));
  CHECK(l.rejected == F(rejected));
}

TEST_CASE("offset is rate x notional / 10000, floored; net_cost = notional - offset", "[voucher]") {
  VoucherWorld f;
  CheckLedger(f.LedgerOf("B1"), 0, 0, 0, 0);
  f.RestSell("S1", 7, 13, On("ZH-LAW"));
  Opt o = Voucher("SZ-2026");
  o.instrument = "ZH-LAW";
  Events e = f.Buy("B1", 7, 13, o);
  REQUIRE(e.trades.size() == 1);
  const Trade& t = e.trades[0];
  CHECK(t.notional == F(91));
  CHECK(t.voucher_offset == F(27));  // 27.3 floored
  CHECK(t.net_cost == F(64));
  CHECK(t.program == f.prog);
  CHECK(t.affiliated == false);
  CHECK(e.order.voucher == f.prog);

  const Claim* c = f.engine.FindClaim(t.id);
  REQUIRE(c != nullptr);
  CHECK(c->trade_id == t.id);
  CHECK(c->program == f.prog);
  CHECK(c->member == f.M("B1"));
  CHECK(c->amount == F(27));
  CHECK(c->status == ClaimStatus::kReserved);
  CHECK(c->ts == t.ts);
  CheckLedger(f.LedgerOf("B1"), 27, 0, 0, 0);
  CHECK(f.program().budget_left == F(5'000'000'000 - 27));
  CHECK(f.program().budget == F(5'000'000'000));
}

TEST_CASE("a different rate floors the same way", "[voucher]") {
  VoucherWorld f(3333);
  f.RestSell("S1", 7, 13, On("ZH-LAW"));
  Opt o = Voucher("SZ-2026");
  o.instrument = "ZH-LAW";
  Events e = f.Buy("B1", 7, 13, o);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].voucher_offset == F(30));  // 91 * 3333 / 10000 = 30.33
  CHECK(e.trades[0].net_cost == F(61));
}

TEST_CASE("the offset belongs to the buyer whichever side aggresses", "[voucher]") {
  VoucherWorld f;
  const OrderId bid = f.RestBuy("B1", 20, 1000, Voucher("SZ-2026"));
  Events e = f.Sell("S1", 20, 900);
  REQUIRE(e.trades.size() == 1);
  const Trade& t = e.trades[0];
  CheckFill(t, 1, 1000, 20, Side::kSell, bid, e.order.id);
  CHECK(t.notional == F(20'000));
  CHECK(t.voucher_offset == F(6'000));
  CHECK(t.net_cost == F(14'000));
  CHECK(t.program == f.prog);
  CheckLedger(f.LedgerOf("B1"), 6'000, 0, 0, 0);
  // the seller cannot name a program at all
  Opt o = Voucher("SZ-2026");
  f.ExpectRejected(f.MakeOrder("S1", Side::kSell, 10, 1000, o), ErrorCode::kBadRequest);
}

TEST_CASE("each fill of one order earns its own offset and claim", "[voucher]") {
  VoucherWorld f;
  f.RestSell("S1", 10, 1000);
  f.RestSell("S2", 20, 1100);
  Events e = f.Buy("B1", 30, 1100, Voucher("SZ-2026"));
  REQUIRE(e.trades.size() == 2);
  CHECK(e.trades[0].voucher_offset == F(3'000));
  CHECK(e.trades[0].net_cost == F(7'000));
  CHECK(e.trades[1].voucher_offset == F(6'600));
  CHECK(e.trades[1].net_cost == F(15'400));
  auto claims = f.engine.Claims(f.prog);
  REQUIRE(claims.size() == 2);
  CHECK(claims[0].trade_id == e.trades[0].id);
  CHECK(claims[0].amount == F(3'000));
  CHECK(claims[1].trade_id == e.trades[1].id);
  CHECK(claims[1].amount == F(6'600));
  CheckLedger(f.LedgerOf("B1"), 9'600, 0, 0, 0);
}

TEST_CASE("a buy that names no program earns nothing, even when enrolled", "[voucher]") {
  VoucherWorld f;
  f.RestSell("S1", 10, 1000);
  Events e = f.Buy("B1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].voucher_offset == F(0));
  CHECK(e.trades[0].net_cost == F(10'000));
  CHECK(e.trades[0].program == kNone);
  CHECK(e.order.voucher == kNone);
  CHECK(f.engine.Claims(f.prog).empty());
  CHECK(f.program().budget_left == F(5'000'000'000));
}

TEST_CASE("the member cap limits one buyer's offsets in the program", "[voucher]") {
  VoucherWorld f(3000, 5'000);
  Trade t1 = f.Deal("B1");
  CHECK(t1.voucher_offset == F(3'000));
  Trade t2 = f.Deal("B1");
  CHECK(t2.voucher_offset == F(2'000));  // only 2,000 of the cap left
  CHECK(t2.net_cost == F(8'000));
  Trade t3 = f.Deal("B1");
  CHECK(t3.voucher_offset == F(0));
  CHECK(t3.net_cost == F(10'000));
  CHECK(f.engine.FindClaim(t3.id) == nullptr);
  CHECK(f.engine.Claims(f.prog).size() == 2);
  CheckLedger(f.LedgerOf("B1"), 5'000, 0, 0, 0);
  // another buyer has its own cap
  Trade t4 = f.Deal("B2");
  CHECK(t4.voucher_offset == F(3'000));
  CHECK(f.program().budget_left == F(5'000'000'000 - 8'000));
}

TEST_CASE("the budget is shared: exhaustion across buyers", "[voucher]") {
  VoucherWorld f(3000, 200'000'000, 5'000);
  Trade t1 = f.Deal("B1");
  CHECK(t1.voucher_offset == F(3'000));
  Trade t2 = f.Deal("B2");
  CHECK(t2.voucher_offset == F(2'000));
  Trade t3 = f.Deal("B3");
  CHECK(t3.voucher_offset == F(0));
  CHECK(t3.net_cost == F(10'000));
  CHECK(f.program().budget_left == F(0));
  CheckLedger(f.LedgerOf("B1"), 3'000, 0, 0, 0);
  CheckLedger(f.LedgerOf("B2"), 2'000, 0, 0, 0);
  CheckLedger(f.LedgerOf("B3"), 0, 0, 0, 0);
  CHECK(f.engine.Claims(f.prog).size() == 2);
}

TEST_CASE("an eligible fill whose offset is zero keeps the program but opens no claim",
          "[voucher][readme]") {
  // README: "The trade's voucher_program is the program when eligible, else
  // empty" and SPEC §5 report.trades: "" only when none or not eligible.
  VoucherWorld f;
  f.RestSell("S1", 3, 1, On("ZH-LAW"));
  Opt o = Voucher("SZ-2026");
  o.instrument = "ZH-LAW";
  Events e = f.Buy("B1", 3, 1, o);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].voucher_offset == F(0));  // floor(0.9)
  CHECK(e.trades[0].net_cost == F(3));
  CHECK(e.trades[0].program == f.prog);
  CHECK(f.engine.FindClaim(e.trades[0].id) == nullptr);
  CHECK(f.engine.Claims(f.prog).empty());
}

TEST_CASE("a program limited to domains subsidises only those", "[voucher]") {
  VoucherWorld f;
  const ProgramId legal =
      f.AddProgram("LEGAL-ONLY", 3000, 200'000'000, 5'000'000'000, 2026, {"legal", "finance"});
  f.DoEnrol("LEGAL-ONLY", "B1");
  {
    const Program& p = f.engine.programs()[legal];
    REQUIRE(p.domains.size() == 2);
    CHECK(p.domains[0] == "legal");
    CHECK(p.domains[1] == "finance");
  }
  // medical: not allowed
  f.RestSell("S1", 10, 1000);
  Events e = f.Buy("B1", 10, 1000, Voucher("LEGAL-ONLY"));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].voucher_offset == F(0));
  CHECK(e.trades[0].program == kNone);
  CHECK(e.trades[0].net_cost == F(10'000));
  // legal: allowed
  f.RestSell("S1", 100, 100, On("ZH-LAW"));
  Opt o = Voucher("LEGAL-ONLY");
  o.instrument = "ZH-LAW";
  e = f.Buy("B1", 100, 100, o);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].voucher_offset == F(3'000));
  CHECK(e.trades[0].program == legal);
  const Ledger* l = f.engine.FindLedger(legal, f.M("B1"));
  REQUIRE(l != nullptr);
  CHECK(l->reserved == F(3'000));
  CHECK(f.LedgerOf("B1").reserved == F(0));  // the other program untouched
}

TEST_CASE("the program year is the trade's year in China Standard Time (UTC+8)", "[voucher]") {
  VoucherWorld f;  // SZ-2026, B1 enrolled
  const ProgramId p27 = f.AddProgram("SZ-2027", 3000, 200'000'000, 5'000'000'000, 2027);
  f.DoEnrol("SZ-2027", "B2");
  f.RestSell("S1", 10, 1000);
  f.RestSell("S2", 10, 1000);
  f.RestSell("S3", 10, 1000);
  f.RestSell("X1", 10, 1000);

  // 2026-12-31T15:59:59.999999999Z is 23:59:59.999999999 on 31 Dec 2026 in CST
  Events e =
      f.ExecAt(kCstNewYear2027 - 1, f.MakeOrder("B1", Side::kBuy, 10, 1000, Voucher("SZ-2026")));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].ts == kCstNewYear2027 - 1);
  CHECK(e.trades[0].voucher_offset == F(3'000));
  CHECK(e.trades[0].program == f.prog);
  e = f.Exec(f.MakeOrder("B2", Side::kBuy, 10, 1000, Voucher("SZ-2027")));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].voucher_offset == F(0));
  CHECK(e.trades[0].program == kNone);

  // 2026-12-31T16:00:00Z is already 2027-01-01 in CST
  e = f.ExecAt(kCstNewYear2027, f.MakeOrder("B1", Side::kBuy, 10, 1000, Voucher("SZ-2026")));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].voucher_offset == F(0));
  CHECK(e.trades[0].net_cost == F(10'000));
  CHECK(e.trades[0].program == kNone);
  e = f.Exec(f.MakeOrder("B2", Side::kBuy, 10, 1000, Voucher("SZ-2027")));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].voucher_offset == F(3'000));
  CHECK(e.trades[0].program == p27);
  const Claim* c = f.engine.FindClaim(e.trades[0].id);
  REQUIRE(c != nullptr);
  CHECK(c->ts == kCstNewYear2027);
  CHECK(c->program == p27);
}

TEST_CASE("enrolment: unknown program VOUCHER_INVALID, unknown member, duplicate", "[voucher]") {
  VoucherWorld f;
  Enrol en;
  en.program.assign("NO-SUCH");
  en.member.assign("B1");
  f.ExpectRejected(en, ErrorCode::kVoucherInvalid);
  en.program.assign("SZ-2026");
  en.member.assign("NOBODY");
  f.ExpectRejected(en, ErrorCode::kUnknownMember);
  en.member.assign("B1");
  f.ExpectRejected(en, ErrorCode::kAlreadyExists);
  // not enrolled: no ledger, and naming the program is refused
  CHECK(f.engine.FindLedger(f.prog, f.M("X1")) == nullptr);
  f.ExpectRejected(f.MakeOrder("X1", Side::kBuy, 10, 1000, Voucher("SZ-2026")),
                   ErrorCode::kVoucherInvalid);
  f.DoEnrol("SZ-2026", "X1");
  CHECK(f.engine.FindLedger(f.prog, f.M("X1")) != nullptr);
  CHECK(f.Buy("X1", 10, 1000, Voucher("SZ-2026")).status.ok());
}

TEST_CASE("program creation: duplicates and malformed fields", "[voucher]") {
  VoucherWorld f;
  f.ExpectRejected(EngineFixture::ProgramSpec("SZ-2026", 3000, 1, 1, 2026),
                   ErrorCode::kAlreadyExists);
  f.ExpectRejected(EngineFixture::ProgramSpec("BAD-RATE", 10'001, 1, 1, 2026),
                   ErrorCode::kBadRequest);
  f.ExpectRejected(EngineFixture::ProgramSpec("NEG-RATE", -1, 1, 1, 2026), ErrorCode::kBadRequest);
  f.ExpectRejected(EngineFixture::ProgramSpec("NEG-CAP", 3000, -1, 1, 2026),
                   ErrorCode::kBadRequest);
  f.ExpectRejected(EngineFixture::ProgramSpec("NEG-BUDGET", 3000, 1, -1, 2026),
                   ErrorCode::kBadRequest);
  const ProgramId p = f.AddProgram("FULL", 10'000, 1'000, 1'000, 2026);
  CHECK(f.engine.programs()[p].budget_left == F(1'000));
}

// ---- claims ------------------------------------------------------------------

TEST_CASE("claim lifecycle reserved -> approved -> paid, and the ledger by status",
          "[voucher][claims]") {
  VoucherWorld f;
  Trade t = f.Deal("B1");
  REQUIRE(t.voucher_offset == F(3'000));
  CheckLedger(f.LedgerOf("B1"), 3'000, 0, 0, 0);

  Events e = f.Settle(t.id, ClaimStatus::kApproved);
  REQUIRE(e.status.ok());
  CHECK(f.engine.FindClaim(t.id)->status == ClaimStatus::kApproved);
  CheckLedger(f.LedgerOf("B1"), 3'000, 3'000, 0, 0);
  CHECK(f.program().budget_left == F(5'000'000'000 - 3'000));

  e = f.Settle(t.id, ClaimStatus::kPaid);
  REQUIRE(e.status.ok());
  CHECK(f.engine.FindClaim(t.id)->status == ClaimStatus::kPaid);
  CheckLedger(f.LedgerOf("B1"), 3'000, 0, 3'000, 0);
  CHECK(f.program().budget_left == F(5'000'000'000 - 3'000));
}

TEST_CASE("a rejected claim gives its amount back to the cap and the budget", "[voucher][claims]") {
  VoucherWorld f(3000, 3'000, 1'000'000);
  Trade t1 = f.Deal("B1");
  REQUIRE(t1.voucher_offset == F(3'000));
  Trade t2 = f.Deal("B1");
  REQUIRE(t2.voucher_offset == F(0));  // cap used up

  SECTION("from reserved") { REQUIRE(f.Settle(t1.id, ClaimStatus::kRejected).status.ok()); }
  SECTION("from approved") {
    REQUIRE(f.Settle(t1.id, ClaimStatus::kApproved).status.ok());
    REQUIRE(f.Settle(t1.id, ClaimStatus::kRejected).status.ok());
  }
  CHECK(f.engine.FindClaim(t1.id)->status == ClaimStatus::kRejected);
  CheckLedger(f.LedgerOf("B1"), 0, 0, 0, 3'000);
  CHECK(f.program().budget_left == F(1'000'000));
  Trade t3 = f.Deal("B1");
  CHECK(t3.voucher_offset == F(3'000));
  CheckLedger(f.LedgerOf("B1"), 3'000, 0, 0, 3'000);
  CHECK(f.program().budget_left == F(1'000'000 - 3'000));
}

TEST_CASE("illegal claim moves and unknown claims are BAD_REQUEST and change nothing",
          "[voucher][claims]") {
  VoucherWorld f;
  Trade reserved = f.Deal("B1");
  Trade approved = f.Deal("B1");
  Trade paid = f.Deal("B2");
  Trade rejected = f.Deal("B3");
  REQUIRE(f.Settle(approved.id, ClaimStatus::kApproved).status.ok());
  REQUIRE(f.Settle(paid.id, ClaimStatus::kApproved).status.ok());
  REQUIRE(f.Settle(paid.id, ClaimStatus::kPaid).status.ok());
  REQUIRE(f.Settle(rejected.id, ClaimStatus::kRejected).status.ok());
  // a trade without a claim
  f.RestSell("S1", 10, 1000);
  Events plain = f.Buy("B1", 10, 1000);
  REQUIRE(plain.trades.size() == 1);

  auto settle = [](TradeId id, ClaimStatus s) {
    ClaimSettle c;
    c.trade_id = id;
    c.status = s;
    return c;
  };
  f.ExpectRejected(settle(reserved.id, ClaimStatus::kPaid), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(reserved.id, ClaimStatus::kReserved), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(approved.id, ClaimStatus::kApproved), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(approved.id, ClaimStatus::kReserved), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(paid.id, ClaimStatus::kRejected), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(paid.id, ClaimStatus::kApproved), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(paid.id, ClaimStatus::kPaid), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(rejected.id, ClaimStatus::kApproved), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(rejected.id, ClaimStatus::kRejected), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(rejected.id, ClaimStatus::kPaid), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(plain.trades[0].id, ClaimStatus::kApproved), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(999'999, ClaimStatus::kApproved), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(0, ClaimStatus::kApproved), ErrorCode::kBadRequest);
  f.ExpectRejected(settle(reserved.id, static_cast<ClaimStatus>(7)), ErrorCode::kBadRequest);

  CHECK(f.engine.FindClaim(reserved.id)->status == ClaimStatus::kReserved);
  CHECK(f.engine.FindClaim(approved.id)->status == ClaimStatus::kApproved);
  CHECK(f.engine.FindClaim(paid.id)->status == ClaimStatus::kPaid);
  CHECK(f.engine.FindClaim(rejected.id)->status == ClaimStatus::kRejected);
}

TEST_CASE("ledgers sum the claims by status; budget_left + reserved == budget",
          "[voucher][claims]") {
  VoucherWorld f(3000, 7'000, 1'000'000);
  std::vector<Trade> t;
  for (const char* b : {"B1", "B1", "B2", "B3", "B2", "B1"}) t.push_back(f.Deal(b));
  // B1: 3000, 3000, 1000 (cap 7000); B2: 3000, 3000; B3: 3000
  CHECK(t[0].voucher_offset == F(3'000));
  CHECK(t[1].voucher_offset == F(3'000));
  CHECK(t[5].voucher_offset == F(1'000));
  REQUIRE(f.Settle(t[0].id, ClaimStatus::kApproved).status.ok());
  REQUIRE(f.Settle(t[0].id, ClaimStatus::kPaid).status.ok());
  REQUIRE(f.Settle(t[1].id, ClaimStatus::kApproved).status.ok());
  REQUIRE(f.Settle(t[5].id, ClaimStatus::kRejected).status.ok());
  REQUIRE(f.Settle(t[2].id, ClaimStatus::kRejected).status.ok());
  REQUIRE(f.Settle(t[3].id, ClaimStatus::kApproved).status.ok());

  CheckLedger(f.LedgerOf("B1"), 6'000, 3'000, 3'000, 1'000);
  CheckLedger(f.LedgerOf("B2"), 3'000, 0, 0, 3'000);
  CheckLedger(f.LedgerOf("B3"), 3'000, 3'000, 0, 0);

  int64_t reserved_sum = 0;
  for (const char* b : {"B1", "B2", "B3"}) reserved_sum += f.LedgerOf(b).reserved.v;
  CHECK(f.program().budget_left.v + reserved_sum == 1'000'000);

  // the claims list agrees with the ledgers
  auto claims = f.engine.Claims(f.prog);
  REQUIRE(claims.size() == 6);
  for (size_t i = 1; i < claims.size(); ++i) CHECK(claims[i - 1].trade_id < claims[i].trade_id);
  int64_t not_rejected = 0;
  for (const Claim& c : claims)
    if (c.status != ClaimStatus::kRejected) not_rejected += c.amount.v;
  CHECK(not_rejected == reserved_sum);
}

TEST_CASE("cap and budget bind fill by fill within one walk", "[voucher]") {
  SECTION("member cap") {
    VoucherWorld f(3000, 5'000);
    f.RestSell("S1", 10, 1000);
    f.RestSell("S2", 10, 1000);
    f.RestSell("S3", 10, 1000);
    Events e = f.Buy("B1", 30, 1000, Voucher("SZ-2026"));
    REQUIRE(e.trades.size() == 3);
    CHECK(e.trades[0].voucher_offset == F(3'000));
    CHECK(e.trades[1].voucher_offset == F(2'000));
    CHECK(e.trades[2].voucher_offset == F(0));
    CHECK(e.trades[2].net_cost == F(10'000));
    CheckLedger(f.LedgerOf("B1"), 5'000, 0, 0, 0);
  }
  SECTION("budget") {
    VoucherWorld f(3000, 200'000'000, 4'000);
    f.RestSell("S1", 10, 1000);
    f.RestSell("S2", 10, 1000);
    Events e = f.Buy("B1", 20, 1000, Voucher("SZ-2026"));
    REQUIRE(e.trades.size() == 2);
    CHECK(e.trades[0].voucher_offset == F(3'000));
    CHECK(e.trades[1].voucher_offset == F(1'000));
    CHECK(f.program().budget_left == F(0));
  }
}

TEST_CASE("a rejected claim refills an exhausted budget", "[voucher][claims]") {
  VoucherWorld f(3000, 200'000'000, 3'000);
  Trade t1 = f.Deal("B1");
  REQUIRE(t1.voucher_offset == F(3'000));
  REQUIRE(f.program().budget_left == F(0));
  CHECK(f.Deal("B2").voucher_offset == F(0));
  REQUIRE(f.Settle(t1.id, ClaimStatus::kRejected).status.ok());
  CHECK(f.program().budget_left == F(3'000));
  Trade t3 = f.Deal("B2");
  CHECK(t3.voucher_offset == F(3'000));
  CHECK(f.program().budget_left == F(0));
  CheckLedger(f.LedgerOf("B1"), 0, 0, 0, 3'000);
  CheckLedger(f.LedgerOf("B2"), 3'000, 0, 0, 0);
}

TEST_CASE("a FOK that expires reserves nothing", "[voucher]") {
  VoucherWorld f;
  f.RestSell("S1", 10, 1000);
  Events e = f.Buy("B1", 20, 1000, [] {
    Opt o = Fok();
    o.voucher = "SZ-2026";
    return o;
  }());
  CHECK(e.order.status == OrderStatus::kExpired);
  CheckLedger(f.LedgerOf("B1"), 0, 0, 0, 0);
  CHECK(f.program().budget_left == F(5'000'000'000));
  CHECK(f.engine.Claims(f.prog).empty());
}

}  // namespace
}  // namespace corpex::test
