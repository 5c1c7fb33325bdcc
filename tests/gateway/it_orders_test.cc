// Member order ops end to end: results, fills, executions to both sides,
// cancel, orders.open, cancel-on-disconnect.
#include <catch2/catch.hpp>

#include <thread>

#include "harness.h"

using namespace corpex::test;

namespace {
json::object Sell(int64_t qty, int64_t price, const char* coid) {
  return {{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"}, {"qty", qty},
          {"price", price}, {"tif", "GTC"}, {"client_order_id", coid}, {"attestation", "ATT-1"}};
}
json::object Buy(int64_t qty, int64_t price, const char* coid, const char* tif = "GTC") {
  return {{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", qty},
          {"price", price}, {"tif", tif}, {"client_order_id", coid}};
}
const json::object& Res(const json::object& r) { return r.at("result").as_object(); }
}  // namespace

TEST_CASE("an order round trip: fill seen by both members", "[it][orders]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client s1(d.port()), b1(d.port());
  REQUIRE(Code(s1.Login("S1", m.s1)) == "");
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");

  json::object r = s1.Call(Sell(10, 500, "s-1"));
  REQUIRE(Code(r) == "");
  CHECK(Res(r).at("status").as_string() == "new");
  CHECK(Res(r).at("open_qty").as_int64() == 10);
  CHECK(Res(r).at("client_order_id").as_string() == "s-1");
  int64_t sell_id = Res(r).at("order_id").as_int64();

  r = b1.Call(Buy(4, 500, "b-1", "IOC"));
  REQUIRE(Code(r) == "");
  CHECK(Res(r).at("status").as_string() == "filled");
  CHECK(Res(r).at("filled_qty").as_int64() == 4);
  const json::array& fills = Res(r).at("fills").as_array();
  REQUIRE(fills.size() == 1);
  const json::object& f = fills[0].as_object();
  CHECK(f.at("qty").as_int64() == 4);
  CHECK(f.at("price").as_int64() == 500);
  CHECK(f.at("notional").as_int64() == 2000);
  CHECK(f.at("liquidity").as_string() == "taker");
  CHECK(f.at("side").as_string() == "buy");

  auto is_exec = [](const json::object& e) { return e.at("event").as_string() == "execution"; };
  json::object se = s1.Event(is_exec);
  REQUIRE(!se.empty());
  CHECK(se.at("order_id").as_int64() == sell_id);
  CHECK(se.at("liquidity").as_string() == "maker");
  CHECK(se.at("status").as_string() == "partially_filled");
  CHECK(se.at("open_qty").as_int64() == 6);
  CHECK(se.at("net_cost").as_int64() == 2000);
  json::object be = b1.Event(is_exec);
  REQUIRE(!be.empty());
  CHECK(be.at("side").as_string() == "buy");
  CHECK(be.at("status").as_string() == "filled");

  r = s1.Call({{"op", "orders.open"}});
  REQUIRE(Code(r) == "");
  const json::array& open = Res(r).at("orders").as_array();
  REQUIRE(open.size() == 1);
  CHECK(open[0].as_object().at("open_qty").as_int64() == 6);

  CHECK(Code(b1.Call({{"op", "order.cancel"}, {"order_id", sell_id}})) == "UNKNOWN_ORDER");
  CHECK(Code(s1.Call(Sell(1, 500, "s-1"))) == "DUPLICATE_CLIENT_ORDER_ID");
  CHECK(Code(s1.Call(Sell(1, 550, "s-odd"))) == "INVALID_PRICE");
  r = s1.Call({{"op", "order.replace"}, {"order_id", sell_id}, {"qty", 3}});
  REQUIRE(Code(r) == "");
  CHECK(Res(r).at("open_qty").as_int64() == 3);
  r = s1.Call({{"op", "order.cancel"}, {"client_order_id", "s-1"}});
  REQUIRE(Code(r) == "");
  CHECK(Res(r).at("status").as_string() == "canceled");
  CHECK(Res(r).at("canceled_qty").as_int64() == 3);
  CHECK(Res(r).at("reason").as_string() == "by_member");
}

TEST_CASE("cancel_on_disconnect cancels the session's orders", "[it][orders]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client watcher(d.port());
  REQUIRE(Code(watcher.Login("B2", m.b2)) == "");
  int64_t id = 0;
  {
    Client b2(d.port());
    REQUIRE(Code(b2.Login("B2", m.b2, 0, "", true)) == "");
    json::object r = b2.Call(Buy(2, 300, "cod-1"));
    REQUIRE(Code(r) == "");
    id = Res(r).at("order_id").as_int64();
  }  // drops the connection
  json::object e = watcher.Event([&](const json::object& e) {
    return e.at("event").as_string() == "execution" && e.at("order_id").as_int64() == id;
  });
  REQUIRE(!e.empty());
  CHECK(e.at("status").as_string() == "canceled");
  CHECK(e.at("reason").as_string() == "cancel_on_disconnect");
  json::object r = watcher.Call({{"op", "orders.open"}});
  CHECK(Res(r).at("orders").as_array().empty());
}

TEST_CASE("engine error codes reach the member unchanged", "[it][orders]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client ops(d.port()), b2(d.port());
  REQUIRE(Code(ops.Login("ops", kOpsSecret)) == "");
  REQUIRE(Code(b2.Login("B2", m.b2)) == "");
  REQUIRE(Code(ops.Call({{"op", "instrument.create"}, {"symbol", "T4"}, {"domain", "legal"},
                         {"language", "zh"}, {"modality", "text"}, {"licence", "training"},
                         {"term_months", 12}, {"tier", 4}, {"unit", "mtok"}, {"tick", 1},
                         {"lot", 1}})) == "");
  auto order = [&](const char* inst, const char* side, int64_t qty, int64_t price,
                   const char* coid) {
    return json::object{{"op", "order.new"}, {"instrument", inst}, {"side", side}, {"qty", qty},
                        {"price", price}, {"tif", "GTC"}, {"client_order_id", coid}};
  };
  CHECK(Code(b2.Call(order("NOPE", "buy", 1, 100, "a"))) == "UNKNOWN_INSTRUMENT");
  CHECK(Code(b2.Call(order("SYM", "buy", 0, 100, "a"))) == "INVALID_QTY");
  CHECK(Code(b2.Call(order("SYM", "buy", 1, 150, "a"))) == "INVALID_PRICE");
  CHECK(Code(b2.Call(order("SYM", "buy", 4611686018427387904, 100, "a"))) == "TOO_LARGE");
  CHECK(Code(b2.Call(order("T4", "buy", 1, 100, "a"))) == "TIER_NOT_QUALIFIED");
  CHECK(Code(b2.Call(order("SYM", "sell", 1, 100, "a"))) == "ATTESTATION_INVALID");
  json::object v = order("SYM", "buy", 1, 100, "a");
  v["voucher"] = "NOPE";
  CHECK(Code(b2.Call(v)) == "VOUCHER_INVALID");
  json::object gtd = order("SYM", "buy", 1, 100, "a");
  gtd["tif"] = "GTD";
  CHECK(Code(b2.Call(gtd)) == "INVALID_TIF");
  CHECK(Code(b2.Call({{"op", "order.replace"}, {"order_id", 999}, {"qty", 1}})) == "UNKNOWN_ORDER");
  CHECK(Code(b2.Call({{"op", "subscribe"}, {"channel", "executions"}})) == "");
}

// With more than one I/O thread each session runs on a strand of its own
// (listener.cc); the default single thread needs none. Two members send at
// once, each from its own thread, and every order is answered in its
// session's order; a sweep then fills all of them and the seller hears of
// every fill.
TEST_CASE("two I/O threads serve members sending at once", "[it][orders]") {
  Daemon d("", false, "", R"("io_threads": 2)");
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client s1(d.port()), b1(d.port());
  REQUIRE(Code(s1.Login("S1", m.s1)) == "");
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");

  constexpr int kOrders = 150;
  // Catch's checks are not thread-safe: each thread counts what went wrong.
  auto send = [](Client& c, bool sell, int* bad) {
    for (int i = 0; i < kOrders; ++i) {
      std::string coid = (sell ? "s-" : "b-") + std::to_string(i);
      json::object r = c.Call(sell ? Sell(1, 2000, coid.c_str()) : Buy(1, 1000, coid.c_str()));
      if (Code(r) != "" || Res(r).at("status").as_string() != "new" ||
          Res(r).at("client_order_id").as_string() != coid)
        ++*bad;
    }
  };
  int bad_sells = 0, bad_buys = 0;
  std::thread sells(send, std::ref(s1), true, &bad_sells);
  std::thread buys(send, std::ref(b1), false, &bad_buys);
  sells.join();
  buys.join();
  CHECK(bad_sells == 0);
  CHECK(bad_buys == 0);
  CHECK(Res(s1.Call({{"op", "orders.open"}})).at("orders").as_array().size() == kOrders);
  CHECK(Res(b1.Call({{"op", "orders.open"}})).at("orders").as_array().size() == kOrders);

  json::object r = b1.Call(Buy(kOrders, 2000, "sweep", "IOC"));
  REQUIRE(Code(r) == "");
  CHECK(Res(r).at("status").as_string() == "filled");
  CHECK(Res(r).at("fills").as_array().size() == kOrders);
  int seller_fills = 0;
  auto is_exec = [](const json::object& e) { return e.at("event").as_string() == "execution"; };
  while (seller_fills < kOrders && !s1.Event(is_exec).empty()) ++seller_fills;
  CHECK(seller_fills == kOrders);
}
