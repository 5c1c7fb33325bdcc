// corpex-load against a real corpexd: a short counted run reports every
// order acknowledged and latency percentiles.
#include <catch2/catch.hpp>

#include "harness.h"
#include "tools_run.h"

using namespace corpex::test;

TEST_CASE("corpex-load runs a counted load and reports percentiles", "[tools][load]") {
  Daemon d;
  REQUIRE(d.Start());
  Run r = Tool(CORPEX_LOAD_PATH, "--members 2 --rate 200 --count 40 --json " + OpsFlags(d.port()));
  INFO(r.out);
  REQUIRE(r.rc == 0);
  std::string js = r.out.substr(r.out.find("{\"members\""));
  json::object o = json::parse(js).as_object();
  CHECK(o.at("acked").as_int64() == 40);
  CHECK(o.at("fills").as_int64() > 0);
  const json::object& lat = o.at("latency_us").as_object();
  CHECK(lat.at("p50").as_double() > 0);
  CHECK(lat.at("p50").as_double() <= lat.at("p99").as_double());
  CHECK(lat.at("p99.9").as_double() <= lat.at("max").as_double());
  // Flat out: every acknowledgement frees a slot, and the orders freed by a
  // burst of acknowledgements leave together (masked frames of our own).
  Run flat = Tool(CORPEX_LOAD_PATH, "--members 4 --window 16 --count 3000 --json " + OpsFlags(d.port()));
  INFO(flat.out);
  REQUIRE(flat.rc == 0);
  json::object f = json::parse(flat.out.substr(flat.out.find("{\"members\""))).as_object();
  CHECK(f.at("acked").as_int64() == 3000);
  CHECK(f.at("errors").as_object().empty());
  // A 1 ms tick at 2,000 orders/s: orders due between ticks leave together
  // at the next one, so they are late by up to the tick, counted from due.
  Run tick = Tool(CORPEX_LOAD_PATH, "--members 2 --rate 2000 --tick-us 1000 --count 200 --json " + OpsFlags(d.port()));
  INFO(tick.out);
  REQUIRE(tick.rc == 0);
  json::object t = json::parse(tick.out.substr(tick.out.find("{\"members\""))).as_object();
  CHECK(t.at("acked").as_int64() == 200);
  CHECK(t.at("tick_us").as_int64() == 1000);
  CHECK(t.at("send_lag_us").as_object().at("p99").as_double() >= 300);
  CHECK(t.at("send_lag_us").as_object().at("max").as_double() <= t.at("latency_us").as_object().at("max").as_double());
  CHECK(Tool(CORPEX_LOAD_PATH, "--rate 100 --tick-us 0 " + OpsFlags(d.port())).rc == 2);
  CHECK(Tool(CORPEX_LOAD_PATH, "--rate 100 --tick-us 1001 " + OpsFlags(d.port())).rc == 2);
  CHECK(Tool(CORPEX_LOAD_PATH, "--help").rc == 0);
  CHECK(Tool(CORPEX_LOAD_PATH, "--members 1 " + OpsFlags(d.port())).rc == 2);
}
