// Sandbox delivery over the wire against a real corpexd: both parties see
// each step as an event, a gated voucher claim waits for the confirmation,
// reports show the delivery's times and steps, and kill -9 loses none of it.
#include <signal.h>

#include <catch2/catch.hpp>

#include "harness.h"

using namespace corpex::test;

namespace {

const std::string kDataset(64, 'a');  // SeedMarket's ATT-1

// A gated program B1 is enrolled in, and one trade S1 -> B1 under it; its id.
int64_t GatedTrade(uint16_t port, const Market& m, Client& s1, Client& b1, const std::string& coid) {
  Client ops(port);
  LoginAs(ops, "ops", m);
  json::object r = ops.Call({{"op", "voucher.program.create"}, {"program", "SZ-GATED"}, {"rate_bps", 3000},
                             {"member_cap", 200000000}, {"budget", 5000000000}, {"year", 2026},
                             {"delivery_required", true}});
  REQUIRE((Code(r) == "" || Code(r) == "ALREADY_EXISTS"));
  r = ops.Call({{"op", "voucher.enrol"}, {"program", "SZ-GATED"}, {"member", "B1"}});
  REQUIRE((Code(r) == "" || Code(r) == "ALREADY_EXISTS"));
  REQUIRE(Code(s1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"}, {"qty", 10},
                        {"price", 1000}, {"tif", "GTC"}, {"client_order_id", "s-" + coid},
                        {"attestation", "ATT-1"}})) == "");
  r = b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 10}, {"price", 1000},
               {"tif", "IOC"}, {"client_order_id", "b-" + coid}, {"voucher", "SZ-GATED"}});
  REQUIRE(Code(r) == "");
  const json::array& fills = r.at("result").as_object().at("fills").as_array();
  REQUIRE(fills.size() == 1);
  return fills[0].as_object().at("trade_id").as_int64();
}

json::object Grant(int64_t trade) {
  const int64_t now = NowMs();
  return {{"op", "delivery.grant"}, {"trade_id", trade}, {"access_ref", "sandbox://gz-sbx-01/grants/7f3a"},
          {"dataset", kDataset}, {"access_from", now}, {"access_until", now + 30LL * 86400 * 1000}};
}

json::object OneDelivery(Client& c, const std::string& op, int64_t trade) {
  json::object r = c.Call({{"op", op}});
  REQUIRE(Code(r) == "");
  for (const auto& d : Result(r).at("deliveries").as_array())
    if (d.as_object().at("trade_id").as_int64() == trade) return d.as_object();
  FAIL("trade " << trade << " not in " << op);
  return {};
}

}  // namespace

TEST_CASE("a delivery over the wire: grant, dispute, grant again, confirm, then the claim is paid",
          "[it][delivery]") {
  SeededExchange x;
  auto& [d, m, ops, s1, b1, b2, reg] = x;
  const int64_t t = GatedTrade(d.port(), m, s1, b1, "1");

  // Pending: the member sees it, the claim cannot be paid yet.
  CHECK(OneDelivery(b1, "deliveries", t).at("state") == "pending");
  REQUIRE(Code(ops.Call({{"op", "voucher.claim.settle"}, {"trade_id", t}, {"status", "approved"}})) == "");
  json::object r = ops.Call({{"op", "voucher.claim.settle"}, {"trade_id", t}, {"status", "paid"}});
  CHECK(Code(r) == "DELIVERY_PENDING");

  // Roles: the buyer cannot grant, a stranger does not see the trade, a regulator never acts.
  CHECK(Code(b1.Call(Grant(t))) == "FORBIDDEN");
  CHECK(Code(b2.Call(Grant(t))) == "UNKNOWN_TRADE");
  CHECK(Code(reg.Call(Grant(t))) == "FORBIDDEN");
  CHECK(Code(b2.Call({{"op", "delivery.confirm"}, {"trade_id", t}})) == "UNKNOWN_TRADE");
  CHECK(Code(ops.Call({{"op", "delivery.confirm"}, {"trade_id", t}})) == "FORBIDDEN");
  json::object wrong = Grant(t);
  wrong["dataset"] = std::string(64, 'b');
  CHECK(Code(s1.Call(wrong)) == "ATTESTATION_INVALID");

  r = s1.Call(Grant(t));
  REQUIRE(Code(r) == "");
  CHECK(Result(r).at("state") == "granted");
  // The buyer is told, with the access it was given.
  json::object ev = b1.Event([&](const json::object& e) {
    return e.at("event") == "delivery" && e.at("trade_id").as_int64() == t && e.at("state") == "granted";
  });
  REQUIRE(!ev.empty());
  CHECK(ev.at("access_ref") == "sandbox://gz-sbx-01/grants/7f3a");
  CHECK(ev.at("dataset").as_string() == kDataset);
  CHECK(ev.at("by") == "S1");

  r = b1.Call({{"op", "delivery.dispute"}, {"trade_id", t}, {"reason", "3 of 12 shards missing"}});
  REQUIRE(Code(r) == "");
  ev = s1.Event([&](const json::object& e) { return e.at("event") == "delivery" && e.at("state") == "disputed"; });
  REQUIRE(!ev.empty());
  CHECK(ev.at("reason") == "3 of 12 shards missing");
  CHECK(OneDelivery(ops, "report.deliveries", t).at("state") == "disputed");
  r = ops.Call({{"op", "report.deliveries"}, {"state", "disputed"}});
  REQUIRE(Code(r) == "");
  CHECK(Result(r).at("deliveries").as_array().size() == 1);

  REQUIRE(Code(s1.Call(Grant(t))) == "");
  r = b1.Call({{"op", "delivery.confirm"}, {"trade_id", t}});
  REQUIRE(Code(r) == "");
  CHECK(Result(r).at("state") == "confirmed");
  CHECK(Code(ops.Call({{"op", "voucher.claim.settle"}, {"trade_id", t}, {"status", "paid"}})) == "");

  // The regulator's report: times and every step, oldest first.
  json::object rep = OneDelivery(reg, "report.deliveries", t);
  CHECK(rep.at("state") == "confirmed");
  CHECK(rep.at("buyer") == "B1");
  CHECK(rep.at("seller") == "S1");
  CHECK(rep.at("dataset").as_string() == kDataset);
  CHECK(rep.at("granted_at").is_int64());
  CHECK(rep.at("confirmed_at").as_int64() >= rep.at("opened_at").as_int64());
  CHECK(rep.at("resolved_at").is_null());
  const json::array& steps = rep.at("steps").as_array();
  REQUIRE(steps.size() == 4);
  CHECK(steps[0].as_object().at("state") == "granted");
  CHECK(steps[1].as_object().at("state") == "disputed");
  CHECK(steps[2].as_object().at("state") == "granted");
  CHECK(steps[3].as_object().at("state") == "confirmed");
  CHECK(steps[3].as_object().at("by") == "B1");
}

TEST_CASE("deliveries pages and filters; a member sees only its own", "[it][delivery]") {
  SeededExchange x;
  auto& [d, m, ops, s1, b1, b2, reg] = x;
  std::vector<int64_t> trades;
  for (int i = 0; i < 5; ++i) trades.push_back(GatedTrade(d.port(), m, s1, b1, std::to_string(i)));
  REQUIRE(Code(s1.Call(Grant(trades[1]))) == "");
  REQUIRE(Code(s1.Call(Grant(trades[3]))) == "");

  // Pages of 2 over 5, in trade order.
  std::vector<int64_t> seen;
  json::value cursor;
  for (int page = 0; page < 5; ++page) {
    json::object q{{"op", "report.deliveries"}, {"limit", 2}};
    if (cursor.is_string()) q["cursor"] = cursor;
    json::object r = reg.Call(q);
    REQUIRE(Code(r) == "");
    for (const auto& x : Result(r).at("deliveries").as_array()) seen.push_back(x.as_object().at("trade_id").as_int64());
    cursor = Result(r).at("next_cursor");
    if (cursor.is_null()) break;
  }
  CHECK(seen == trades);
  json::object r = reg.Call({{"op", "report.deliveries"}, {"state", "granted"}});
  REQUIRE(Code(r) == "");
  REQUIRE(Result(r).at("deliveries").as_array().size() == 2);
  CHECK(Result(r).at("deliveries").as_array()[1].as_object().at("trade_id").as_int64() == trades[3]);
  r = reg.Call({{"op", "report.deliveries"}, {"member", "B2"}});
  REQUIRE(Code(r) == "");
  CHECK(Result(r).at("deliveries").as_array().empty());

  // B2 has no trades: its own list is empty, and naming another member is refused.
  r = b2.Call({{"op", "deliveries"}});
  REQUIRE(Code(r) == "");
  CHECK(Result(r).at("deliveries").as_array().empty());
  CHECK(Code(b2.Call({{"op", "deliveries"}, {"member", "B1"}})) == "BAD_REQUEST");
  CHECK(Code(b2.Call({{"op", "report.deliveries"}})) == "FORBIDDEN");
  r = s1.Call({{"op", "deliveries"}, {"state", "pending"}});
  REQUIRE(Code(r) == "");
  CHECK(Result(r).at("deliveries").as_array().size() == 3);
}

TEST_CASE("kill -9 between the trade and the grant, and after the grant: nothing acknowledged is lost",
          "[it][delivery][restart]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  int64_t a = 0, b = 0;
  {
    Client s1(d.port()), b1(d.port());
    LoginAs(s1, "S1", m);
    LoginAs(b1, "B1", m);
    a = GatedTrade(d.port(), m, s1, b1, "a");
  }
  d.Kill(SIGKILL);  // the trade is acknowledged, its delivery pending
  REQUIRE(d.Start());
  {
    Client s1(d.port()), b1(d.port());
    LoginAs(s1, "S1", m);
    LoginAs(b1, "B1", m);
    CHECK(OneDelivery(s1, "deliveries", a).at("state") == "pending");
    REQUIRE(Code(s1.Call(Grant(a))) == "");
    b = GatedTrade(d.port(), m, s1, b1, "b");
    REQUIRE(Code(s1.Call(Grant(b))) == "");
    REQUIRE(Code(b1.Call({{"op", "delivery.confirm"}, {"trade_id", b}})) == "");
  }
  d.Kill(SIGKILL);
  REQUIRE(d.Start());
  Client s1(d.port()), b1(d.port()), ops(d.port());
  LoginAs(s1, "S1", m);
  LoginAs(b1, "B1", m);
  LoginAs(ops, "ops", m);
  json::object da = OneDelivery(b1, "deliveries", a);
  CHECK(da.at("state") == "granted");
  CHECK(da.at("steps").as_array().size() == 1);
  CHECK(OneDelivery(b1, "deliveries", b).at("state") == "confirmed");
  // The engine's state came back too: the rules still hold on it.
  CHECK(Code(s1.Call(Grant(b))) == "BAD_REQUEST");  // confirmed is final
  REQUIRE(Code(ops.Call({{"op", "voucher.claim.settle"}, {"trade_id", a}, {"status", "approved"}})) == "");
  CHECK(Code(ops.Call({{"op", "voucher.claim.settle"}, {"trade_id", a}, {"status", "paid"}})) == "DELIVERY_PENDING");
  REQUIRE(Code(ops.Call({{"op", "voucher.claim.settle"}, {"trade_id", b}, {"status", "approved"}})) == "");
  CHECK(Code(ops.Call({{"op", "voucher.claim.settle"}, {"trade_id", b}, {"status", "paid"}})) == "");
  REQUIRE(Code(b1.Call({{"op", "delivery.confirm"}, {"trade_id", a}})) == "");
}
