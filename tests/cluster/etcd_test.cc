// gateway/cluster/etcd.h against a real single-node etcd: leases, the
// create-if-absent election txn, the epoch's monotonic revision, and calls
// that give up in time when etcd is stopped or paused.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "gateway/cluster/etcd.h"
#include "tests/support/etcd_server.h"

using namespace corpex;
using namespace corpex::test;
using namespace std::chrono_literals;
using cluster::Etcd;
using Clock = std::chrono::steady_clock;

namespace {

int64_t MsSince(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("Parse takes HOST:PORT with or without http:// and refuses the rest", "[cluster][etcd]") {
  auto a = Etcd::Parse("127.0.0.1:2379", 1000ms);
  REQUIRE(a.ok());
  CHECK(a->endpoint() == "127.0.0.1:2379");
  auto b = Etcd::Parse("http://127.0.0.1:2379/", 1000ms);
  REQUIRE(b.ok());
  CHECK(b->endpoint() == "127.0.0.1:2379");
  CHECK(Etcd::Parse("localhost:2379", 1000ms).ok());
  CHECK(Etcd::Parse("[::1]:2379", 1000ms).ok());
  for (const char* bad : {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:12x",
                          "https://127.0.0.1:2379", "::1:2379"}) {
    INFO(bad);
    CHECK(!Etcd::Parse(bad, 1000ms).ok());
  }
  CHECK(!Etcd::Parse("127.0.0.1:2379", 0ms).ok());
  // A default-made client fails every call instead of hanging or crashing.
  Etcd none;
  CHECK(!none.GrantLease(5).ok());
  CHECK(!none.Get("k").ok());
}

TEST_CASE("a lease is granted and kept alive; revoked, it is unknown", "[cluster][etcd]") {
  EtcdServer server;
  REQUIRE(server.Start());
  Etcd etcd = server.Client();
  int64_t granted = 0;
  auto lease = etcd.GrantLease(5, &granted);
  REQUIRE(lease.ok());
  CHECK(*lease != 0);
  CHECK(granted == 5);
  auto ttl = etcd.KeepAlive(*lease);
  REQUIRE(ttl.ok());
  CHECK(*ttl > 0);
  CHECK(*ttl <= 5);

  REQUIRE(etcd.Revoke(*lease).ok());
  auto gone = etcd.KeepAlive(*lease);
  REQUIRE(!gone.ok());
  CHECK(gone.status().code() == ErrorCode::kNotFound);
  Status again = etcd.Revoke(*lease);
  CHECK(again.code() == ErrorCode::kNotFound);
  CHECK(Contains(again.message(), "etcd " + server.endpoint() + " lease/revoke: "));
  // A lease etcd never granted is unknown too.
  CHECK(etcd.KeepAlive(12345).status().code() == ErrorCode::kNotFound);
}

TEST_CASE("Put and Get carry any bytes; an absent key is nullopt", "[cluster][etcd]") {
  EtcdServer server;
  REQUIRE(server.Start());
  Etcd etcd = server.Client();
  auto none = etcd.Get("corpex/absent");
  REQUIRE(none.ok());
  CHECK(!none->has_value());

  const std::string key("bin\0key\xff", 8), value("v\0\x01\x80\xfe", 5);
  int64_t before = 0, after = 0;
  REQUIRE(etcd.Get(key, &before).ok());
  REQUIRE(etcd.Put(key, value).ok());
  auto got = etcd.Get(key, &after);
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK((*got)->key == key);
  CHECK((*got)->value == value);
  CHECK((*got)->lease == 0);
  CHECK(after == before + 1);
  CHECK((*got)->create_revision == after);
  CHECK((*got)->mod_revision == after);

  // A host name works too ("localhost" may resolve to ::1 first; etcd listens on 127.0.0.1).
  auto by_name = Etcd::Parse("localhost:" + std::to_string(server.port()), 2000ms);
  REQUIRE(by_name.ok());
  auto named = by_name->Get(key);
  REQUIRE(named.ok());
  CHECK(named->has_value());

  // etcd leaves an empty value out of its JSON; it reads back as "".
  REQUIRE(etcd.Put("corpex/empty", "").ok());
  auto empty = etcd.Get("corpex/empty");
  REQUIRE(empty.ok());
  REQUIRE(empty->has_value());
  CHECK((*empty)->value.empty());
}

TEST_CASE("CreateIfAbsent wins once; a second contender sees the holder", "[cluster][etcd]") {
  EtcdServer server;
  REQUIRE(server.Start());
  Etcd a = server.Client(), b = server.Client();
  auto la = a.GrantLease(10), lb = b.GrantLease(10);
  REQUIRE(la.ok());
  REQUIRE(lb.ok());

  auto won = a.CreateIfAbsent("corpex/leader", "node-a", *la);
  REQUIRE(won.ok());
  CHECK(won->won);
  CHECK(won->revision > 0);

  auto lost = b.CreateIfAbsent("corpex/leader", "node-b", *lb);
  REQUIRE(lost.ok());
  CHECK(!lost->won);
  CHECK(lost->holder.key == "corpex/leader");
  CHECK(lost->holder.value == "node-a");
  CHECK(lost->holder.create_revision == won->revision);
  CHECK(lost->holder.lease == *la);

  // The winner's own second try loses too: the key is there, whoever made it.
  auto again = a.CreateIfAbsent("corpex/leader", "node-a", *la);
  REQUIRE(again.ok());
  CHECK(!again->won);
  CHECK(again->holder.create_revision == won->revision);

  auto stored = b.Get("corpex/leader");
  REQUIRE(stored.ok());
  REQUIRE(stored->has_value());
  CHECK((*stored)->value == "node-a");
  CHECK((*stored)->create_revision == won->revision);
}

TEST_CASE("Revoke deletes the key at once, and the next leader's epoch is higher", "[cluster][etcd]") {
  EtcdServer server;
  REQUIRE(server.Start());
  Etcd etcd = server.Client();
  auto l1 = etcd.GrantLease(30);
  REQUIRE(l1.ok());
  auto first = etcd.CreateIfAbsent("corpex/leader", "node-a", *l1);
  REQUIRE(first.ok());
  REQUIRE(first->won);

  REQUIRE(etcd.Revoke(*l1).ok());
  auto gone = etcd.Get("corpex/leader");
  REQUIRE(gone.ok());
  CHECK(!gone->has_value());

  auto l2 = etcd.GrantLease(30);
  REQUIRE(l2.ok());
  auto second = etcd.CreateIfAbsent("corpex/leader", "node-b", *l2);
  REQUIRE(second.ok());
  REQUIRE(second->won);
  CHECK(second->revision > first->revision);

  // Unrelated writes move the revision on too; a third epoch is higher still.
  REQUIRE(etcd.Put("corpex/other", "x").ok());
  bool deleted = false;
  REQUIRE(etcd.DeleteIf("corpex/leader", second->revision, &deleted).ok());
  REQUIRE(deleted);
  auto third = etcd.CreateIfAbsent("corpex/leader", "node-a", 0);
  REQUIRE(third.ok());
  REQUIRE(third->won);
  CHECK(third->revision > second->revision + 1);
}

TEST_CASE("a key under a lease nobody keeps alive disappears after the TTL", "[cluster][etcd]") {
  EtcdServer server;
  REQUIRE(server.Start());
  Etcd etcd = server.Client();
  int64_t ttl = 0;
  auto lease = etcd.GrantLease(1, &ttl);  // etcd raises it to its minimum (2 s with default timings)
  REQUIRE(lease.ok());
  REQUIRE(ttl >= 1);
  REQUIRE(etcd.CreateIfAbsent("corpex/leader", "node-a", *lease)->won);
  const auto t0 = Clock::now();
  auto present = etcd.Get("corpex/leader");
  REQUIRE(present.ok());
  REQUIRE(present->has_value());
  CHECK((*present)->lease == *lease);

  bool gone = false;
  while (!gone && MsSince(t0) < (ttl + 3) * 1000) {
    auto r = etcd.Get("corpex/leader");
    REQUIRE(r.ok());
    gone = !r->has_value();
    if (!gone) std::this_thread::sleep_for(100ms);
  }
  CHECK(gone);
  CHECK(MsSince(t0) >= (ttl - 1) * 1000);  // not before its time
  CHECK(etcd.KeepAlive(*lease).status().code() == ErrorCode::kNotFound);
}

TEST_CASE("a lease kept alive outlives its TTL", "[cluster][etcd]") {
  EtcdServer server;
  REQUIRE(server.Start());
  Etcd etcd = server.Client();
  int64_t ttl = 0;
  auto lease = etcd.GrantLease(2, &ttl);
  REQUIRE(lease.ok());
  REQUIRE(etcd.CreateIfAbsent("corpex/leader", "node-a", *lease)->won);
  const auto t0 = Clock::now();
  while (MsSince(t0) < (ttl + 2) * 1000) {
    auto left = etcd.KeepAlive(*lease);
    REQUIRE(left.ok());
    CHECK(*left == ttl);
    std::this_thread::sleep_for(500ms);
  }
  auto still = etcd.Get("corpex/leader");
  REQUIRE(still.ok());
  CHECK(still->has_value());
}

TEST_CASE("DeleteIf with a stale create revision deletes nothing", "[cluster][etcd]") {
  EtcdServer server;
  REQUIRE(server.Start());
  Etcd etcd = server.Client();
  auto mine = etcd.CreateIfAbsent("corpex/leader", "node-a", 0);
  REQUIRE(mine.ok());
  REQUIRE(mine->won);

  bool deleted = true;
  REQUIRE(etcd.DeleteIf("corpex/leader", mine->revision - 1, &deleted).ok());
  CHECK(!deleted);
  REQUIRE(etcd.DeleteIf("corpex/leader", mine->revision + 100, &deleted).ok());
  CHECK(!deleted);
  auto still = etcd.Get("corpex/leader");
  REQUIRE(still.ok());
  CHECK(still->has_value());

  REQUIRE(etcd.DeleteIf("corpex/leader", mine->revision, &deleted).ok());
  CHECK(deleted);
  auto gone = etcd.Get("corpex/leader");
  REQUIRE(gone.ok());
  CHECK(!gone->has_value());
  // Deleting what is not there is not an error.
  REQUIRE(etcd.DeleteIf("corpex/leader", mine->revision, &deleted).ok());
  CHECK(!deleted);
}

namespace {

// Every call fails, each within the client's timeout (+500 ms of slack),
// with one line naming the endpoint and the call.
void EveryCallFailsInTime(Etcd& etcd) {
  const int64_t limit = etcd.timeout().count() + 500;
  auto check = [&](const Status& st, const char* call) {
    INFO(call << ": " << st.message());
    CHECK(!st.ok());
    CHECK(Contains(st.message(), "etcd " + etcd.endpoint() + " " + call + ": "));
    CHECK(st.message().find('\n') == std::string::npos);
  };
  auto t0 = Clock::now();
  check(etcd.GrantLease(5).status(), "lease/grant");
  CHECK(MsSince(t0) <= limit);
  t0 = Clock::now();
  check(etcd.KeepAlive(1).status(), "lease/keepalive");
  CHECK(MsSince(t0) <= limit);
  t0 = Clock::now();
  check(etcd.Revoke(1), "lease/revoke");
  CHECK(MsSince(t0) <= limit);
  t0 = Clock::now();
  check(etcd.Get("k").status(), "kv/range");
  CHECK(MsSince(t0) <= limit);
  t0 = Clock::now();
  check(etcd.CreateIfAbsent("k", "v", 0).status(), "kv/txn");
  CHECK(MsSince(t0) <= limit);
  t0 = Clock::now();
  check(etcd.Put("k", "v"), "kv/put");
  CHECK(MsSince(t0) <= limit);
  t0 = Clock::now();
  check(etcd.DeleteIf("k", 1), "kv/txn");
  CHECK(MsSince(t0) <= limit);
}

}  // namespace

TEST_CASE("against a stopped etcd or a closed port every call fails in time", "[cluster][etcd]") {
  SECTION("stopped etcd") {
    EtcdServer server;
    REQUIRE(server.Start());
    Etcd etcd = server.Client(1000ms);
    REQUIRE(etcd.Get("k").ok());
    server.Stop();
    EveryCallFailsInTime(etcd);
    Status st = etcd.Put("k", "v");
    CHECK(st.code() == ErrorCode::kIOError);
    CHECK(Contains(st.message(), "connection refused"));
  }
  SECTION("a port nobody listens on") {
    auto etcd = Etcd::Parse("127.0.0.1:" + std::to_string(FreeLoopbackPort()), 1000ms);
    REQUIRE(etcd.ok());
    EveryCallFailsInTime(*etcd);
  }
}

TEST_CASE("against a paused etcd a call gives up in time, and works once it resumes", "[cluster][etcd]") {
  EtcdServer server;
  REQUIRE(server.Start());
  Etcd etcd = server.Client(1000ms);
  auto lease = etcd.GrantLease(30);
  REQUIRE(lease.ok());

  REQUIRE(server.Pause());
  // A frozen etcd's kernel still accepts the connection; nothing answers.
  EveryCallFailsInTime(etcd);
  auto t0 = Clock::now();
  Status st = etcd.Get("k").status();
  CHECK(MsSince(t0) >= 900);
  CHECK(st.code() == ErrorCode::kIOError);
  CHECK(Contains(st.message(), "timed out after 1000 ms"));

  REQUIRE(server.Resume());
  auto ttl = etcd.KeepAlive(*lease);
  REQUIRE(ttl.ok());
  CHECK(*ttl > 0);
  auto won = etcd.CreateIfAbsent("corpex/leader", "node-a", *lease);
  REQUIRE(won.ok());
  CHECK(won->won);
}

TEST_CASE("an EtcdServer restarts on its data after Stop", "[cluster][etcd]") {
  EtcdServer server;
  REQUIRE(server.Start());
  Etcd etcd = server.Client();
  REQUIRE(etcd.Put("corpex/kept", "yes").ok());
  server.Stop();
  CHECK(!server.running());
  REQUIRE(server.Start());
  auto kept = etcd.Get("corpex/kept");
  REQUIRE(kept.ok());
  REQUIRE(kept->has_value());
  CHECK((*kept)->value == "yes");
}

TEST_CASE("an EtcdServer whose port another etcd holds moves to fresh ports, and pauses only itself",
          "[cluster][etcd]") {
  EtcdServer first;
  REQUIRE(first.Start());
  EtcdServer second;
  second.PreferPorts(first.port(), FreeLoopbackPort());
  REQUIRE(second.Start());  // first answers on that port, but is not second's etcd
  CHECK(second.port() != first.port());
  Etcd a = first.Client(1000ms), b = second.Client(1000ms);
  REQUIRE(b.Put("corpex/whose", "second").ok());
  auto seen = a.Get("corpex/whose");
  REQUIRE(seen.ok());
  CHECK(!seen->has_value());

  REQUIRE(second.Pause());
  CHECK(!b.Get("k").ok());
  CHECK(a.Get("k").ok());
  REQUIRE(second.Resume());
  CHECK(b.Get("k").ok());
}
