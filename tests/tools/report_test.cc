// corpex-report against a real corpexd: trades made by member clients are
// pulled page by page, verify accepts the file, and a copy with one price
// changed is rejected at that trade.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <sstream>

#include "harness.h"
#include "tools_run.h"

using namespace corpex::test;

namespace {

// Four trades (ids 1..4) between S1 and B1 on SYM, the buy side naming a voucher.
void MakeTrades(uint16_t port, const Market& m) {
  Client ops(port);
  REQUIRE(Code(ops.Login("ops", kOpsSecret)) == "");
  REQUIRE(Code(ops.Call({{"op", "voucher.program.create"},
                         {"program", "SZ-CV"},
                         {"rate_bps", 3000},
                         {"member_cap", 200000000},
                         {"budget", 5000000000},
                         {"year", 2026}})) == "");
  REQUIRE(Code(ops.Call({{"op", "voucher.enrol"}, {"program", "SZ-CV"}, {"member", "B1"}})) == "");
  Client s1(port), b1(port);
  REQUIRE(Code(s1.Login("S1", m.s1)) == "");
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");
  for (int i = 0; i < 4; ++i)
    REQUIRE(Code(s1.Call({{"op", "order.new"},
                          {"instrument", "SYM"},
                          {"side", "sell"},
                          {"qty", 2},
                          {"price", 1000 + 100 * i},
                          {"tif", "GTC"},
                          {"client_order_id", "s" + std::to_string(i)},
                          {"attestation", "ATT-1"}})) == "");
  json::object r = b1.Call({{"op", "order.new"},
                            {"instrument", "SYM"},
                            {"side", "buy"},
                            {"qty", 8},
                            {"price", 2000},
                            {"tif", "IOC"},
                            {"client_order_id", "b"},
                            {"voucher", "SZ-CV"}});
  REQUIRE(Code(r) == "");
  REQUIRE(r.at("result").as_object().at("fills").as_array().size() == 4);
}

std::string Range() {
  return "--from " + std::to_string(NowMs() - 3600000) + " --to " +
         std::to_string(NowMs() + 3600000);
}

}  // namespace

TEST_CASE("a pulled report verifies; a tampered price is caught at its trade", "[tools][report]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  MakeTrades(d.port(), m);
  const std::string flags = " " + RegFlags(d.port());
  const std::string csv = d.dir() + "/trades.csv", jsonl = d.dir() + "/trades.jsonl";

  Run r =
      Tool(CORPEX_REPORT_PATH, "pull " + Range() + " --format csv --limit 3 --out " + csv + flags);
  INFO(r.out);
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("wrote 4 trades") != std::string::npos);
  std::string text = ReadFile(csv);
  CHECK(std::count(text.begin(), text.end(), '\n') == 5);  // header + 4 trades
  CHECK(text.find("CPX000000000001") != std::string::npos);
  CHECK(text.find(",CNY,") != std::string::npos);
  CHECK(text.find("SZ-CV") != std::string::npos);

  r = Tool(CORPEX_REPORT_PATH, "verify " + csv);
  INFO(r.out);
  CHECK(r.rc == 0);
  CHECK(r.out.find("OK: 4 trades") != std::string::npos);

  // Trade 3 traded at 1200: make it 1300 in a copy.
  std::string tampered = text;
  auto row = tampered.find("CPX000000000003");
  REQUIRE(row != std::string::npos);
  auto price = tampered.find(",1200,", row);
  REQUIRE(price != std::string::npos);
  tampered.replace(price, 6, ",1300,");
  const std::string bad = d.dir() + "/tampered.csv";
  WriteFile(bad, tampered);
  r = Tool(CORPEX_REPORT_PATH, "verify " + bad);
  INFO(r.out);
  CHECK(r.rc != 0);
  CHECK(r.out.find("BROKEN at trade 3") != std::string::npos);

  // JSON Lines, one trade per page, and a broken link rather than a broken hash.
  r = Tool(CORPEX_REPORT_PATH,
           "pull " + Range() + " --format jsonl --limit 1 --out " + jsonl + flags);
  REQUIRE(r.rc == 0);
  r = Tool(CORPEX_REPORT_PATH, "verify " + jsonl);
  CHECK(r.rc == 0);
  std::istringstream lines(ReadFile(jsonl));
  std::string line, rebuilt;
  while (std::getline(lines, line)) {
    json::object o = json::parse(line).as_object();
    CHECK(o.at("currency").as_string() == "CNY");
    if (o.at("trade_id").as_int64() == 2) o.erase("hash"), o["hash"] = std::string(64, 'f');
    rebuilt += json::serialize(o) + "\n";
  }
  WriteFile(bad, rebuilt);
  r = Tool(CORPEX_REPORT_PATH, "verify " + bad);
  CHECK(r.rc != 0);
  CHECK(r.out.find("BROKEN at trade 2") != std::string::npos);

  // A filtered pull still verifies each row.
  r = Tool(CORPEX_REPORT_PATH,
           "pull " + Range() + " --member B1 --instrument SYM --format csv --out " + csv + flags);
  REQUIRE(r.rc == 0);
  CHECK(Tool(CORPEX_REPORT_PATH, "verify " + csv).rc == 0);
}

TEST_CASE("vouchers and claims print the ledger; regulators cannot operate", "[tools][report]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  MakeTrades(d.port(), m);
  const std::string flags = " " + RegFlags(d.port());
  Run r = Tool(CORPEX_REPORT_PATH, "vouchers --program SZ-CV" + flags);
  INFO(r.out);
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("B1") != std::string::npos);
  r = Tool(CORPEX_REPORT_PATH, "claims --program SZ-CV --status reserved --csv" + flags);
  INFO(r.out);
  REQUIRE(r.rc == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 5);  // header + 4 claims
  // The operator settles one; the regulator sees it approved.
  CHECK(Tool(CORPEX_ADMIN_PATH, "claim settle 1 approved " + OpsFlags(d.port())).rc == 0);
  r = Tool(CORPEX_REPORT_PATH, "claims --program SZ-CV --status approved --csv" + flags);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
  r = Tool(CORPEX_REPORT_PATH, "vouchers --program NOPE" + flags);
  CHECK(r.rc != 0);
  // The operator tool with regulator credentials is refused by the server.
  r = Tool(CORPEX_ADMIN_PATH, "member kill B1" + flags);
  CHECK(r.rc != 0);
  CHECK(r.out.find("FORBIDDEN") != std::string::npos);
}

TEST_CASE("an interrupted pull resumes from its cursor without duplicates", "[tools][report]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  MakeTrades(d.port(), m);
  const std::string flags = " " + RegFlags(d.port());
  const std::string out = d.dir() + "/resume.csv";
  const std::string query = "pull " + Range() + " --format csv --limit 1 --out " + out + flags;
  Run r = Tool(CORPEX_REPORT_PATH, query + " --pages 2");
  INFO(r.out);
  REQUIRE(r.rc == 3);
  std::string part = ReadFile(out);
  CHECK(std::count(part.begin(), part.end(), '\n') == 3);  // header + 2 trades
  REQUIRE(!ReadFile(out + ".cursor").empty());
  // A page half-written after the last cursor save is dropped on resume.
  WriteFile(out, part + "CPX000000000003,3,half a row");
  CHECK(Tool(CORPEX_REPORT_PATH, "pull --from 1 --to 2 --format csv --out " + out + flags).rc == 2);
  r = Tool(CORPEX_REPORT_PATH, query);
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("resuming") != std::string::npos);
  std::string full = ReadFile(out);
  CHECK(std::count(full.begin(), full.end(), '\n') == 5);
  CHECK(ReadFile(out + ".cursor").empty());
  r = Tool(CORPEX_REPORT_PATH, "verify " + out);
  CHECK(r.rc == 0);
  CHECK(r.out.find("OK: 4 trades verified (1..4)") != std::string::npos);
}

TEST_CASE("deliveries: the operator grants and resolves, the regulator sees states and times",
          "[tools][report][delivery]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  MakeTrades(d.port(), m);
  const std::string ops = " " + OpsFlags(d.port());
  const std::string reg = " " + RegFlags(d.port());
  const std::string window =
      " --access-from " + std::to_string(NowMs()) + " --access-until " + std::to_string(NowMs() + 86400000);
  Run r = Tool(CORPEX_ADMIN_PATH, "delivery grant 1 --access-ref sandbox://ops/1 --dataset " +
                                      std::string(64, 'a') + window + ops);
  INFO(r.out);
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("granted") != std::string::npos);
  r = Tool(CORPEX_ADMIN_PATH, "delivery grant 2 --access-ref x --dataset " + std::string(64, 'b') + window + ops);
  CHECK(r.rc != 0);
  CHECK(r.out.find("ATTESTATION_INVALID") != std::string::npos);
  CHECK(Tool(CORPEX_ADMIN_PATH, "delivery resolve 3 failed --note 'never delivered'" + ops).rc == 0);
  r = Tool(CORPEX_ADMIN_PATH, "delivery resolve 3 confirmed" + ops);
  CHECK(r.rc != 0);
  CHECK(r.out.find("BAD_REQUEST") != std::string::npos);
  r = Tool(CORPEX_ADMIN_PATH, "delivery list --state pending" + ops);
  INFO(r.out);
  REQUIRE(r.rc == 0);
  CHECK(r.out.find("trade_id") != std::string::npos);  // a table of the two pending ones

  r = Tool(CORPEX_REPORT_PATH, "deliveries --csv" + reg);
  INFO(r.out);
  REQUIRE(r.rc == 0);
  std::istringstream lines(r.out);
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  REQUIRE(rows.size() == 5);  // header + 4 trades
  CHECK(rows[0].rfind("trade_id,instrument,buyer,seller,state,opened_at,granted_at", 0) == 0);
  CHECK(rows[1].find(",granted,") != std::string::npos);
  CHECK(rows[2].find(",pending,") != std::string::npos);
  CHECK(rows[3].find(",failed,") != std::string::npos);
  r = Tool(CORPEX_REPORT_PATH, "deliveries --state failed --json" + reg);
  REQUIRE(r.rc == 0);
  json::array list = json::parse(r.out).as_object().at("deliveries").as_array();
  REQUIRE(list.size() == 1);
  CHECK(list[0].as_object().at("trade_id").as_int64() == 3);
  CHECK(list[0].as_object().at("steps").as_array()[0].as_object().at("note").as_string() == "never delivered");
  // A regulator reads deliveries but never acts on one.
  r = Tool(CORPEX_ADMIN_PATH, "delivery resolve 2 failed" + reg);
  CHECK(r.rc != 0);
  CHECK(r.out.find("FORBIDDEN") != std::string::npos);
}

TEST_CASE("negotiated deals, cash and equity, verify in the chain with book trades; tampered shares break it",
          "[tools][report][negotiation]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  MakeTrades(d.port(), m);  // trades 1..4, on the book
  Client s1(d.port()), b1(d.port());
  REQUIRE(Code(s1.Login("S1", m.s1)) == "");
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");
  auto deal = [&](json::object terms) {
    json::object r = b1.Call({{"op", "rfq.new"}, {"instrument", "SYM"}, {"qty", 40}, {"expire_at", NowMs() + 3600000}});
    REQUIRE(Code(r) == "");
    json::object q{{"op", "quote.new"}, {"rfq_id", r.at("result").as_object().at("rfq_id")},
                   {"attestation", "ATT-1"}, {"valid_until", NowMs() + 600000}};
    for (const auto& kv : terms) q[kv.key()] = kv.value();
    r = s1.Call(q);
    INFO(json::serialize(r));
    REQUIRE(Code(r) == "");
    r = b1.Call({{"op", "quote.accept"}, {"quote_id", r.at("result").as_object().at("quote_id")}});
    REQUIRE(Code(r) == "");
    return r;
  };
  json::object eq = deal({{"consideration", json::object{{"type", "equity"}, {"company", "91440300MA5G0XXX11"},
                                                         {"shares", 1200000}, {"valuation_fen", 3000000000}}}});
  CHECK(eq.at("result").as_object().at("consideration").as_object().at("shares").as_int64() == 1200000);
  deal({{"price", 1500}});  // trade 6: negotiated, cash

  const std::string flags = " " + RegFlags(d.port());
  const std::string csv = d.dir() + "/deals.csv";
  Run r = Tool(CORPEX_REPORT_PATH, "pull " + Range() + " --format csv --out " + csv + flags);
  INFO(r.out);
  REQUIRE(r.rc == 0);
  const std::string text = ReadFile(csv);
  CHECK(text.find(",negotiated,2,equity,91440300MA5G0XXX11,1200000,") != std::string::npos);
  CHECK(text.find(",negotiated,2,cash,,0,") != std::string::npos);
  CHECK(text.find(",book,1,,,,") != std::string::npos);
  r = Tool(CORPEX_REPORT_PATH, "verify " + csv);
  INFO(r.out);
  CHECK(r.rc == 0);
  CHECK(r.out.find("OK: 6 trades") != std::string::npos);

  std::string tampered = text;
  const auto at = tampered.find(",1200000,");
  REQUIRE(at != std::string::npos);
  tampered.replace(at, 9, ",1300000,");
  const std::string bad = d.dir() + "/deals-tampered.csv";
  WriteFile(bad, tampered);
  r = Tool(CORPEX_REPORT_PATH, "verify " + bad);
  CHECK(r.rc != 0);
  CHECK(r.out.find("BROKEN at trade 5") != std::string::npos);
  // The server's own check walks the same chain.
  Client reg(d.port());
  REQUIRE(Code(reg.Login("csrc", kRegSecret)) == "");
  json::object rep = reg.Call({{"op", "report.trades"}, {"from", 0}, {"to", NowMs() + 60000}});
  REQUIRE(Code(rep) == "");
  const json::object& t5 = rep.at("result").as_object().at("trades").as_array()[4].as_object();
  CHECK(t5.at("notional").as_int64() == 3000000000);
  CHECK(t5.at("voucher_offset").as_int64() == 0);
  CHECK(t5.at("chain_version").as_int64() == 2);
}
