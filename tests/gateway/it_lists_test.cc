// The list ops a console needs (instruments, members, attestations, voucher
// programs and usage), and the web console's files served on the same port.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "harness.h"

using namespace corpex::test;

namespace {
const json::array& List(const json::object& r, const char* key) {
  return r.at("result").as_object().at(key).as_array();
}
const json::object* FindBy(const json::array& a, const char* key, const char* value) {
  for (const json::value& v : a)
    if (v.as_object().at(key).as_string() == value) return &v.as_object();
  return nullptr;
}
}  // namespace

TEST_CASE("instruments.list shows reference data and trade stats to every role", "[it][lists]") {
  SeededExchange x;
  auto& [d, m, ops, s1, b1, b2, reg] = x;
  json::object r = reg.Call({{"op", "instruments.list"}});
  REQUIRE(Code(r) == "");
  const json::object* sym = FindBy(List(r, "instruments"), "symbol", "SYM");
  REQUIRE(sym);
  CHECK(sym->at("domain").as_string() == "medical");
  CHECK(sym->at("modality").as_string() == "text");
  CHECK(sym->at("licence").as_string() == "training");
  CHECK(sym->at("tier").as_int64() == 2);
  CHECK(sym->at("tick").as_int64() == 100);
  CHECK(sym->at("status").as_string() == "active");
  CHECK(sym->at("volume").as_int64() == 0);

  REQUIRE(Code(s1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"}, {"qty", 5},
                        {"price", 700}, {"tif", "GTC"}, {"client_order_id", "s"},
                        {"attestation", "ATT-1"}})) == "");
  for (int i = 0; i < 2; ++i)
    REQUIRE(Code(b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 2},
                          {"price", 700}, {"tif", "IOC"}, {"client_order_id", "b" + std::to_string(i)}})) == "");
  r = b1.Call({{"op", "instruments.list"}});
  sym = FindBy(List(r, "instruments"), "symbol", "SYM");
  REQUIRE(sym);
  CHECK(sym->at("last_price").as_int64() == 700);
  CHECK(sym->at("last_qty").as_int64() == 2);
  CHECK(sym->at("volume").as_int64() == 4);
  CHECK(sym->at("trades").as_int64() == 2);

  // The tape's start: newest first, public fields only, limit honoured.
  r = reg.Call({{"op", "trades.recent"}, {"instrument", "SYM"}});
  REQUIRE(Code(r) == "");
  const json::array& recent = List(r, "trades");
  REQUIRE(recent.size() == 2);
  CHECK(recent[0].as_object().at("trade_id").as_int64() == 2);
  CHECK(recent[1].as_object().at("trade_id").as_int64() == 1);
  CHECK(recent[0].as_object().at("aggressor").as_string() == "buy");
  CHECK(!recent[0].as_object().contains("buyer"));
  CHECK(List(b1.Call({{"op", "trades.recent"}, {"limit", 1}}), "trades").size() == 1);
  CHECK(Code(b1.Call({{"op", "trades.recent"}, {"instrument", "NOPE"}})) == "UNKNOWN_INSTRUMENT");
  CHECK(Code(b1.Call({{"op", "trades.recent"}, {"limit", 0}})) == "BAD_REQUEST");
}

TEST_CASE("members, attestations, programs and usage lists keep to each role", "[it][lists]") {
  SeededExchange x;
  auto& [d, m, ops, s1, b1, b2_session, reg] = x;

  json::object r = ops.Call({{"op", "members.list"}});
  REQUIRE(Code(r) == "");
  const json::object* b2 = FindBy(List(r, "members"), "member", "B2");
  REQUIRE(b2);
  CHECK(b2->at("roles").as_array().size() == 2);
  CHECK(b2->at("status").as_string() == "active");
  CHECK(Code(b1.Call({{"op", "members.list"}})) == "FORBIDDEN");

  REQUIRE(Code(ops.Call({{"op", "attestation.register"}, {"attestation", "ATT-B2"}, {"member", "B2"},
                         {"dataset", std::string(64, 'b')}, {"assessor", "Firm"},
                         {"licences", json::array{"training", "evaluation"}}, {"tier", 1},
                         {"issued_at", NowMs() - 1000}, {"expires_at", NowMs() + 3'600'000}})) == "");
  REQUIRE(Code(ops.Call({{"op", "attestation.revoke"}, {"attestation", "ATT-B2"}, {"reason", "audit"}})) == "");
  r = ops.Call({{"op", "attestations.list"}});
  REQUIRE(Code(r) == "");
  CHECK(List(r, "attestations").size() == 2);
  const json::object* revoked = FindBy(List(r, "attestations"), "attestation", "ATT-B2");
  REQUIRE(revoked);
  CHECK(revoked->at("status").as_string() == "revoked");
  CHECK(revoked->at("reason").as_string() == "audit");
  CHECK(revoked->at("licences").as_array().size() == 2);
  r = s1.Call({{"op", "attestations.list"}});  // a member sees its own only
  REQUIRE(List(r, "attestations").size() == 1);
  CHECK(List(r, "attestations")[0].as_object().at("attestation").as_string() == "ATT-1");
  CHECK(List(b1.Call({{"op", "attestations.list"}}), "attestations").empty());

  REQUIRE(Code(ops.Call({{"op", "voucher.program.create"}, {"program", "SZ"}, {"rate_bps", 3000},
                         {"member_cap", 1'000'000}, {"budget", 5'000'000}, {"year", 2026}})) == "");
  REQUIRE(Code(ops.Call({{"op", "voucher.enrol"}, {"program", "SZ"}, {"member", "B1"}})) == "");
  r = reg.Call({{"op", "voucher.programs"}});
  REQUIRE(Code(r) == "");
  REQUIRE(List(r, "programs").size() == 1);
  CHECK(List(r, "programs")[0].as_object().at("budget_left").as_int64() == 5'000'000);
  r = b1.Call({{"op", "voucher.usage"}});
  REQUIRE(Code(r) == "");
  REQUIRE(List(r, "programs").size() == 1);
  CHECK(List(r, "programs")[0].as_object().at("left").as_int64() == 1'000'000);
  CHECK(List(s1.Call({{"op", "voucher.usage"}}), "programs").empty());
  CHECK(Code(ops.Call({{"op", "voucher.usage"}})) == "FORBIDDEN");
  // Operators read claims and ledgers (they settle claims); trades stay the regulator's.
  CHECK(Code(ops.Call({{"op", "report.claims"}, {"program", "SZ"}})) == "");
  CHECK(Code(ops.Call({{"op", "report.vouchers"}, {"program", "SZ"}})) == "");
  CHECK(Code(ops.Call({{"op", "report.trades"}, {"from", 0}, {"to", 1}})) == "FORBIDDEN");
}

TEST_CASE("the web console's files are served on the exchange's port", "[it][http]") {
  namespace fs = std::filesystem;
  fs::path web = fs::temp_directory_path() / ("corpex-web-" + std::to_string(NowMs()));
  fs::create_directories(web / "assets");
  std::ofstream(web / "index.html") << "<!doctype html><title>corpex</title>";
  std::ofstream(web / "assets" / "app-1a2b.js") << "console.log(1)";
  Daemon d("", false, web.string());
  REQUIRE(d.Start());
  unsigned status = 0;
  std::string type;
  CHECK(HttpGet(d.port(), "/", &status, &type) == "<!doctype html><title>corpex</title>");
  CHECK(status == 200);
  CHECK(type == "text/html; charset=utf-8");
  CHECK(HttpGet(d.port(), "/assets/app-1a2b.js?v=2", &status, &type) == "console.log(1)");
  CHECK(status == 200);
  CHECK(type == "text/javascript; charset=utf-8");
  HttpGet(d.port(), "/../index.html", &status);
  CHECK(status == 404);
  HttpGet(d.port(), "/assets/missing.js", &status);
  CHECK(status == 404);
  CHECK(HttpGet(d.port(), "/health", &status) == "ok\n");  // the API paths still win
  fs::remove_all(web);
}
