// Affiliated trades: different members of one group trade, the fill is
// flagged affiliated, and it never earns a voucher offset.
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

struct AffiliatedWorld : EngineFixture {
  AffiliatedWorld() {
    AddMember("BA", "GRP-A", kRoleBuyer);
    AddMember("SA", "GRP-A", kRoleSeller);
    AddAttestation("A-SA", "SA");
    AddProgram("SZ-2026", 3000, 200'000'000, 5'000'000'000, 2026);
    DoEnrol("SZ-2026", "BA");
    DoEnrol("SZ-2026", "B1");
  }
};

TEST_CASE("members of one group trade, flagged affiliated, with no voucher offset",
          "[affiliated]") {
  AffiliatedWorld f;
  const ProgramId prog = f.Prog("SZ-2026");
  const OrderId ask = f.RestSell("SA", 10, 1000);
  Events e = f.Buy("BA", 10, 1000, Voucher("SZ-2026"));
  REQUIRE(e.status.ok());
  REQUIRE(e.trades.size() == 1);
  const Trade& t = e.trades[0];
  CheckFill(t, 1, 1000, 10, Side::kBuy, e.order.id, ask);
  CHECK(t.buyer == f.M("BA"));
  CHECK(t.seller == f.M("SA"));
  CHECK(t.affiliated == true);
  CHECK(t.program == kNone);
  CHECK(t.voucher_offset == F(0));
  CHECK(t.net_cost == F(10'000));
  CHECK(e.order.voucher == prog);  // the order named it; the fill is not eligible
  CHECK(f.engine.FindClaim(t.id) == nullptr);
  CHECK(f.engine.Claims(prog).empty());
  const Ledger* l = f.engine.FindLedger(prog, f.M("BA"));
  REQUIRE(l != nullptr);
  CHECK(l->reserved == F(0));
  CHECK(f.engine.programs()[prog].budget_left == F(5'000'000'000));
}

TEST_CASE("affiliated also when the seller is the aggressor", "[affiliated]") {
  AffiliatedWorld f;
  const OrderId bid = f.RestBuy("BA", 20, 1000, Voucher("SZ-2026"));
  Events e = f.Sell("SA", 20, 900);
  REQUIRE(e.trades.size() == 1);
  CheckFill(e.trades[0], 1, 1000, 20, Side::kSell, bid, e.order.id);
  CHECK(e.trades[0].affiliated == true);
  CHECK(e.trades[0].voucher_offset == F(0));
  CHECK(e.trades[0].net_cost == F(20'000));
  CHECK(e.trades[0].program == kNone);
}

TEST_CASE("a non-affiliated fill in the same walk earns the offset, the affiliated one not",
          "[affiliated]") {
  AffiliatedWorld f;
  const ProgramId prog = f.Prog("SZ-2026");
  f.RestSell("SA", 10, 1000);
  f.RestSell("S1", 10, 1000);
  Events e = f.Buy("BA", 20, 1000, Voucher("SZ-2026"));
  REQUIRE(e.trades.size() == 2);
  CHECK(e.trades[0].affiliated == true);
  CHECK(e.trades[0].voucher_offset == F(0));
  CHECK(e.trades[0].program == kNone);
  CHECK(e.trades[1].affiliated == false);
  CHECK(e.trades[1].seller == f.M("S1"));
  CHECK(e.trades[1].program == prog);
  CHECK(e.trades[1].voucher_offset == F(3'000));
  CHECK(e.trades[1].net_cost == F(7'000));
  const Ledger* l = f.engine.FindLedger(prog, f.M("BA"));
  REQUIRE(l != nullptr);
  CHECK(l->reserved == F(3'000));
  auto claims = f.engine.Claims(prog);
  REQUIRE(claims.size() == 1);
  CHECK(claims[0].trade_id == e.trades[1].id);
}

TEST_CASE("different groups are not affiliated", "[affiliated]") {
  AffiliatedWorld f;
  f.RestSell("S1", 10, 1000);
  Events e = f.Buy("B1", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].affiliated == false);
  // a member whose group name equals another member's id is not in its group
  f.AddMember("B9", "S2", kRoleBuyer);
  f.RestSell("S2", 10, 1000);
  e = f.Buy("B9", 10, 1000);
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].affiliated == false);
}

}  // namespace
}  // namespace corpex::test
