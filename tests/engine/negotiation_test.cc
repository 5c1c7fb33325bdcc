// Negotiated deals: a buyer's RFQ, sellers' quotes, the buyer's acceptance
// making one trade with every check and effect of a book trade; expiry,
// withdrawal and supersession, each with its status.
#include <cstring>

#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

struct DealWorld : EngineFixture {
  DealWorld() {
    AddProgram("SZ-2026");
    DoEnrol("SZ-2026", "B1");
  }
  RfqNew RfqCmd(const std::string& buyer = "B1", int64_t qty = 40, const std::string& voucher = "") const {
    RfqNew r;
    r.member.assign(buyer);
    r.instrument.assign(kSym);
    r.qty = Q(qty);
    r.voucher.assign(voucher);
    r.expire_at = now + kDay;
    return r;
  }
  uint64_t Rfq(const std::string& buyer = "B1", int64_t qty = 40, const std::string& voucher = "") {
    Events e = Exec(RfqCmd(buyer, qty, voucher));
    INFO(e.status.message());
    REQUIRE(e.status.ok());
    REQUIRE(e.rfqs.size() == 1);
    CHECK(e.rfqs[0].status == RfqStatus::kOpen);
    return e.rfqs[0].id;
  }
  QuoteNew QuoteCmd(uint64_t rfq, const std::string& seller = "S1", int64_t price = 1200) const {
    QuoteNew q;
    q.member.assign(seller);
    q.rfq_id = rfq;
    q.price = P(price);
    q.attestation.assign("A-" + seller);
    q.valid_until = now + kDay / 2;
    return q;
  }
  uint64_t Quote(uint64_t rfq, const std::string& seller = "S1", int64_t price = 1200) {
    Events e = Exec(QuoteCmd(rfq, seller, price));
    INFO(e.status.message());
    REQUIRE(e.status.ok());
    REQUIRE(!e.quotes.empty());
    CHECK(e.quotes[0].status == QuoteStatus::kOpen);
    return e.quotes[0].id;
  }
  Events Accept(uint64_t quote, const std::string& buyer = "B1") {
    QuoteAccept a;
    a.member.assign(buyer);
    a.quote_id = quote;
    return Exec(a);
  }
};

TEST_CASE("accepting a quote makes one trade at its price for the RFQ's qty, closing the rest",
          "[negotiation]") {
  DealWorld f;
  const uint64_t rfq = f.Rfq("B1", 40, "SZ-2026");
  const uint64_t q1 = f.Quote(rfq, "S1", 1200);
  const uint64_t q2 = f.Quote(rfq, "S2", 1100);
  CHECK(q2 > q1);
  Events e = f.Accept(q1);  // not the cheapest: the buyer chooses
  INFO(e.status.message());
  REQUIRE(e.status.ok());
  REQUIRE(e.trades.size() == 1);
  const Trade& t = e.trades[0];
  CHECK(t.price == P(1200));
  CHECK(t.qty == Q(40));
  CHECK(t.notional == F(48000));
  CHECK(t.buyer == f.M("B1"));
  CHECK(t.seller == f.M("S1"));
  CHECK(t.buy_order == 0);  // venue negotiated: no orders
  CHECK(t.sell_order == 0);
  CHECK(t.attestation == f.A("A-S1"));
  CHECK(t.voucher_offset == F(14400));  // 30 %, as on the book
  REQUIRE(f.engine.FindClaim(t.id) != nullptr);
  DeliveryView d;
  REQUIRE(f.engine.FindDelivery(t.id, &d));
  CHECK(d.state == DeliveryState::kPending);
  REQUIRE(e.quotes.size() == 2);
  CHECK(e.quotes[0].id == q1);
  CHECK(e.quotes[0].status == QuoteStatus::kAccepted);
  CHECK(e.quotes[1].id == q2);
  CHECK(e.quotes[1].status == QuoteStatus::kRfqClosed);
  REQUIRE(e.rfqs.size() == 1);
  CHECK(e.rfqs[0].status == RfqStatus::kFilled);
  CHECK(f.engine.OpenRfqs().empty());
  CHECK(f.engine.OpenQuotes().empty());
  CHECK(f.engine.counters().open_deals == 0);
  // The book never saw it.
  CHECK(f.Depth().bids.empty());
  CHECK(f.Depth().asks.empty());
}

TEST_CASE("an RFQ is checked as a buy order is", "[negotiation]") {
  DealWorld f;
  f.ExpectRejected(f.RfqCmd("S1"), ErrorCode::kForbidden);  // no buyer role
  f.ExpectRejected(f.RfqCmd("B1", 0), ErrorCode::kInvalidQty);
  f.ExpectRejected(f.RfqCmd("B1", 15), ErrorCode::kInvalidQty);  // lot 10
  f.ExpectRejected(f.RfqCmd("B2", 40, "SZ-2026"), ErrorCode::kVoucherInvalid);  // not enrolled
  f.ExpectRejected(f.RfqCmd("B1", 40, "NOPE"), ErrorCode::kVoucherInvalid);
  f.ExpectRejected(f.RfqCmd("NOPE"), ErrorCode::kUnknownMember);
  RfqNew past = f.RfqCmd();
  past.expire_at = f.now;
  f.ExpectRejected(past, ErrorCode::kBadRequest);
  RfqNew unknown = f.RfqCmd();
  unknown.instrument.assign("NOPE");
  f.ExpectRejected(unknown, ErrorCode::kUnknownInstrument);
  f.AddMember("B4", "GB4", kRoleBuyer, 1);
  f.ExpectRejected(f.RfqCmd("B4"), ErrorCode::kTierNotQualified);  // instrument tier 2
  f.Halt(kSym);
  f.ExpectRejected(f.RfqCmd(), ErrorCode::kInstrumentHalted);
}

TEST_CASE("a quote is checked as a sell order is, and never on one's own RFQ", "[negotiation]") {
  DealWorld f;
  const uint64_t rfq = f.Rfq("X1");  // X1 buys and sells
  f.ExpectRejected(f.QuoteCmd(rfq, "X1"), ErrorCode::kForbidden);
  f.ExpectRejected(f.QuoteCmd(rfq, "B2"), ErrorCode::kForbidden);  // no seller role
  f.ExpectRejected(f.QuoteCmd(rfq + 9), ErrorCode::kUnknownRfq);
  f.ExpectRejected(f.QuoteCmd(rfq, "S1", 1250), ErrorCode::kInvalidPrice);  // tick 100
  f.ExpectRejected(f.QuoteCmd(rfq, "S1", 0), ErrorCode::kInvalidPrice);
  f.ExpectRejected(f.QuoteCmd(rfq, "S1", (INT64_MAX / 40 / 100 + 1) * 100), ErrorCode::kTooLarge);
  QuoteNew other = f.QuoteCmd(rfq, "S1");
  other.attestation.assign("A-S2");  // S2's
  f.ExpectRejected(other, ErrorCode::kAttestationInvalid);
  QuoteNew none = f.QuoteCmd(rfq, "S1");
  none.attestation = Name{};
  f.ExpectRejected(none, ErrorCode::kAttestationInvalid);
  QuoteNew stale = f.QuoteCmd(rfq, "S1");
  stale.valid_until = f.now;
  f.ExpectRejected(stale, ErrorCode::kBadRequest);
  f.Revoke("A-S3");
  f.ExpectRejected(f.QuoteCmd(rfq, "S3"), ErrorCode::kAttestationInvalid);
}

TEST_CASE("a seller's new quote supersedes its last; a seller withdraws only its own", "[negotiation]") {
  DealWorld f;
  const uint64_t rfq = f.Rfq();
  const uint64_t q1 = f.Quote(rfq, "S1", 1500);
  const uint64_t other = f.Quote(rfq, "S2", 1400);
  Events e = f.Exec(f.QuoteCmd(rfq, "S1", 1300));
  REQUIRE(e.status.ok());
  REQUIRE(e.quotes.size() == 2);
  CHECK(e.quotes[1].id == q1);
  CHECK(e.quotes[1].status == QuoteStatus::kSuperseded);
  const uint64_t q2 = e.quotes[0].id;
  CHECK(f.engine.OpenQuotes().size() == 2);
  f.ExpectRejected(QuoteAccept{MemberName::of("B1"), q1}, ErrorCode::kUnknownQuote);  // superseded
  f.ExpectRejected(QuoteCancel{MemberName::of("S2"), q2}, ErrorCode::kUnknownQuote);  // not S2's
  Events w = f.Exec(QuoteCancel{MemberName::of("S1"), q2});
  REQUIRE(w.status.ok());
  CHECK(w.quotes[0].status == QuoteStatus::kWithdrawn);
  CHECK(f.engine.OpenQuotes().size() == 1);
  CHECK(f.engine.OpenQuotes()[0].id == other);
}

TEST_CASE("only the RFQ's buyer accepts or cancels it; a canceled RFQ closes its quotes", "[negotiation]") {
  DealWorld f;
  const uint64_t rfq = f.Rfq();
  const uint64_t q = f.Quote(rfq);
  f.ExpectRejected(QuoteAccept{MemberName::of("B2"), q}, ErrorCode::kUnknownQuote);
  f.ExpectRejected(RfqCancel{MemberName::of("B2"), rfq}, ErrorCode::kUnknownRfq);
  Events c = f.Exec(RfqCancel{MemberName::of("B1"), rfq});
  REQUIRE(c.status.ok());
  CHECK(c.rfqs[0].status == RfqStatus::kCanceled);
  REQUIRE(c.quotes.size() == 1);
  CHECK(c.quotes[0].status == QuoteStatus::kRfqClosed);
  f.ExpectRejected(QuoteAccept{MemberName::of("B1"), q}, ErrorCode::kUnknownQuote);
}

TEST_CASE("expired quotes and RFQs cannot trade, and leave at the next tick", "[negotiation]") {
  DealWorld f;
  const uint64_t rfq = f.Rfq();
  const uint64_t q = f.Quote(rfq);  // valid half a day, the RFQ a day
  f.Advance(kDay / 2);
  f.ExpectRejected(QuoteAccept{MemberName::of("B1"), q}, ErrorCode::kUnknownQuote);
  Events t = f.TickAt(f.now);
  REQUIRE(t.quotes.size() == 1);
  CHECK(t.quotes[0].status == QuoteStatus::kExpired);
  CHECK(t.rfqs.empty());
  const uint64_t q2 = f.Quote(rfq, "S2");
  f.Advance(kDay / 2);
  f.ExpectRejected(f.QuoteCmd(rfq, "S3"), ErrorCode::kUnknownRfq);
  t = f.TickAt(f.now);
  REQUIRE(t.quotes.size() == 1);
  CHECK(t.quotes[0].id == q2);
  CHECK(t.quotes[0].status == QuoteStatus::kExpired);
  REQUIRE(t.rfqs.size() == 1);
  CHECK(t.rfqs[0].status == RfqStatus::kExpired);
  CHECK(f.engine.counters().open_deals == 0);
}

TEST_CASE("acceptance re-checks what may have changed since the quote", "[negotiation]") {
  DealWorld f;
  const uint64_t rfq = f.Rfq();
  const uint64_t q1 = f.Quote(rfq, "S1");
  const uint64_t q2 = f.Quote(rfq, "S2");
  const uint64_t q3 = f.Quote(rfq, "S3");
  f.Revoke("A-S1");  // closes q1 (next case); an acceptance of it finds no quote
  f.ExpectRejected(QuoteAccept{MemberName::of("B1"), q1}, ErrorCode::kUnknownQuote);
  f.Suspend("S2");
  f.ExpectRejected(QuoteAccept{MemberName::of("B1"), q2}, ErrorCode::kMemberSuspended);
  f.Halt(kSym);
  f.ExpectRejected(QuoteAccept{MemberName::of("B1"), q3}, ErrorCode::kInstrumentHalted);
  f.Halt(kSym, false);
  REQUIRE(f.Accept(q3).status.ok());
}

TEST_CASE("revoking an attestation closes the open quotes that cite it, and only those",
          "[negotiation]") {
  DealWorld f;
  const uint64_t rfq = f.Rfq();
  const uint64_t other_rfq = f.Rfq("B1", 20);
  const uint64_t q1 = f.Quote(rfq, "S1");
  const uint64_t q1b = f.Quote(other_rfq, "S1");
  const uint64_t q2 = f.Quote(rfq, "S2");
  Events e = f.Revoke("A-S1");
  REQUIRE(e.status.ok());
  REQUIRE(e.quotes.size() == 2);
  for (const QuoteView& q : e.quotes) {
    CHECK((q.id == q1 || q.id == q1b));
    CHECK(q.status == QuoteStatus::kAttestationRevoked);
    CHECK(q.seller == f.M("S1"));
    CHECK(q.buyer == f.M("B1"));  // so the buyer is told too
  }
  CHECK(e.rfqs.empty());  // the RFQs stay open for other sellers
  std::vector<QuoteView> open = f.engine.OpenQuotes();
  REQUIRE(open.size() == 1);
  CHECK(open[0].id == q2);
  CHECK(f.engine.OpenRfqs().size() == 2);
  f.ExpectRejected(QuoteAccept{MemberName::of("B1"), q1b}, ErrorCode::kUnknownQuote);
  const Events deal = f.Accept(q2);
  INFO(deal.status.message());
  REQUIRE(deal.status.ok());
  CHECK(deal.trades.size() == 1);
}

TEST_CASE("affiliated parties may deal but earn no offset", "[negotiation]") {
  DealWorld f;
  f.AddMember("S9", "GB1", kRoleSeller, 4);  // B1's group
  f.AddAttestation("A-S9", "S9");
  const uint64_t rfq = f.Rfq("B1", 40, "SZ-2026");
  Events e = f.Accept(f.Quote(rfq, "S9"));
  REQUIRE(e.status.ok());
  CHECK(e.trades[0].affiliated);
  CHECK(e.trades[0].voucher_offset == F(0));
}

TEST_CASE("open RFQs and quotes survive Save/Restore; deals count in the digest", "[negotiation]") {
  DealWorld f;
  const uint64_t rfq = f.Rfq();
  const uint64_t q = f.Quote(rfq);
  Engine copy;
  REQUIRE(copy.Restore(f.engine.Save()).ok());
  CHECK(copy.Digest() == f.engine.Digest());
  REQUIRE(copy.OpenRfqs().size() == 1);
  CHECK(copy.OpenRfqs()[0].id == rfq);
  REQUIRE(copy.OpenQuotes().size() == 1);
  CHECK(copy.OpenQuotes()[0].price == P(1200));
  // Both go on alike: the next ids and the trade are the same.
  Command accept{f.now, QuoteAccept{MemberName::of("B1"), q}};
  const Events a = copy.Execute(accept);
  const Events b = f.engine.Execute(accept);
  REQUIRE(a.trades.size() == 1);
  CHECK(a.trades[0].id == b.trades[0].id);
  CHECK(copy.Digest() == f.engine.Digest());
  CHECK(f.engine.MaySell(f.M("S1"), f.Sym()));
  CHECK_FALSE(f.engine.MaySell(f.M("B1"), f.Sym()));
}

}  // namespace
}  // namespace corpex::test

namespace corpex::test {
namespace {

QuoteNew EquityQuote(const DealWorld& f, uint64_t rfq, const char* company = "91440300MA5G0XXX11",
                     int64_t shares = 1'200'000, int64_t valuation = 3'000'000'000) {
  QuoteNew q = f.QuoteCmd(rfq, "S1", 0);
  q.consideration = Consideration::kEquity;
  std::memcpy(q.equity.company, company, kUsccLen);
  q.equity.shares = shares;
  q.equity.valuation = valuation;
  return q;
}

TEST_CASE("data for equity: the notional is the valuation, the unit price implied, no offset",
          "[negotiation][equity]") {
  DealWorld f;
  const uint64_t rfq = f.Rfq("B1", 40);
  Events q = f.Exec(EquityQuote(f, rfq));
  INFO(q.status.message());
  REQUIRE(q.status.ok());
  CHECK(q.quotes[0].consideration == Consideration::kEquity);
  CHECK(q.quotes[0].price == P(75'000'000));  // 3e9 / 40
  Events e = f.Accept(q.quotes[0].id);
  REQUIRE(e.status.ok());
  REQUIRE(e.trades.size() == 1);
  const Trade& t = e.trades[0];
  CHECK(t.notional == F(3'000'000'000));
  CHECK(t.price == P(75'000'000));
  CHECK(t.voucher_offset == F(0));
  CHECK(t.net_cost == t.notional);
  CHECK(f.engine.FindClaim(t.id) == nullptr);
  CHECK(e.quotes[0].equity.shares == 1'200'000);
  CHECK(e.quotes[0].equity.company_view() == "91440300MA5G0XXX11");
}

TEST_CASE("an equity quote is refused on an RFQ that names a voucher program, saying why",
          "[negotiation][equity]") {
  DealWorld f;
  const uint64_t rfq = f.Rfq("B1", 40, "SZ-2026");
  Events e = f.ExpectRejected(EquityQuote(f, rfq), ErrorCode::kVoucherInvalid);
  CHECK(e.status.message().find("not voucher-eligible") != std::string::npos);
}

TEST_CASE("an equity quote needs a valid company code, shares and a valuation, and no price",
          "[negotiation][equity]") {
  DealWorld f;
  const uint64_t rfq = f.Rfq("B1", 40);
  f.ExpectRejected(EquityQuote(f, rfq, "91440300MA5G0XXX12"), ErrorCode::kBadRequest);  // check char
  f.ExpectRejected(EquityQuote(f, rfq, "91440300MA5G0XXX11", 0), ErrorCode::kBadRequest);
  f.ExpectRejected(EquityQuote(f, rfq, "91440300MA5G0XXX11", 5, 0), ErrorCode::kInvalidPrice);
  QuoteNew priced = EquityQuote(f, rfq);
  priced.price = P(1200);
  f.ExpectRejected(priced, ErrorCode::kBadRequest);
  // Open equity quotes survive a snapshot with their terms.
  Events q = f.Exec(EquityQuote(f, rfq));
  REQUIRE(q.status.ok());
  Engine copy;
  REQUIRE(copy.Restore(f.engine.Save()).ok());
  REQUIRE(copy.OpenQuotes().size() == 1);
  CHECK(copy.OpenQuotes()[0].equity.valuation == 3'000'000'000);
  CHECK(copy.Digest() == f.engine.Digest());
}

}  // namespace
}  // namespace corpex::test
