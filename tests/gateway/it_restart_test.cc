// Durability through corpexd: SIGKILL, restart, everything acknowledged is back.
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

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

namespace {

// A snapshot the forked child has finished writing (its final name, not .tmp).
bool SnapshotFileWritten(const std::string& db_dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(db_dir + "/corpex-snapshots", ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("snapshot-", 0) == 0 && name.size() > 4 && name.substr(name.size() - 4) == ".bin")
      return true;
  }
  return false;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

// corpexd's own periodic snapshots (a forked child, every "snapshot_every"
// commands), then SIGKILL: the restart loads the snapshot, replays only the
// journal after it, and every acknowledged order and trade is back.
TEST_CASE("SIGKILL after periodic snapshots restores from the snapshot and the journal after it",
          "[it][restart]") {
  Daemon d("", false, "", R"("snapshot_every": 100)");
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client s1(d.port()), b1(d.port());
  REQUIRE(Code(s1.Login("S1", m.s1)) == "");
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");
  // Asks of 5 at 100 prices; each buy of 5 takes the best one whole: one fill.
  int64_t resting_qty = 0;
  auto sell = [&](int i) {
    json::object r = s1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"},
                              {"qty", 5}, {"price", 1000 + 100 * (i % 100)}, {"tif", "GTC"},
                              {"client_order_id", "s" + std::to_string(i)}, {"attestation", "ATT-1"}});
    REQUIRE(Code(r) == "");
    resting_qty += 5;
  };
  int trades = 0;
  auto buy = [&](int i) {
    json::object r = b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"},
                              {"qty", 5}, {"price", 100000}, {"tif", "IOC"},
                              {"client_order_id", "b" + std::to_string(i)}});
    REQUIRE(Code(r) == "");
    REQUIRE(r.at("result").as_object().at("fills").as_array().size() == 1);
    resting_qty -= 5;
    ++trades;
  };
  for (int i = 0; i < 160; ++i) sell(i);
  for (int i = 0; i < 40; ++i) buy(i);
  // The child writes in the background; wait for its file, then give the
  // store commands to notice it is done and commit the snapshot's meta.
  const std::string db = d.dir() + "/data/db";
  for (int i = 0; i < 100 && !SnapshotFileWritten(db); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  REQUIRE(SnapshotFileWritten(db));
  for (int i = 160; i < 230; ++i) sell(i);
  for (int i = 40; i < 60; ++i) buy(i);
  // The operator sees it written (`status` counts the snapshots this process
  // committed); recovery starts from the latest committed one.
  Client ops(d.port());
  REQUIRE(Code(ops.Login("ops", kOpsSecret)) == "");
  int64_t snapshots = 0;
  for (int i = 0; i < 100 && snapshots == 0; ++i) {
    json::object st = ops.Call({{"op", "status"}});
    REQUIRE(Code(st) == "");
    snapshots = st.at("result").as_object().at("snapshots").as_int64();
    CHECK(st.at("result").as_object().at("snapshot_failures").as_int64() == 0);
    if (snapshots == 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(snapshots >= 1);
  d.Kill(SIGKILL);
  REQUIRE(d.Start());

  // stdout names the snapshot recovery started from and what it replayed.
  const std::string log = ReadFile(d.dir() + "/stdout.txt");
  // "corpexd recovered seq N: snapshot at seq S, R journaled commands ..."
  size_t pos = 0;
  auto number_after = [&](const std::string& label) -> long {
    pos = log.find(label, pos);
    if (pos == std::string::npos) return pos = 0, -1;
    return std::stol(log.substr(pos += label.size()));
  };
  const long last = number_after("recovered seq ");
  const long at = number_after("snapshot at seq ");
  const long replayed = number_after(", ");
  INFO(log);
  REQUIRE(last > 0);
  CHECK(at >= 100);
  CHECK(at + replayed == last);
  CHECK(replayed < last);

  Client s1b(d.port());
  REQUIRE(Code(s1b.Login("S1", m.s1)) == "");
  json::object r = s1b.Call({{"op", "orders.open"}});
  REQUIRE(Code(r) == "");
  int64_t open_qty = 0;
  for (const auto& o : r.at("result").as_object().at("orders").as_array())
    open_qty += o.as_object().at("open_qty").as_int64();
  CHECK(open_qty == resting_qty);

  Client reg(d.port());
  REQUIRE(Code(reg.Login("csrc", kRegSecret)) == "");
  r = reg.Call({{"op", "report.trades"}, {"from", 0}, {"to", NowMs() + 60000}, {"limit", 1000}});
  REQUIRE(Code(r) == "");
  const json::array& list = r.at("result").as_object().at("trades").as_array();
  REQUIRE(list.size() == static_cast<size_t>(trades));
  std::string prev(64, '0');
  for (const auto& t : list) {
    CHECK(t.as_object().at("prev_hash").as_string() == prev);
    prev = std::string(t.as_object().at("hash").as_string());
  }

  // The engine goes on from where the journal ended: the next trade id follows.
  Client b1b(d.port());
  REQUIRE(Code(b1b.Login("B1", m.b1)) == "");
  r = b1b.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 1},
                {"price", 100000}, {"tif", "IOC"}, {"client_order_id", "after"}});
  REQUIRE(Code(r) == "");
  CHECK(r.at("result").as_object().at("fills").as_array()[0].as_object().at("trade_id").as_int64() ==
        trades + 1);
}
