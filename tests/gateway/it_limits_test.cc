// Malformed frames, oversize frames, the rate limit, and plain HTTP.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "harness.h"

using namespace corpex::test;

namespace {
json::object Parse(const std::string& s) { return json::parse(s).as_object(); }
}  // namespace

TEST_CASE("malformed frames get errors and the session goes on", "[it][limits]") {
  Daemon d;
  REQUIRE(d.Start());
  Client c(d.port());
  REQUIRE(Code(c.Login("ops", kOpsSecret)) == "");

  c.SendText("{nope");
  json::object r = Parse(c.Read());
  CHECK(Code(r) == "BAD_JSON");
  CHECK(r.at("id").is_null());
  c.SendText(R"({"id":1.5,"op":"status"})");
  r = Parse(c.Read());
  CHECK(Code(r) == "BAD_REQUEST");
  CHECK(r.at("id").is_null());
  c.SendText(R"({"id":9})");
  r = Parse(c.Read());
  CHECK(Code(r) == "BAD_REQUEST");
  CHECK(r.at("id").is_null());
  c.SendText(R"({"id":"abc","op":"fly"})");
  r = Parse(c.Read());
  CHECK(Code(r) == "UNKNOWN_OP");
  CHECK(r.at("id").as_string() == "abc");
  c.SendText(R"({"id":3,"op":"member.kill","member":"X","extra":1})");
  r = Parse(c.Read());
  CHECK(Code(r) == "BAD_REQUEST");
  CHECK(r.at("error").as_object().at("message").as_string().find("extra") != std::string::npos);
  c.SendText(R"({"id":4,"op":"instrument.create","symbol":"A","domain":"d","language":"zh",
    "modality":"text","licence":"training","term_months":"12","tier":1,"unit":"mtok","tick":1,"lot":1})");
  CHECK(Code(Parse(c.Read())) == "BAD_REQUEST");

  std::string big = R"({"id":5,"op":"status","pad":")" + std::string(70000, 'x') + "\"}";
  c.SendText(big);
  r = Parse(c.Read());
  CHECK(Code(r) == "TOO_LARGE");
  CHECK(Code(c.Call({{"op", "status"}})) == "");  // still alive
}

TEST_CASE("orders over the per-member rate get RATE_LIMITED", "[it][limits]") {
  Daemon d(R"({"orders_per_second": 5})");
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client b1(d.port());
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");
  for (int i = 0; i < 12; ++i)
    b1.SendText(R"({"id":)" + std::to_string(100 + i) +
                R"(,"op":"order.new","instrument":"SYM","side":"buy","qty":1,"price":100,"tif":"GTC","client_order_id":"r)" +
                std::to_string(i) + "\"}");
  int ok = 0, limited = 0;
  for (int i = 0; i < 12; ++i) {
    json::object r = Parse(b1.Read());
    if (Code(r) == "") ++ok;
    if (Code(r) == "RATE_LIMITED") ++limited;
  }
  CHECK(ok >= 5);
  CHECK(ok <= 10);  // at most two one-second windows
  CHECK(limited == 12 - ok);
  json::object open = b1.Call({{"op", "orders.open"}});
  CHECK(static_cast<int>(open.at("result").as_object().at("orders").as_array().size()) == ok);
}

TEST_CASE("GET /health and /metrics on the same port", "[it][http]") {
  Daemon d;
  REQUIRE(d.Start());
  unsigned status = 0;
  CHECK(HttpGet(d.port(), "/health", &status) == "ok\n");
  CHECK(status == 200);
  Market m = SeedMarket(d.port());
  Client b1(d.port());
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");
  for (const char* coid : {"m1", "m2"})
    REQUIRE(Code(b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 1},
                          {"price", 100}, {"tif", "GTC"}, {"client_order_id", coid}})) == "");
  std::string metrics = HttpGet(d.port(), "/metrics", &status);
  CHECK(status == 200);
  auto value = [&](const std::string& name) {  // the sample's value, -1 when absent
    size_t at = metrics.find("\n" + name + " ");
    return at == std::string::npos ? -1.0 : std::stod(metrics.substr(at + name.size() + 2));
  };
  // Both orders went through every stage; each group commit is counted once.
  for (const char* st : {"decode", "sequence", "commit_wait", "commit", "release"})
    CHECK(value(std::string("corpex_stage_seconds_count{stage=\"") + st + "\"}") == 2);
  CHECK(value("corpex_stage_seconds{stage=\"commit\",quantile=\"1\"}") > 0);
  CHECK(value("corpex_group_commit_seconds_count") >= 2);
  CHECK(value("corpex_group_commit_seconds{quantile=\"1\"}") >=
        value("corpex_group_commit_seconds{quantile=\"0.5\"}"));
  CHECK(value("corpex_group_commit_seconds{quantile=\"0.5\"}") > 0);
  CHECK(metrics.find("corpex_orders_total") != std::string::npos);
  CHECK(metrics.find("corpex_rejects_total{code=\"BAD_JSON\"}") != std::string::npos);
  CHECK(metrics.find("corpex_durable_wait_seconds_bucket") != std::string::npos);
  CHECK(metrics.find("corpex_engine_queue_depth") != std::string::npos);
  // Seeding the market was acknowledged, so at least one group commit was written.
  size_t at = metrics.find("\ncorpex_group_commits_total ");
  REQUIRE(at != std::string::npos);
  CHECK(std::stoull(metrics.substr(at + 28)) >= 1);
  HttpGet(d.port(), "/nothing", &status);
  CHECK(status == 404);
}

TEST_CASE("max_open_orders per member", "[it][limits]") {
  Daemon d(R"({"max_open_orders": 2})");
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client b1(d.port()), s1(d.port());
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");
  REQUIRE(Code(s1.Login("S1", m.s1)) == "");
  auto buy = [&](const char* coid, const char* tif = "GTC") {
    return b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 1},
                    {"price", 100}, {"tif", tif}, {"client_order_id", coid}});
  };
  REQUIRE(Code(buy("a")) == "");
  json::object second = buy("b");
  REQUIRE(Code(second) == "");
  CHECK(Code(buy("c")) == "RATE_LIMITED");
  REQUIRE(Code(b1.Call({{"op", "order.cancel"}, {"client_order_id", "a"}})) == "");
  CHECK(Code(buy("d")) == "");
  // A sell that fills a resting buy frees its slot too.
  REQUIRE(Code(s1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"}, {"qty", 1},
                        {"price", 100}, {"tif", "IOC"}, {"client_order_id", "x"},
                        {"attestation", "ATT-1"}})) == "");
  CHECK(Code(buy("e")) == "");
  CHECK(Code(buy("f")) == "RATE_LIMITED");
}

TEST_CASE("a session silent for limits.idle_timeout_s is closed, one that talks is not", "[it][limits]") {
  Daemon d(R"({"idle_timeout_s": 1})");
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client talker(d.port()), pinger(d.port()), watcher(d.port()), silent(d.port()), brief(d.port());
  REQUIRE(Code(talker.Login("ops", kOpsSecret)) == "");
  REQUIRE(Code(pinger.Login("csrc", kRegSecret)) == "");
  REQUIRE(Code(watcher.Login("B2", m.b2)) == "");
  REQUIRE(Code(brief.Login("B1", m.b1)) == "");
  REQUIRE(Code(silent.Login("B2", m.b2, 0, "", true)) == "");
  json::object r = silent.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 1},
                                {"price", 300}, {"tif", "GTC"}, {"client_order_id", "idle-1"}});
  REQUIRE(Code(r) == "");
  const int64_t id = r.at("result").as_object().at("order_id").as_int64();
  const auto last_word = std::chrono::steady_clock::now();
  // Silent for less than the timeout: still served. (The pinger pings at
  // least every ~300 ms throughout, well inside the timeout even on a slow
  // sanitizer build.)
  pinger.Ping();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  pinger.Ping();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(Code(brief.Call({{"op", "orders.open"}})) == "");
  // Twice the timeout, with the talker and the watcher speaking throughout,
  // and the pinger only pinging.
  for (int i = 0; i < 8; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    CHECK(Code(talker.Call({{"op", "status"}})) == "");
    CHECK(Code(watcher.Call({{"op", "orders.open"}})) == "");
    pinger.Ping();
  }
  CHECK(Code(pinger.Call({{"op", "trades.recent"}, {"instrument", "SYM"}})) == "");
  // Closed by the time the loop ends (1-1.2 s after its last word), not
  // merely some time later.
  CHECK(silent.WaitClosed());
  CHECK(std::chrono::steady_clock::now() - last_word < std::chrono::seconds(6));
  // Closing it counts as a disconnect: its order is canceled.
  json::object e = watcher.Event([&](const json::object& e) {
    return e.at("event").as_string() == "execution" && e.at("order_id").as_int64() == id;
  });
  REQUIRE(!e.empty());
  CHECK(e.at("reason").as_string() == "cancel_on_disconnect");
}
