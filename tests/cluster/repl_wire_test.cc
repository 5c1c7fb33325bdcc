// The replication messages round-trip, refuse what is cut short, and the
// epoch history answers which leader wrote a seq; the cluster's config keys.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <unistd.h>

#include "gateway/cluster/epochs.h"
#include "gateway/cluster/repl_wire.h"
#include "gateway/config.h"

namespace corpex::cluster {
namespace {

std::string_view Body(const std::string& message) { return std::string_view(message).substr(4); }

}  // namespace

TEST_CASE("replication messages round-trip with their length prefix", "[cluster][wire]") {
  std::string m;
  Encode(Hello{"node-a", 42, 7}, &m);
  REQUIRE(m.size() > 4);
  CHECK(size_t{static_cast<uint8_t>(m[0])} + (size_t{static_cast<uint8_t>(m[1])} << 8) == m.size() - 4);
  Hello h;
  REQUIRE(Decode(Body(m), &h).ok());
  CHECK(h.node == "node-a");
  CHECK(h.last_seq == 42);
  CHECK(h.last_epoch == 7);

  m.clear();
  Encode(Welcome{9, {{3, 1}, {9, 120}}}, &m);
  Welcome w;
  REQUIRE(TypeOf(Body(m)) == MsgType::kWelcome);
  REQUIRE(Decode(Body(m), &w).ok());
  CHECK(w.epoch == 9);
  CHECK(w.history == std::vector<EpochStart>{{3, 1}, {9, 120}});

  m.clear();
  Record a{5, std::string("\x01\x02\0cmd", 6), ""}, b{6, "x", "key-hash"};
  EncodeRecords(9, {&a, &b}, &m);
  uint64_t epoch = 0;
  std::vector<Record> got;
  REQUIRE(DecodeRecords(Body(m), &epoch, &got).ok());
  CHECK(epoch == 9);
  REQUIRE(got.size() == 2);
  CHECK(got[0].seq == 5);
  CHECK(got[0].command == a.command);
  CHECK(got[1].member_key == "key-hash");

  m.clear();
  Encode(Ack{100, 90}, &m);
  Ack ack;
  REQUIRE(Decode(Body(m), &ack).ok());
  CHECK(ack.applied == 100);
  CHECK(ack.durable == 90);
}

TEST_CASE("a cut-short or mistyped replication message is refused", "[cluster][wire]") {
  std::string m;
  Record a{5, "command-bytes", "k"};
  EncodeRecords(9, {&a}, &m);
  std::string_view body = Body(m);
  for (size_t n = 0; n < body.size(); ++n) {
    uint64_t epoch = 0;
    std::vector<Record> got;
    INFO("cut at " << n);
    CHECK(!DecodeRecords(body.substr(0, n), &epoch, &got).ok());
  }
  Hello h;
  CHECK(!Decode(body, &h).ok());  // a Records message is not a Hello
  // A count far beyond what the bytes could hold is refused before allocating.
  std::string huge;
  EncodeRecords(1, {}, &huge);
  huge[4 + 1 + 8] = '\xff';
  huge[4 + 1 + 9] = '\xff';
  uint64_t epoch = 0;
  std::vector<Record> got;
  CHECK(!DecodeRecords(Body(huge), &epoch, &got).ok());
}

TEST_CASE("EpochOf names the leader that wrote a seq", "[cluster][wire]") {
  const std::vector<EpochStart> h{{4, 1}, {8, 30000}, {12, 30001}};
  CHECK(EpochOf(h, 0) == 0);
  CHECK(EpochOf(h, 1) == 4);
  CHECK(EpochOf(h, 29999) == 4);
  CHECK(EpochOf(h, 30000) == 8);
  CHECK(EpochOf(h, 1'000'000) == 12);
  CHECK(EpochOf({}, 5) == 0);
}

TEST_CASE("the epoch log survives a reload and refuses a history that goes back", "[cluster][epochs]") {
  char tmpl[] = "/tmp/corpex-epochs-XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  const std::string path = dir + "/epochs";
  auto log = EpochLog::Load(path);
  REQUIRE(log.ok());
  CHECK(log->history().empty());
  CHECK(log->newest() == 0);
  REQUIRE(log->Save({{4, 1}, {8, 300}}).ok());
  auto again = EpochLog::Load(path);
  REQUIRE(again.ok());
  CHECK(again->history() == std::vector<EpochStart>{{4, 1}, {8, 300}});
  CHECK(again->newest() == 8);
  {
    FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("8 300\n4 400\n", f);
    std::fclose(f);
  }
  CHECK(!EpochLog::Load(path).ok());
  (void)!std::system(("rm -rf '" + dir + "'").c_str());
}

TEST_CASE("cluster config: replicated modes need a cluster and a cluster needs one", "[cluster][config]") {
  const std::string base = R"({"listen": "127.0.0.1:0", "data_dir": "d")";
  const std::string cluster =
      R"(, "cluster": {"name": "a", "etcd": "127.0.0.1:2379", "replication_listen": "127.0.0.1:9101"})";
  auto ok = gw::ParseConfig(base + R"(, "durability": "replicated")" + cluster + "}");
  REQUIRE(ok.ok());
  CHECK(ok->clustered);
  CHECK(ok->durability == gw::Durability::kReplicated);
  CHECK(ok->cluster.lease_ttl_ms == 2000);
  CHECK(ok->cluster.id == "corpex");
  CHECK(!gw::ParseConfig(base + cluster + "}").ok());                                 // local with a cluster
  CHECK(!gw::ParseConfig(base + R"(, "durability": "replicated"})").ok());              // no cluster
  CHECK(!gw::ParseConfig(base + R"(, "durability": "REPLICATED")" + cluster + "}").ok());  // exact spelling
  CHECK(!gw::ParseConfig(base + R"(, "durability": "replicated", "cluster": {"name": "a b", "etcd": "e:1",
        "replication_listen": "h:2"}})").ok());
  CHECK(!gw::ParseConfig(base + R"(, "durability": "replicated", "cluster": {"name": "a", "etcd": "e:1",
        "replication_listen": "h:2", "lease_ttl_ms": 500}})").ok());
  CHECK(!gw::ParseConfig(base + R"(, "durability": "replicated", "cluster": {"name": "a", "etcd": "e:1",
        "replication_listen": "h:2", "extra": 1}})").ok());
}

}  // namespace corpex::cluster
