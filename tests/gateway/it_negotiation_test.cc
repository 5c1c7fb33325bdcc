// Negotiated deals over the wire against a real corpexd: an RFQ reaches the
// sellers that may sell its instrument and no one else, quotes reach the
// buyer, the acceptance is one trade in the report and the chain (venue
// negotiated, no order ids), and open RFQs and quotes survive kill -9.
#include <signal.h>

#include <catch2/catch.hpp>

#include "harness.h"

using namespace corpex::test;

namespace {

json::object RfqNew(int64_t qty, int64_t ttl_ms = 3'600'000) {
  return {{"op", "rfq.new"}, {"instrument", "SYM"}, {"qty", qty}, {"expire_at", NowMs() + ttl_ms}};
}

json::object QuoteNew(int64_t rfq, int64_t price, int64_t ttl_ms = 600'000) {
  return {{"op", "quote.new"}, {"rfq_id", rfq}, {"price", price}, {"attestation", "ATT-1"},
          {"valid_until", NowMs() + ttl_ms}};
}

}  // namespace

TEST_CASE("rfq, quote, accept over the wire: who sees what, and the trade it makes", "[it][negotiation]") {
  SeededExchange x;
  auto& [d, m, ops, s1, b1, b2, reg] = x;

  json::object r = b1.Call(RfqNew(30));
  REQUIRE(Code(r) == "");
  const int64_t rfq = Result(r).at("rfq_id").as_int64();
  CHECK(Result(r).at("status") == "open");
  CHECK(Result(r).at("buyer") == "B1");
  // S1 holds an attestation for SYM: it is asked, without the buyer's name.
  json::object ev = s1.Event([&](const json::object& e) { return e.at("event") == "rfq"; });
  REQUIRE(!ev.empty());
  CHECK(ev.at("rfq").as_object().at("rfq_id").as_int64() == rfq);
  CHECK_FALSE(ev.at("rfq").as_object().contains("buyer"));
  // B2 sells too but holds no attestation: it sees no RFQ, and cannot quote.
  r = b2.Call({{"op", "rfqs.open"}});
  REQUIRE(Code(r) == "");
  CHECK(Result(r).at("rfqs").as_array().empty());
  json::object b2_quote = QuoteNew(rfq, 1000);
  b2_quote["attestation"] = "ATT-1";
  CHECK(Code(b2.Call(b2_quote)) == "ATTESTATION_INVALID");
  CHECK(Code(b1.Call(QuoteNew(rfq, 1000))) == "FORBIDDEN");  // B1 has no seller role
  CHECK(Code(reg.Call(RfqNew(30))) == "FORBIDDEN");

  r = s1.Call(QuoteNew(rfq, 1200));
  REQUIRE(Code(r) == "");
  const int64_t q1 = Result(r).at("quote_id").as_int64();
  r = s1.Call(QuoteNew(rfq, 1100));  // supersedes q1
  REQUIRE(Code(r) == "");
  const int64_t q2 = Result(r).at("quote_id").as_int64();
  ev = b1.Event([&](const json::object& e) {
    return e.at("event") == "quote" && e.at("quote").as_object().at("quote_id").as_int64() == q1 &&
           e.at("quote").as_object().at("status") == "superseded";
  });
  REQUIRE(!ev.empty());
  r = b1.Call({{"op", "rfqs.open"}});
  REQUIRE(Code(r) == "");
  REQUIRE(Result(r).at("quotes").as_array().size() == 1);
  CHECK(Result(r).at("quotes").as_array()[0].as_object().at("price").as_int64() == 1100);
  CHECK(Code(b1.Call({{"op", "quote.accept"}, {"quote_id", q1}})) == "UNKNOWN_QUOTE");
  CHECK(Code(b2.Call({{"op", "quote.accept"}, {"quote_id", q2}})) == "UNKNOWN_QUOTE");

  r = b1.Call({{"op", "quote.accept"}, {"quote_id", q2}});
  REQUIRE(Code(r) == "");
  CHECK(Result(r).at("status") == "accepted");
  const json::array& fills = Result(r).at("fills").as_array();
  REQUIRE(fills.size() == 1);
  const int64_t trade = fills[0].as_object().at("trade_id").as_int64();
  CHECK(fills[0].as_object().at("notional").as_int64() == 33000);
  CHECK_FALSE(fills[0].as_object().contains("order_id"));
  ev = s1.Event([&](const json::object& e) { return e.at("event") == "execution"; });
  REQUIRE(!ev.empty());
  CHECK(ev.at("venue") == "negotiated");
  CHECK(ev.at("side") == "sell");
  CHECK(ev.at("quote_id").as_int64() == q2);
  CHECK(ev.at("rfq_id").as_int64() == rfq);

  // The report: one trade like a book trade, venue negotiated, in the chain.
  r = reg.Call({{"op", "report.trades"}, {"from", 0}, {"to", NowMs() + 60000}});
  REQUIRE(Code(r) == "");
  const json::array& trades = Result(r).at("trades").as_array();
  REQUIRE(trades.size() == 1);
  const json::object& t = trades[0].as_object();
  CHECK(t.at("trade_id").as_int64() == trade);
  CHECK(t.at("venue") == "negotiated");
  CHECK(t.at("buy_order_id").as_int64() == 0);
  CHECK(t.at("buyer") == "B1");
  CHECK(t.at("seller") == "S1");
  CHECK(t.at("attestation") == "ATT-1");
  CHECK(t.at("prev_hash").as_string() == std::string(64, '0'));
  // And its delivery is open.
  r = reg.Call({{"op", "report.deliveries"}});
  REQUIRE(Code(r) == "");
  REQUIRE(Result(r).at("deliveries").as_array().size() == 1);
  CHECK(Result(r).at("deliveries").as_array()[0].as_object().at("state") == "pending");
  r = b1.Call({{"op", "rfqs.open"}});
  CHECK(Result(r).at("rfqs").as_array().empty());
}

TEST_CASE("open RFQs and quotes survive kill -9; a deal survives it between acceptance and grant",
          "[it][negotiation][restart]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  int64_t rfq = 0, quote = 0;
  {
    Client s1(d.port()), b1(d.port());
    LoginAs(s1, "S1", m);
    LoginAs(b1, "B1", m);
    json::object r = b1.Call(RfqNew(10));
    REQUIRE(Code(r) == "");
    rfq = Result(r).at("rfq_id").as_int64();
    r = s1.Call(QuoteNew(rfq, 900));
    REQUIRE(Code(r) == "");
    quote = Result(r).at("quote_id").as_int64();
  }
  d.Kill(SIGKILL);
  REQUIRE(d.Start());
  Client s1(d.port()), b1(d.port());
  LoginAs(s1, "S1", m);
  LoginAs(b1, "B1", m);
  json::object r = s1.Call({{"op", "rfqs.open"}});
  REQUIRE(Code(r) == "");
  REQUIRE(Result(r).at("rfqs").as_array().size() == 1);
  REQUIRE(Result(r).at("quotes").as_array().size() == 1);
  CHECK(Result(r).at("quotes").as_array()[0].as_object().at("quote_id").as_int64() == quote);
  // New ids go on after the recovered ones.
  r = b1.Call(RfqNew(20));
  REQUIRE(Code(r) == "");
  CHECK(Result(r).at("rfq_id").as_int64() == rfq + 1);
  r = b1.Call({{"op", "quote.accept"}, {"quote_id", quote}});
  REQUIRE(Code(r) == "");
  CHECK(Result(r).at("fills").as_array()[0].as_object().at("price").as_int64() == 900);
  const int64_t trade = Result(r).at("fills").as_array()[0].as_object().at("trade_id").as_int64();
  CHECK(Code(b1.Call({{"op", "rfq.cancel"}, {"rfq_id", rfq}})) == "UNKNOWN_RFQ");  // filled
  CHECK(Code(b1.Call({{"op", "rfq.cancel"}, {"rfq_id", rfq + 1}})) == "");

  // kill -9 between the acceptance and the grant: the deal and its pending
  // delivery are back, and the delivery goes on.
  d.Kill(SIGKILL);
  REQUIRE(d.Start());
  Client s1b(d.port()), b1b(d.port()), reg(d.port());
  LoginAs(s1b, "S1", m);
  LoginAs(b1b, "B1", m);
  LoginAs(reg, "csrc", m);
  r = reg.Call({{"op", "report.trades"}, {"from", 0}, {"to", NowMs() + 60000}});
  REQUIRE(Code(r) == "");
  REQUIRE(Result(r).at("trades").as_array().size() == 1);
  CHECK(Result(r).at("trades").as_array()[0].as_object().at("venue") == "negotiated");
  r = s1b.Call({{"op", "deliveries"}, {"state", "pending"}});
  REQUIRE(Code(r) == "");
  REQUIRE(Result(r).at("deliveries").as_array().size() == 1);
  CHECK(Result(r).at("deliveries").as_array()[0].as_object().at("trade_id").as_int64() == trade);
  r = s1b.Call({{"op", "delivery.grant"}, {"trade_id", trade}, {"access_ref", "sandbox://after-restart"},
                {"dataset", std::string(64, 'a')}, {"access_from", NowMs()}, {"access_until", NowMs() + 86400000}});
  CHECK(Code(r) == "");
  CHECK(Code(b1b.Call({{"op", "delivery.confirm"}, {"trade_id", trade}})) == "");
  CHECK(Result(b1b.Call({{"op", "rfqs.open"}})).at("rfqs").as_array().empty());  // the second RFQ was canceled
}
