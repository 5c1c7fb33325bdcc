// Durability through corpexd: SIGKILL, restart, everything acknowledged is back.
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include "harness.h"

using namespace corpex::test;

TEST_CASE("SIGKILL and restart keep trades, resting orders and logins", "[it][restart]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  int64_t rest_id = 0;
  std::string nonce = "restart-nonce";
  {
    Client s1(d.port()), b1(d.port());
    REQUIRE(Code(s1.Login("S1", m.s1, 0, nonce)) == "");
    REQUIRE(Code(b1.Login("B1", m.b1)) == "");
    json::object r = s1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"},
                              {"qty", 10}, {"price", 500}, {"tif", "GTC"},
                              {"client_order_id", "keep"}, {"attestation", "ATT-1"}});
    REQUIRE(Code(r) == "");
    rest_id = r.at("result").as_object().at("order_id").as_int64();
    r = b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 3},
                 {"price", 500}, {"tif", "IOC"}, {"client_order_id", "t"}});
    REQUIRE(Code(r) == "");
    REQUIRE(r.at("result").as_object().at("fills").as_array().size() == 1);
  }
  d.Kill(SIGKILL);
  REQUIRE(d.Start());

  Client s1(d.port());
  CHECK(Code(s1.Login("S1", m.s1, 0, nonce)) == "AUTH_FAILED");  // nonce kept across restarts
  REQUIRE(Code(s1.Login("S1", m.s1)) == "");
  json::object r = s1.Call({{"op", "orders.open"}});
  const json::array& open = r.at("result").as_object().at("orders").as_array();
  REQUIRE(open.size() == 1);
  CHECK(open[0].as_object().at("order_id").as_int64() == rest_id);
  CHECK(open[0].as_object().at("open_qty").as_int64() == 7);

  Client reg(d.port());
  REQUIRE(Code(reg.Login("csrc", kRegSecret)) == "");
  r = reg.Call({{"op", "report.trades"}, {"from", 0}, {"to", NowMs() + 60000}});
  REQUIRE(Code(r) == "");
  const json::array& trades = r.at("result").as_object().at("trades").as_array();
  REQUIRE(trades.size() == 1);
  const json::object& t = trades[0].as_object();
  CHECK(t.at("qty").as_int64() == 3);
  CHECK(t.at("buyer").as_string() == "B1");
  CHECK(t.at("seller").as_string() == "S1");
  CHECK(t.at("prev_hash").as_string() == std::string(64, '0'));
  CHECK(t.at("hash").as_string().size() == 64);
  CHECK(r.at("result").as_object().at("next_cursor").is_null());

  // Trading goes on after the restart.
  Client b1(d.port());
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");
  r = b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 7},
               {"price", 500}, {"tif", "IOC"}, {"client_order_id", "t2"}});
  REQUIRE(Code(r) == "");
  CHECK(r.at("result").as_object().at("status").as_string() == "filled");
  CHECK(r.at("result").as_object().at("fills").as_array()[0].as_object().at("trade_id").as_int64() == 2);
}

TEST_CASE("SIGTERM stops corpexd cleanly", "[it][restart]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client idle(d.port());  // an open session must not hold the shutdown up
  REQUIRE(idle.connected());
  int status = d.Kill(SIGTERM);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  REQUIRE(d.Start());
  Client s1(d.port());
  CHECK(Code(s1.Login("S1", m.s1)) == "");
}
