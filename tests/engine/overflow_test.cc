// Overflow: qty x price must fit in int64 fen (TOO_LARGE otherwise), and the
// voucher offset floor(notional x rate / 10000) uses a 128-bit intermediate.
#include <limits>

#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

constexpr int64_t kMax =
    std::numeric_limits<int64_t>::max();                  // 7^2 * 73 * 127 * 337 * 92737 * 649657
constexpr int64_t kMaxOver7 = 1'317'624'576'693'539'401;  // kMax == 7 * kMaxOver7
static_assert(kMaxOver7 * 7 == kMax);

struct BigWorld : EngineFixture {
  BigWorld() {
    AddInstrument("BIG", "medical", Licence::kTraining, 2, 1, 1);  // tick 1, lot 1
  }
  NewOrder Order(const std::string& m, Side side, int64_t qty, int64_t price, Opt o = {}) {
    o.instrument = "BIG";
    return MakeOrder(m, side, qty, price, o);
  }
};

TEST_CASE("qty x price exactly INT64_MAX is accepted, one more is TOO_LARGE", "[overflow]") {
  BigWorld f;
  Events e = f.Exec(f.Order("S1", Side::kSell, 7, kMaxOver7));
  REQUIRE(e.status.ok());
  CHECK(e.order.status == OrderStatus::kNew);
  f.ExpectRejected(f.Order("B1", Side::kBuy, 8, kMaxOver7), ErrorCode::kTooLarge);
  f.ExpectRejected(f.Order("B1", Side::kBuy, 7, kMaxOver7 + 1), ErrorCode::kTooLarge);
  f.ExpectRejected(f.Order("B1", Side::kBuy, kMax, 2), ErrorCode::kTooLarge);
  f.ExpectRejected(f.Order("B1", Side::kBuy, 2, kMax), ErrorCode::kTooLarge);
  f.ExpectRejected(f.Order("B1", Side::kBuy, kMax, kMax), ErrorCode::kTooLarge);
  // qty x price is checked at the order's limit, even if it would fill cheaper
  f.ExpectRejected(f.Order("B1", Side::kBuy, 7, kMax), ErrorCode::kTooLarge);
  CHECK(f.Exec(f.Order("B1", Side::kBuy, 1, kMax)).status.ok());
}

TEST_CASE("a fill with notional INT64_MAX is exact", "[overflow]") {
  BigWorld f;
  const OrderId ask = f.Rest("S1", Side::kSell, 7, kMaxOver7, On("BIG"));
  Events e = f.Exec(f.Order("B1", Side::kBuy, 7, kMaxOver7));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].sell_order == ask);
  CHECK(e.trades[0].notional == F(kMax));
  CHECK(e.trades[0].net_cost == F(kMax));
  CHECK(e.trades[0].voucher_offset == F(0));
}

TEST_CASE("voucher offset on a notional near INT64_MAX uses a 128-bit intermediate",
          "[overflow][voucher]") {
  BigWorld f;
  const ProgramId p = f.AddProgram("HUGE", 3000, kMax, kMax, 2026);
  f.DoEnrol("HUGE", "B1");
  f.Rest("S1", Side::kSell, 7, kMaxOver7, On("BIG"));
  Opt o = Voucher("HUGE");
  Events e = f.Exec(f.Order("B1", Side::kBuy, 7, kMaxOver7, o));
  REQUIRE(e.status.ok());
  REQUIRE(e.trades.size() == 1);
  const Trade& t = e.trades[0];
  CHECK(t.notional == F(kMax));
  CHECK(t.voucher_offset == F(2'767'011'611'056'432'742));  // floor(kMax * 0.3)
  CHECK(t.net_cost == F(6'456'360'425'798'343'065));
  CHECK(t.program == p);
  const Ledger* l = f.engine.FindLedger(p, f.M("B1"));
  REQUIRE(l != nullptr);
  CHECK(l->reserved == F(2'767'011'611'056'432'742));
  CHECK(f.engine.programs()[p].budget_left == F(kMax - 2'767'011'611'056'432'742));
}

TEST_CASE("voucher offset just past the 64-bit product range", "[overflow][voucher]") {
  // 4,000,000,000,000,001 x 3000 overflows int64; the offset must still be exact.
  BigWorld f;
  f.AddProgram("HUGE", 3000, kMax, kMax, 2026);
  f.DoEnrol("HUGE", "B1");
  f.Rest("S1", Side::kSell, 1, 4'000'000'000'000'001, On("BIG"));
  Opt o = Voucher("HUGE");
  Events e = f.Exec(f.Order("B1", Side::kBuy, 1, 4'000'000'000'000'001, o));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].voucher_offset == F(1'200'000'000'000'000));
  CHECK(e.trades[0].net_cost == F(2'800'000'000'000'001));
}

TEST_CASE("rates of 100% and 99.99% on INT64_MAX", "[overflow][voucher]") {
  BigWorld f;
  f.AddProgram("FULL", 10'000, kMax, kMax, 2026);
  f.AddProgram("ALMOST", 9'999, kMax, kMax, 2026);
  f.DoEnrol("FULL", "B1");
  f.DoEnrol("ALMOST", "B2");
  f.Rest("S1", Side::kSell, 7, kMaxOver7, On("BIG"));
  f.Rest("S2", Side::kSell, 7, kMaxOver7, On("BIG"));
  Events e = f.Exec(f.Order("B1", Side::kBuy, 7, kMaxOver7, Voucher("FULL")));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].voucher_offset == F(kMax));
  CHECK(e.trades[0].net_cost == F(0));
  e = f.Exec(f.Order("B2", Side::kBuy, 7, kMaxOver7, Voucher("ALMOST")));
  REQUIRE(e.trades.size() == 1);
  CHECK(e.trades[0].voucher_offset == F(9'222'449'699'651'090'329));
  CHECK(e.trades[0].net_cost == F(922'337'203'685'478));
}

TEST_CASE("a replace whose qty x price would overflow is TOO_LARGE", "[overflow][replace]") {
  BigWorld f;
  const OrderId a = f.Rest("B1", Side::kBuy, 7, kMaxOver7 - 1, On("BIG"));
  ReplaceOrder r;
  r.member.assign("B1");
  r.order_id = a;
  r.qty = Q(8);
  f.ExpectRejected(r, ErrorCode::kTooLarge);
  r.qty = Q(0);
  r.price = P(kMaxOver7 + 1);
  f.ExpectRejected(r, ErrorCode::kTooLarge);
  r.qty = Q(7);
  r.price = P(kMaxOver7);
  CHECK(f.Exec(r).status.ok());
  const OrderView* v = f.Live(a);
  REQUIRE(v != nullptr);
  CHECK(v->price == P(kMaxOver7));
  CHECK(v->open == Q(7));
}

}  // namespace
}  // namespace corpex::test
