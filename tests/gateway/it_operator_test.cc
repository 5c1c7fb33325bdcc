// Operator and regulator ops end to end: expiry by the tick, revoke, kill,
// vouchers, claims, report paging.
#include <catch2/catch.hpp>
#include <thread>

#include "harness.h"

using namespace corpex::test;

namespace {
const json::object& Res(const json::object& r) { return r.at("result").as_object(); }
bool Exec(const json::object& e) { return e.at("event").as_string() == "execution"; }
}  // namespace

TEST_CASE("a GTD order leaves the book within a second of expire_at", "[it][ops]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client s1(d.port());
  REQUIRE(Code(s1.Login("S1", m.s1)) == "");
  int64_t expire = NowMs() + 500;
  json::object r = s1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"},
                            {"qty", 1}, {"price", 500}, {"tif", "GTD"}, {"expire_at", expire},
                            {"client_order_id", "gtd"}, {"attestation", "ATT-1"}});
  REQUIRE(Code(r) == "");
  CHECK(Res(r).at("expire_at").as_int64() == expire);
  json::object e = s1.Event(Exec);
  REQUIRE(!e.empty());
  CHECK(e.at("status").as_string() == "expired");
  CHECK(e.at("reason").as_string() == "gtd_expired");
  CHECK(NowMs() - expire < 1000);
}

TEST_CASE("revoke and kill cancel resting orders with executions", "[it][ops]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client s1(d.port()), b1(d.port()), ops(d.port());
  REQUIRE(Code(s1.Login("S1", m.s1)) == "");
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");
  REQUIRE(Code(ops.Login("ops", kOpsSecret)) == "");
  for (const char* coid : {"a", "b"})
    REQUIRE(Code(s1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"}, {"qty", 1},
                          {"price", 500}, {"tif", "GTC"}, {"client_order_id", coid},
                          {"attestation", "ATT-1"}})) == "");
  json::object r = ops.Call({{"op", "attestation.revoke"}, {"attestation", "ATT-1"}, {"reason", "x"}});
  REQUIRE(Code(r) == "");
  CHECK(Res(r).at("canceled").as_int64() == 2);
  json::object e = s1.Event(Exec);
  REQUIRE(!e.empty());
  CHECK(e.at("reason").as_string() == "attestation_revoked");
  CHECK(Code(ops.Call({{"op", "attestation.revoke"}, {"attestation", "ATT-1"}})) == "ATTESTATION_INVALID");

  REQUIRE(Code(b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 1},
                        {"price", 100}, {"tif", "GTC"}, {"client_order_id", "k"}})) == "");
  r = ops.Call({{"op", "member.kill"}, {"member", "B1"}});
  REQUIRE(Code(r) == "");
  CHECK(Res(r).at("canceled").as_int64() == 1);
  e = b1.Event(Exec);
  REQUIRE(!e.empty());
  CHECK(e.at("reason").as_string() == "by_operator");
  CHECK(Code(ops.Call({{"op", "member.kill"}, {"member", "NOPE"}})) == "UNKNOWN_MEMBER");
  CHECK(Code(ops.Call({{"op", "instrument.halt"}, {"symbol", "SYM"}})) == "");
  CHECK(Code(b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 1},
                      {"price", 100}, {"tif", "GTC"}, {"client_order_id", "h"}})) ==
        "INSTRUMENT_HALTED");
  CHECK(Code(ops.Call({{"op", "member.create"}, {"member", "B1"}, {"name", "n"}, {"group", "g"},
                       {"roles", {"buyer"}}, {"tier", 1}})) == "ALREADY_EXISTS");
  json::object st = ops.Call({{"op", "status"}});
  REQUIRE(Code(st) == "");
  CHECK(Res(st).at("members").as_int64() == 3);
  CHECK(Res(st).at("durable_seq").as_int64() == Res(st).at("seq").as_int64());
}

TEST_CASE("vouchers: offset on the fill, ledgers, claims, settle, paging", "[it][ops]") {
  SeededExchange x;
  auto& [d, m, ops, s1, b1, b2, reg] = x;
  int year = 1970 + static_cast<int>((NowMs() + 8 * 3600000LL) / 31556952000LL);
  REQUIRE(Code(ops.Call({{"op", "voucher.program.create"}, {"program", "SZ"}, {"rate_bps", 3000},
                         {"member_cap", 1000000}, {"budget", 5000000}, {"year", year}})) == "");
  REQUIRE(Code(ops.Call({{"op", "voucher.enrol"}, {"program", "SZ"}, {"member", "B1"}})) == "");
  CHECK(Code(ops.Call({{"op", "voucher.enrol"}, {"program", "NOPE"}, {"member", "B1"}})) == "VOUCHER_INVALID");
  for (int i = 0; i < 3; ++i) {
    std::string coid = "s";
    coid += std::to_string(i);
    REQUIRE(Code(s1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"}, {"qty", 1},
                          {"price", 1000}, {"tif", "GTC"}, {"client_order_id", coid},
                          {"attestation", "ATT-1"}})) == "");
  }
  json::object r = b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 3},
                            {"price", 1000}, {"tif", "IOC"}, {"client_order_id", "v"},
                            {"voucher", "SZ"}});
  REQUIRE(Code(r) == "");
  const json::array fills = Res(r).at("fills").as_array();  // a copy: r is reused below
  REQUIRE(fills.size() == 3);
  CHECK(fills[0].as_object().at("voucher_offset").as_int64() == 300);
  CHECK(fills[0].as_object().at("net_cost").as_int64() == 700);

  r = reg.Call({{"op", "report.vouchers"}, {"program", "SZ"}});
  REQUIRE(Code(r) == "");
  CHECK(Res(r).at("budget_left").as_int64() == 5000000 - 900);
  const json::object& led = Res(r).at("members").as_array()[0].as_object();
  CHECK(led.at("member").as_string() == "B1");
  CHECK(led.at("reserved").as_int64() == 900);
  CHECK(led.at("left").as_int64() == 1000000 - 900);

  int64_t first = fills[0].as_object().at("trade_id").as_int64();
  REQUIRE(Code(ops.Call({{"op", "voucher.claim.settle"}, {"trade_id", first}, {"status", "approved"}})) == "");
  CHECK(Code(ops.Call({{"op", "voucher.claim.settle"}, {"trade_id", first}, {"status", "approved"}})) == "BAD_REQUEST");
  r = reg.Call({{"op", "report.claims"}, {"program", "SZ"}, {"status", "approved"}});
  REQUIRE(Code(r) == "");
  REQUIRE(Res(r).at("claims").as_array().size() == 1);
  CHECK(Res(r).at("claims").as_array()[0].as_object().at("trade_id").as_int64() == first);

  // Paging: two pages of limit 2 cover the three trades, oldest first, chained.
  json::object p1 = reg.Call({{"op", "report.trades"}, {"from", 0}, {"to", NowMs() + 1000}, {"limit", 2}});
  REQUIRE(Code(p1) == "");
  REQUIRE(Res(p1).at("trades").as_array().size() == 2);
  REQUIRE(Res(p1).at("next_cursor").is_string());
  json::object p2 = reg.Call({{"op", "report.trades"}, {"from", 0}, {"to", NowMs() + 1000}, {"limit", 2},
                              {"cursor", Res(p1).at("next_cursor")}});
  REQUIRE(Code(p2) == "");
  REQUIRE(Res(p2).at("trades").as_array().size() == 1);
  CHECK(Res(p2).at("next_cursor").is_null());
  CHECK(Res(p2).at("trades").as_array()[0].as_object().at("prev_hash") ==
        Res(p1).at("trades").as_array()[1].as_object().at("hash"));
  CHECK(Res(p1).at("trades").as_array()[0].as_object().at("voucher_program").as_string() == "SZ");
}
