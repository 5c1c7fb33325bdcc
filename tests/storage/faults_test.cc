// Bad input and faults: a database that is not ours, not this version,
// locked, damaged or short of disk gives one clear line, never a fresh start
// over old data, and a failed write is never reported durable.
#include <rocksdb/db.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "storage/test_hooks.h"
#include "test_util.h"

namespace corpex::testing {
namespace {

std::string OpenError(const std::string& dir) {
  auto store = Store::Open(Options(dir));
  if (store.ok()) {
    auto r = (*store)->Recover();
    return r.ok() ? std::string() : r.status().message();
  }
  return store.status().message();
}

// Opens the database behind the store's back, as a raw RocksDB, to damage it.
struct RawDb {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs;
  explicit RawDb(const std::string& dir) {
    std::vector<std::string> names;
    REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), dir, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> d;
    for (const std::string& n : names) d.emplace_back(n, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(rocksdb::DBOptions(), dir, d, &cfs, &raw).ok());
    db.reset(raw);
  }
  rocksdb::ColumnFamilyHandle* cf(const std::string& name) {
    for (auto* h : cfs) {
      if (h->GetName() == name) return h;
    }
    FAIL("no column family " << name);
    return nullptr;
  }
  ~RawDb() {
    for (auto* h : cfs) db->DestroyColumnFamilyHandle(h);
    db->Close();
  }
};

std::string Be64(uint64_t v) {
  std::string k(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) k[i] = static_cast<char>(v & 0xFF);
  return k;
}

void MakeStore(const std::string& dir, Seq commands) {
  Live live(Options(dir));
  live.RunWorkload(17, commands);
  live.WaitAll();
}

TEST_CASE("a fresh directory becomes an empty exchange", "[faults]") {
  TempDir tmp;
  Live live(Options(tmp.sub("new/nested")));
  CHECK(live.seq == 0);
  CHECK(live.engine->counters().next_trade_id == 1);
}

TEST_CASE("a directory held by another store is refused", "[faults]") {
  TempDir tmp;
  Live live(Options(tmp.path()));
  std::string err = OpenError(tmp.path());
  CHECK_THAT(err, Catch::Contains("in use by another process"));
  CHECK(err.find('\n') == std::string::npos);
}

TEST_CASE("a non-empty directory without a database is refused", "[faults]") {
  TempDir tmp;
  std::ofstream(tmp.sub("notes.txt")) << "hello";
  CHECK_THAT(OpenError(tmp.path()), Catch::Contains("holds no database"));
}

TEST_CASE("a foreign RocksDB is refused", "[faults]") {
  TempDir tmp;
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(o, tmp.path(), &raw).ok());
    REQUIRE(raw->Put(rocksdb::WriteOptions(), "k", "v").ok());
    delete raw;
  }
  CHECK_THAT(OpenError(tmp.path()), Catch::Contains("not a corpex database"));
}

TEST_CASE("a first start killed while creating column families is finished", "[faults]") {
  TempDir tmp;
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(o, tmp.path(), &raw).ok());
    rocksdb::ColumnFamilyHandle* h = nullptr;
    REQUIRE(raw->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "journal", &h).ok());
    raw->DestroyColumnFamilyHandle(h);
    delete raw;
  }
  Live live(Options(tmp.path()));
  CHECK(live.seq == 0);
  live.RunWorkload(1, 50);
  live.WaitAll();
}

TEST_CASE("a first start killed before any column family of ours is adopted", "[faults]") {
  TempDir tmp;
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(o, tmp.path(), &raw).ok());
    delete raw;
  }
  Live live(Options(tmp.path()));
  CHECK(live.seq == 0);
  live.RunWorkload(1, 50);
  live.WaitAll();
}

TEST_CASE("a first start killed before RocksDB wrote CURRENT is adopted", "[faults]") {
  TempDir tmp;
  for (const char* name : {"LOCK", "IDENTITY", "LOG", "MANIFEST-000001", "000003.log"})
    std::ofstream(tmp.sub(name));
  Live live(Options(tmp.path()));
  CHECK(live.seq == 0);
  live.RunWorkload(1, 50);
  live.WaitAll();
}

TEST_CASE("another format version is refused", "[faults]") {
  TempDir tmp;
  MakeStore(tmp.path(), 100);
  {
    RawDb raw(tmp.path());
    std::string v = {2, 0, 0, 0};
    REQUIRE(raw.db->Put(rocksdb::WriteOptions(), raw.cf("meta"), "format", v).ok());
  }
  CHECK_THAT(OpenError(tmp.path()),
             Catch::Contains("has storage format 2, this build reads format 1"));
}

TEST_CASE("damaged files are refused", "[faults]") {
  TempDir tmp;
  MakeStore(tmp.path(), 100);
  std::ofstream(tmp.sub("CURRENT"), std::ios::trunc) << "MANIFEST-999999\n";
  std::string err = OpenError(tmp.path());
  CHECK_THAT(err, Catch::Contains(tmp.path()));
  CHECK_FALSE(err.empty());
  CHECK(err.find('\n') == std::string::npos);
}

TEST_CASE("a damaged journal is refused at recovery", "[faults]") {
  TempDir tmp;
  MakeStore(tmp.path(), 300);
  SECTION("garbage entry") {
    {
      RawDb raw(tmp.path());
      REQUIRE(raw.db->Put(rocksdb::WriteOptions(), raw.cf("journal"), Be64(150), "garbage").ok());
    }
    CHECK_THAT(OpenError(tmp.path()), Catch::Contains("journal seq 150"));
  }
  SECTION("missing entry") {
    {
      RawDb raw(tmp.path());
      REQUIRE(raw.db->Delete(rocksdb::WriteOptions(), raw.cf("journal"), Be64(150)).ok());
    }
    CHECK_THAT(OpenError(tmp.path()), Catch::Contains("journal has seq 151 where 150 was due"));
  }
  SECTION("entry beyond the head") {
    {
      RawDb raw(tmp.path());
      std::string v;
      REQUIRE(raw.db->Get(rocksdb::ReadOptions(), raw.cf("journal"), Be64(300), &v).ok());
      REQUIRE(raw.db->Put(rocksdb::WriteOptions(), raw.cf("journal"), Be64(301), v).ok());
    }
    CHECK_THAT(OpenError(tmp.path()), Catch::Contains("corrupt"));
  }
  SECTION("a trade that replay does not produce") {
    {
      RawDb raw(tmp.path());
      REQUIRE(raw.db->Delete(rocksdb::WriteOptions(), raw.cf("journal"), Be64(300)).ok());
      REQUIRE(raw.db->Delete(rocksdb::WriteOptions(), raw.cf("journal"), Be64(299)).ok());
    }
    CHECK_THAT(OpenError(tmp.path()), Catch::Contains("corrupt"));
  }
}

TEST_CASE("a tampered trade breaks the chain", "[faults]") {
  TempDir tmp;
  MakeStore(tmp.path(), 1500);
  TradeId victim = 0;
  {
    auto store = Store::Open(Options(tmp.path()));
    REQUIRE(store.ok());
    REQUIRE((*store)->VerifyChain().ok());
    auto page = (*store)->Trades({0, INT64_MAX, "", "", "", 100});
    REQUIRE(page.ok());
    REQUIRE(page->trades.size() > 10);
    victim = page->trades[5].id;
  }
  {
    RawDb raw(tmp.path());
    std::string v;
    REQUIRE(raw.db->Get(rocksdb::ReadOptions(), raw.cf("trades"), Be64(victim), &v).ok());
    v[1 + 8 + 8 + 2] ^= 1;  // first byte of the instrument symbol
    REQUIRE(raw.db->Put(rocksdb::WriteOptions(), raw.cf("trades"), Be64(victim), v).ok());
  }
  auto store = Store::Open(Options(tmp.path()));
  REQUIRE(store.ok());
  auto verified = (*store)->VerifyChain();
  REQUIRE_FALSE(verified.ok());
  CHECK_THAT(verified.status().message(), Catch::Contains("trade " + std::to_string(victim)));
}

TEST_CASE("a failed write stops the store and is never reported durable", "[faults]") {
  TempDir tmp;
  std::atomic<bool> disk_full{false};
  StoreOptions o = Options(tmp.path());
  static StoreTestHooks hooks;
  hooks.fail_writes = &disk_full;
  o.test_hooks = &hooks;
  Seq durable = 0;
  {
    Live live(o);
    live.RunWorkload(23, 800);
    live.WaitAll();
    durable = live.store->durable_seq();
    REQUIRE(durable == 800);
    disk_full = true;
    Status appended;
    for (int i = 0; i < 100000 && appended.ok(); ++i) {
      Command c = WorkloadCommand(23, live.seq + 1);
      const Events& ev = live.engine->Execute(c);
      appended = live.store->Append(++live.seq, c, ev, *live.engine);
      if (i == 0) {
        Status w = live.store->WaitDurable(live.seq, std::chrono::seconds(10));
        CHECK_THAT(w.message(), Catch::Contains("storage failed"));
      }
    }
    CHECK_FALSE(appended.ok());
    CHECK_FALSE(live.store->health().ok());
    CHECK(live.store->durable_seq() == durable);
    CHECK_FALSE(live.store->WaitDurable(durable + 1, std::chrono::milliseconds(10)).ok());
    CHECK(live.store->WaitDurable(durable, std::chrono::milliseconds(10)).ok());
    (void)live.store->Close(nullptr);
  }
  disk_full = false;
  Live again(o);
  CHECK(again.seq == durable);
  Engine shadow;
  for (Seq s = 1; s <= durable; ++s) shadow.Execute(WorkloadCommand(23, s));
  CHECK(again.engine->Digest() == shadow.Digest());
  CHECK(again.store->VerifyChain().ok());
}

}  // namespace
}  // namespace corpex::testing
