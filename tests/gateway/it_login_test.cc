// Login (SPEC §5): signatures, ts window, nonces, deadline, roles.
#include <catch2/catch.hpp>

#include "harness.h"

using namespace corpex::test;

TEST_CASE("login: success and each failure", "[it][login]") {
  Daemon d;
  REQUIRE(d.Start());
  Client c(d.port());
  REQUIRE(c.connected());

  json::object r = c.Call({{"op", "order.cancel"}, {"order_id", 1}});
  CHECK(Code(r) == "NOT_LOGGED_IN");
  CHECK(Code(c.Login("ops", "wrong-secret")) == "AUTH_FAILED");
  CHECK(Code(c.Login("ops", kOpsSecret, NowMs() - 31'000)) == "AUTH_FAILED");
  CHECK(Code(c.Login("ops", kOpsSecret, NowMs() + 31'000)) == "AUTH_FAILED");
  CHECK(Code(c.Login("nobody", kOpsSecret)) == "AUTH_FAILED");
  json::object ok = c.Login("ops", kOpsSecret, 0, "nonce-1");
  REQUIRE(Code(ok) == "");
  CHECK(ok.at("result").as_object().at("role").as_string() == "operator");
  CHECK(ok.at("result").as_object().at("user").as_string() == "ops");

  Client again(d.port());
  CHECK(Code(again.Login("ops", kOpsSecret, 0, "nonce-1")) == "AUTH_FAILED");  // replay
  CHECK(Code(again.Login("csrc", kRegSecret)) == "");
}

TEST_CASE("roles are enforced on every op", "[it][login]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  json::object order{{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 1},
                     {"price", 100}, {"tif", "GTC"}, {"client_order_id", "x"}};

  Client reg(d.port());
  REQUIRE(Code(reg.Login("csrc", kRegSecret)) == "");
  CHECK(Code(reg.Call(order)) == "FORBIDDEN");
  CHECK(Code(reg.Call({{"op", "member.kill"}, {"member", "B1"}})) == "FORBIDDEN");
  CHECK(Code(reg.Call({{"op", "subscribe"}, {"channel", "book"}, {"instrument", "SYM"}})) == "");

  Client ops(d.port());
  REQUIRE(Code(ops.Login("ops", kOpsSecret)) == "");
  CHECK(Code(ops.Call(order)) == "FORBIDDEN");
  CHECK(Code(ops.Call({{"op", "report.trades"}, {"from", 0}, {"to", 1}})) == "FORBIDDEN");
  CHECK(Code(ops.Call({{"op", "status"}})) == "");

  Client b1(d.port());
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");
  CHECK(Code(b1.Call({{"op", "member.create"}, {"member", "X"}, {"name", "x"}, {"group", "g"},
                      {"roles", {"buyer"}}, {"tier", 1}})) == "FORBIDDEN");
  CHECK(Code(b1.Call({{"op", "report.vouchers"}, {"program", "P"}})) == "FORBIDDEN");
  CHECK(Code(b1.Call({{"op", "status"}})) == "FORBIDDEN");
  CHECK(Code(b1.Call(order)) == "");
  // A buyer-only member may not sell (engine rule, through the gateway).
  order["side"] = "sell";
  order["client_order_id"] = "y";
  order["attestation"] = "ATT-1";
  CHECK(Code(b1.Call(order)) == "FORBIDDEN");
}

TEST_CASE("no login within 5 s closes the connection", "[it][login]") {
  Daemon d;
  REQUIRE(d.Start());
  Client c(d.port(), 8000);
  REQUIRE(c.connected());
  CHECK(c.WaitClosed());
}

TEST_CASE("suspended members cannot log in and are disconnected", "[it][login]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client b1(d.port());
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");
  Client ops(d.port());
  REQUIRE(Code(ops.Login("ops", kOpsSecret)) == "");
  REQUIRE(Code(ops.Call({{"op", "member.suspend"}, {"member", "B1"}})) == "");
  CHECK(b1.WaitClosed());
  Client again(d.port());
  CHECK(Code(again.Login("B1", m.b1)) == "MEMBER_SUSPENDED");
}
