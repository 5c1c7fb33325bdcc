// Validation of order.new: every error code in README's order, first failure
// wins, and a rejected order changes nothing (same state and Digest, no id
// consumed).
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

struct ValidationWorld : EngineFixture {
  ValidationWorld() {
    AddMember("B-T1", "GBT1", kRoleBuyer, 1);   // tier 1 buyer, instrument is tier 2
    AddMember("B-T2", "GBT2", kRoleBuyer, 2);   // exactly the instrument tier
    AddMember("S-T1", "GST1", kRoleSeller, 1);  // seller tiers do not matter
    AddAttestation("A-S-T1", "S-T1");
    AddMember("SUSP", "GSUSP", kRoleBuyer | kRoleSeller);
    AddAttestation("A-SUSP", "SUSP");
    REQUIRE(Suspend("SUSP").status.ok());
    AddInstrument("HALTED.SYM", "medical", Licence::kTraining, 2, 100, 10);
    REQUIRE(Halt("HALTED.SYM").status.ok());
    AddProgram("SZ-2026");
    DoEnrol("SZ-2026", "B1");
    // some state, so "changes nothing" is not trivially true
    RestSell("S1", 10, 2000);
    RestBuy("B2", 10, 500, Coid("b2-live"));
    RestBuy("B1", 10, 400, Coid("b1-live"));
  }
  NewOrder BuyCmd(const std::string& m, int64_t q, int64_t p, const Opt& o = {}) {
    return MakeOrder(m, Side::kBuy, q, p, o);
  }
  NewOrder SellCmd(const std::string& m, int64_t q, int64_t p, const Opt& o = {}) {
    return MakeOrder(m, Side::kSell, q, p, o);
  }
  // After a rejection the next accepted order gets the next id.
  void CheckNextIdUnconsumed() {
    const OrderId expect = engine.counters().next_order_id;
    Events e = Buy("B3", 10, 100);
    REQUIRE(e.status.ok());
    CHECK(e.order.id == expect);
  }
};

TEST_CASE("UNKNOWN_MEMBER", "[validation]") {
  ValidationWorld f;
  f.ExpectRejected(f.BuyCmd("NOBODY", 10, 1000), ErrorCode::kUnknownMember);
  f.ExpectRejected(f.SellCmd("NOBODY", 10, 1000), ErrorCode::kUnknownMember);
  NewOrder n = f.BuyCmd("B1", 10, 1000);
  n.member.assign("");
  f.ExpectRejected(n, ErrorCode::kUnknownMember);
  f.CheckNextIdUnconsumed();
}

TEST_CASE("MEMBER_SUSPENDED", "[validation]") {
  ValidationWorld f;
  f.ExpectRejected(f.BuyCmd("SUSP", 10, 1000), ErrorCode::kMemberSuspended);
  f.ExpectRejected(f.SellCmd("SUSP", 10, 1000), ErrorCode::kMemberSuspended);
  f.CheckNextIdUnconsumed();
}

TEST_CASE("UNKNOWN_INSTRUMENT", "[validation]") {
  ValidationWorld f;
  f.ExpectRejected(f.BuyCmd("B1", 10, 1000, On("NO.SUCH.SYM")), ErrorCode::kUnknownInstrument);
  f.ExpectRejected(f.SellCmd("S1", 10, 1000, On("zh-med-dialog.train.12m")),
                   ErrorCode::kUnknownInstrument);  // symbols are case-sensitive
  f.CheckNextIdUnconsumed();
}

TEST_CASE("FORBIDDEN: buy without the buyer role, sell without the seller role", "[validation]") {
  ValidationWorld f;
  f.ExpectRejected(f.BuyCmd("S1", 10, 1000), ErrorCode::kForbidden);
  Opt o;
  o.attestation = "A-S1";  // even with a valid attestation of someone else
  f.ExpectRejected(f.SellCmd("B1", 10, 1000, o), ErrorCode::kForbidden);
  f.ExpectRejected(f.SellCmd("B1", 10, 1000), ErrorCode::kForbidden);
  // a member with both roles may do both
  CHECK(f.Buy("X1", 10, 100).status.ok());
  CHECK(f.Sell("X1", 10, 5000).status.ok());
}

TEST_CASE("INVALID_TIF", "[validation]") {
  ValidationWorld f;
  Opt gtd_no_exp;
  gtd_no_exp.tif = Tif::kGtd;
  f.ExpectRejected(f.BuyCmd("B1", 10, 1000, gtd_no_exp), ErrorCode::kInvalidTif);
  f.ExpectRejected(f.BuyCmd("B1", 10, 1000, Gtd(f.now)), ErrorCode::kInvalidTif);
  Opt gtc_exp;
  gtc_exp.expire_at = f.now + kDay;
  f.ExpectRejected(f.SellCmd("S1", 10, 1000, gtc_exp), ErrorCode::kInvalidTif);
  f.CheckNextIdUnconsumed();
}

// command.h: "The engine trusts nothing else in a command: every field is
// validated again before it can touch the book."
TEST_CASE("a tif outside the enum is rejected and changes nothing", "[validation]") {
  ValidationWorld f;
  NewOrder bad_enum = f.BuyCmd("B1", 10, 1000);
  bad_enum.tif = static_cast<Tif>(9);
  const std::string before = EngineFixture::Fingerprint(f.engine);
  Events e = f.Exec(bad_enum);
  CHECK((e.status.code() == ErrorCode::kInvalidTif || e.status.code() == ErrorCode::kBadRequest));
  const bool unchanged = EngineFixture::Fingerprint(f.engine) == before;
  CHECK(unchanged);
}

TEST_CASE("a side outside the enum is rejected and changes nothing", "[validation]") {
  ValidationWorld f;
  NewOrder n = f.SellCmd("X1", 10, 5000);  // valid as a sell: X1 has both roles
  n.side = static_cast<Side>(5);
  const std::string before = EngineFixture::Fingerprint(f.engine);
  Events e = f.Exec(n);
  CHECK_FALSE(e.status.ok());
  const bool unchanged = EngineFixture::Fingerprint(f.engine) == before;
  CHECK(unchanged);
}

TEST_CASE("INVALID_QTY: zero, negative, off-lot, bad min_qty", "[validation]") {
  ValidationWorld f;  // lot 10
  f.ExpectRejected(f.BuyCmd("B1", 0, 1000), ErrorCode::kInvalidQty);
  f.ExpectRejected(f.BuyCmd("B1", -10, 1000), ErrorCode::kInvalidQty);
  f.ExpectRejected(f.BuyCmd("B1", 15, 1000), ErrorCode::kInvalidQty);
  f.ExpectRejected(f.SellCmd("S1", 5, 1000), ErrorCode::kInvalidQty);
  f.ExpectRejected(f.BuyCmd("B1", 20, 1000, MinQty(-10)), ErrorCode::kInvalidQty);
  f.ExpectRejected(f.BuyCmd("B1", 20, 1000, MinQty(30)), ErrorCode::kInvalidQty);
  f.ExpectRejected(f.BuyCmd("B1", 20, 1000, MinQty(15)), ErrorCode::kInvalidQty);
  f.CheckNextIdUnconsumed();
  // the boundaries are fine
  CHECK(f.Buy("B1", 20, 100, MinQty(20)).status.ok());
  CHECK(f.Buy("B1", 10, 100, MinQty(0)).status.ok());
}

TEST_CASE("INVALID_PRICE: zero, negative, off-tick", "[validation]") {
  ValidationWorld f;  // tick 100
  f.ExpectRejected(f.BuyCmd("B1", 10, 0), ErrorCode::kInvalidPrice);
  f.ExpectRejected(f.BuyCmd("B1", 10, -100), ErrorCode::kInvalidPrice);
  f.ExpectRejected(f.BuyCmd("B1", 10, 150), ErrorCode::kInvalidPrice);
  f.ExpectRejected(f.SellCmd("S1", 10, 1), ErrorCode::kInvalidPrice);
  f.CheckNextIdUnconsumed();
}

TEST_CASE("TOO_LARGE: qty x price over int64", "[validation]") {
  ValidationWorld f;
  // 10,000,000 x 1,000,000,000,000 = 1e19 > 9.22e18
  f.ExpectRejected(f.BuyCmd("B1", 10'000'000, 1'000'000'000'000), ErrorCode::kTooLarge);
  f.ExpectRejected(f.SellCmd("S1", 10'000'000, 1'000'000'000'000), ErrorCode::kTooLarge);
  f.ExpectRejected(f.BuyCmd("B1", 9'223'372'036'854'775'800, 100), ErrorCode::kTooLarge);
  f.CheckNextIdUnconsumed();
  // 9,000,000 x 1e12 = 9e18 fits (it rests: nobody bids that high)
  Events e = f.Sell("S2", 9'000'000, 1'000'000'000'000);
  CHECK(e.status.ok());
  CHECK(e.order.status == OrderStatus::kNew);
}

TEST_CASE("BAD_REQUEST: empty client_order_id, attestation on a buy, voucher on a sell",
          "[validation]") {
  ValidationWorld f;
  NewOrder n = f.BuyCmd("B1", 10, 1000);
  n.client_order_id.assign("");
  f.ExpectRejected(n, ErrorCode::kBadRequest);
  Opt with_att;
  with_att.attestation = "A-S1";
  f.ExpectRejected(f.BuyCmd("X1", 10, 1000, with_att), ErrorCode::kBadRequest);
  Opt with_voucher;
  with_voucher.voucher = "SZ-2026";
  f.ExpectRejected(f.SellCmd("S1", 10, 1000, with_voucher), ErrorCode::kBadRequest);
  f.CheckNextIdUnconsumed();
}

TEST_CASE("DUPLICATE_CLIENT_ORDER_ID among the member's live orders", "[validation]") {
  ValidationWorld f;
  f.ExpectRejected(f.BuyCmd("B1", 10, 300, Coid("b1-live")), ErrorCode::kDuplicateClientOrderId);
  // on another instrument too: the id is per member, not per book
  f.AddInstrument("OTHER.SYM");
  Opt o = Coid("b1-live");
  o.instrument = "OTHER.SYM";
  f.ExpectRejected(f.BuyCmd("B1", 10, 300, o), ErrorCode::kDuplicateClientOrderId);
  // another member may use the same client_order_id
  CHECK(f.Buy("B3", 10, 300, Coid("b1-live")).status.ok());
  f.CheckNextIdUnconsumed();
}

TEST_CASE("a client_order_id may be reused once its order is no longer live", "[validation]") {
  ValidationWorld f;
  SECTION("after a cancel") {
    REQUIRE(f.CancelCoid("B1", "b1-live").status.ok());
    Events e = f.Buy("B1", 10, 300, Coid("b1-live"));
    CHECK(e.status.ok());
    CHECK(e.order.client_order_id.view() == "b1-live");
  }
  SECTION("after it filled") {
    Events s = f.Sell("S2", 20, 400);  // B2's bid at 500 first, then B1's at 400
    REQUIRE(s.trades.size() == 2);
    REQUIRE(s.trades[1].buy_after.status == OrderStatus::kFilled);
    CHECK(s.trades[0].buy_after.client_order_id.view() == "b2-live");
    CHECK(s.trades[1].buy_after.client_order_id.view() == "b1-live");
    CHECK(s.trades[1].sell_after.client_order_id.view() == s.order.client_order_id.view());
    CHECK(f.Buy("B1", 10, 300, Coid("b1-live")).status.ok());
  }
  SECTION("an IOC that expired never held it") {
    Events e = f.Buy("B1", 10, 100, [] {
      Opt o = Ioc();
      o.coid = "ioc-1";
      return o;
    }());
    REQUIRE(e.order.status == OrderStatus::kExpired);
    CHECK(f.Buy("B1", 10, 100, Coid("ioc-1")).status.ok());
  }
  SECTION("after a self-trade cancel") {
    f.RestSell("X1", 10, 1500);
    Events e = f.Buy("X1", 10, 1500, Coid("x-1"));
    REQUIRE(e.order.status == OrderStatus::kCanceled);
    REQUIRE(e.order.reason == Reason::kSelfTradePrevented);
    CHECK(f.Buy("X1", 10, 1000, Coid("x-1")).status.ok());
  }
}

TEST_CASE("INSTRUMENT_HALTED", "[validation]") {
  ValidationWorld f;
  f.ExpectRejected(f.BuyCmd("B1", 10, 1000, On("HALTED.SYM")), ErrorCode::kInstrumentHalted);
  f.ExpectRejected(f.SellCmd("S1", 10, 1000, On("HALTED.SYM")), ErrorCode::kInstrumentHalted);
  f.CheckNextIdUnconsumed();
}

TEST_CASE("TIER_NOT_QUALIFIED for buyers only", "[validation]") {
  ValidationWorld f;  // instrument tier 2
  f.ExpectRejected(f.BuyCmd("B-T1", 10, 1000), ErrorCode::kTierNotQualified);
  f.CheckNextIdUnconsumed();
  CHECK(f.Buy("B-T2", 10, 100).status.ok());
  // a tier-1 seller may sell a tier-2 instrument (its attestation is tier 2)
  CHECK(f.Sell("S-T1", 10, 9000).status.ok());
}

TEST_CASE("VOUCHER_INVALID: unknown program or buyer not enrolled", "[validation]") {
  ValidationWorld f;
  f.ExpectRejected(f.BuyCmd("B1", 10, 1000, Voucher("NO-SUCH-PROGRAM")),
                   ErrorCode::kVoucherInvalid);
  f.ExpectRejected(f.BuyCmd("B2", 10, 1000, Voucher("SZ-2026")), ErrorCode::kVoucherInvalid);
  f.CheckNextIdUnconsumed();
  CHECK(f.Buy("B1", 10, 100, Voucher("SZ-2026")).status.ok());
}

TEST_CASE("first failure wins, in README order", "[validation]") {
  ValidationWorld f;
  // unknown member before unknown instrument
  f.ExpectRejected(f.BuyCmd("NOBODY", 10, 1000, On("NO.SUCH")), ErrorCode::kUnknownMember);
  // suspended before unknown instrument
  f.ExpectRejected(f.BuyCmd("SUSP", 0, 0, On("NO.SUCH")), ErrorCode::kMemberSuspended);
  // unknown instrument before forbidden
  f.ExpectRejected(f.BuyCmd("S1", 10, 1000, On("NO.SUCH")), ErrorCode::kUnknownInstrument);
  // forbidden before tif
  Opt gtd_no_exp;
  gtd_no_exp.tif = Tif::kGtd;
  f.ExpectRejected(f.BuyCmd("S1", 10, 1000, gtd_no_exp), ErrorCode::kForbidden);
  // tif before qty
  f.ExpectRejected(f.BuyCmd("B1", 15, 1000, gtd_no_exp), ErrorCode::kInvalidTif);
  // qty before price
  f.ExpectRejected(f.BuyCmd("B1", 15, 150), ErrorCode::kInvalidQty);
  // price before too large
  f.ExpectRejected(f.BuyCmd("B1", 10'000'000, 1'000'000'000'050), ErrorCode::kInvalidPrice);
  // too large before empty client_order_id
  NewOrder n = f.BuyCmd("B1", 10'000'000, 1'000'000'000'000);
  n.client_order_id.assign("");
  f.ExpectRejected(n, ErrorCode::kTooLarge);
  // empty client_order_id before halted
  n = f.BuyCmd("B1", 10, 1000, On("HALTED.SYM"));
  n.client_order_id.assign("");
  f.ExpectRejected(n, ErrorCode::kBadRequest);
  // duplicate before halted
  Opt dup = Coid("b1-live");
  dup.instrument = "HALTED.SYM";
  f.ExpectRejected(f.BuyCmd("B1", 10, 1000, dup), ErrorCode::kDuplicateClientOrderId);
  // halted before tier
  f.ExpectRejected(f.BuyCmd("B-T1", 10, 1000, On("HALTED.SYM")), ErrorCode::kInstrumentHalted);
  // halted before attestation
  Opt bad_att;
  bad_att.instrument = "HALTED.SYM";
  bad_att.attestation = "NO-SUCH-ATT";
  f.ExpectRejected(f.SellCmd("S1", 10, 1000, bad_att), ErrorCode::kInstrumentHalted);
  // buy: attestation given before tier
  Opt att = Coid("x");
  att.attestation = "A-S1";
  f.ExpectRejected(f.BuyCmd("B-T1", 10, 1000, att), ErrorCode::kBadRequest);
  // buy: tier before voucher
  f.ExpectRejected(f.BuyCmd("B-T1", 10, 1000, Voucher("NO-SUCH")), ErrorCode::kTierNotQualified);
  // sell: voucher given before attestation
  Opt v;
  v.voucher = "SZ-2026";
  v.attestation = "NO-SUCH-ATT";
  f.ExpectRejected(f.SellCmd("S1", 10, 1000, v), ErrorCode::kBadRequest);
}

TEST_CASE("a rejected order after earlier activity changes nothing", "[validation]") {
  ValidationWorld f;
  REQUIRE(f.Buy("B3", 10, 2000).trades.size() == 1);  // trades with S1's ask
  const auto orders = f.engine.AllOrders();
  const auto depth = f.Depth();
  f.ExpectRejected(f.BuyCmd("B1", 15, 1000), ErrorCode::kInvalidQty);
  CHECK(f.engine.AllOrders().size() == orders.size());
  CHECK(f.Depth().bids.size() == depth.bids.size());
  CHECK(f.Depth().asks.size() == depth.asks.size());
}

}  // namespace
}  // namespace corpex::test

namespace corpex::test {
namespace {

// SPEC §3: "a bad input gets a clear error and changes nothing"; engine.h:
// "Equal digests mean equal state". Rejections run at the clock's ts.
TEST_CASE("a rejected command leaves Engine::Digest() unchanged", "[validation][digest]") {
  ValidationWorld f;
  auto same_digest = [&f](const CommandBody& body) {
    const std::string before = f.engine.Digest();
    Events e = f.Exec(body);
    CHECK_FALSE(e.status.ok());
    return f.engine.Digest() == before;
  };
  CHECK(same_digest(f.BuyCmd("NOBODY", 10, 1000)));
  CHECK(same_digest(f.BuyCmd("B1", 15, 1000)));
  CHECK(same_digest(f.BuyCmd("B-T1", 10, 1000)));
  CHECK(same_digest(f.SellCmd("S1", 10, 1000, Voucher("SZ-2026"))));
  CancelOrder c;
  c.member.assign("B1");
  c.order_id = 999;
  CHECK(same_digest(c));
  MemberKill k;
  k.member.assign("NOBODY");
  CHECK(same_digest(k));
}

}  // namespace
}  // namespace corpex::test
