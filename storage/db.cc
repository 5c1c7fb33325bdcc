#include "storage/db.h"

#include <rocksdb/options.h>
#include <rocksdb/rate_limiter.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "storage/fault_fs.h"
#include "storage/test_hooks.h"
#include "storage/wire.h"

namespace corpex::storage {
namespace {

Status Fail(std::string message) { return Status(ErrorCode::kInternal, std::move(message)); }

// One line, whatever RocksDB said.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

// Keys that only ever grow within a prefix (seq, trade id, ts + id): RocksDB
// inserts each one next to the last of its prefix instead of searching the
// memtable from the top, which is most of the writer's time otherwise.
class StripSuffix : public rocksdb::SliceTransform {
 public:
  explicit StripSuffix(size_t n) : n_(n), name_("corpex.StripSuffix" + std::to_string(n)) {}
  const char* Name() const override { return name_.c_str(); }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), key.size() - n_);
  }
  bool InDomain(const rocksdb::Slice& key) const override { return key.size() >= n_; }

 private:
  size_t n_;
  std::string name_;
};

rocksdb::ColumnFamilyOptions CfOptions(int cf) {
  rocksdb::ColumnFamilyOptions o;
  switch (cf) {
    // Not the journal: prune_journal range-deletes in it, and RocksDB 7.8
    // shares one hint between a memtable's point and range-deletion lists.
    // (Its one ascending sequence needs none: the skiplist keeps a splice
    // for sequential inserts; a hint measured no faster.)
    case kTrades:
      o.memtable_insert_with_hint_prefix_extractor = std::make_shared<StripSuffix>(8);
      break;
    case kTradesByTime:
      o.memtable_insert_with_hint_prefix_extractor = std::make_shared<StripSuffix>(16);
      break;
    case kClaims:
      o.memtable_insert_with_hint_prefix_extractor = std::make_shared<StripSuffix>(8);
      break;
    case kSnapshots:
      // Few, large, short-lived values.
      o.write_buffer_size = 128 << 20;
      break;
    default:
      break;
  }
  return o;
}

}  // namespace

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  const ErrorCode code = s.IsCorruption() ? ErrorCode::kCorruption
                         : s.IsNotFound() ? ErrorCode::kNotFound
                         : s.IsIOError()  ? ErrorCode::kIOError
                                          : ErrorCode::kInternal;
  return Status(code, std::string(what) + ": " + OneLine(s.ToString()));
}

StatusOr<std::unique_ptr<Db>> Db::Open(const StoreOptions& options) {
  std::unique_ptr<Db> db(new Db());
  Status s = db->Init(options);
  if (!s.ok()) return s;
  return db;
}

namespace {

// What RocksDB writes before CURRENT when it creates a database: a first
// start killed there left these and nothing of anyone's data.
bool OnlyFirstStartLeftovers(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    const bool rocks_own = name == "LOCK" || name == "IDENTITY" || name.starts_with("LOG") ||
                           name.starts_with("MANIFEST-") || name.starts_with("OPTIONS-") ||
                           name.ends_with(".dbtmp") ||
                           (name.ends_with(".log") && e.is_regular_file() && e.file_size() == 0);
    if (!rocks_own) return false;
  }
  return !ec;
}

}  // namespace

Status Db::Init(const StoreOptions& options) {
  namespace fs = std::filesystem;
  dir_ = options.dir;
  if (dir_.empty()) return Fail("storage: no data dir given");

  std::error_code ec;
  bool exists = fs::exists(dir_, ec);
  if (exists && !fs::is_directory(dir_, ec))
    return Fail("data dir " + dir_ + " is not a directory");
  bool has_current = exists && fs::exists(fs::path(dir_) / "CURRENT", ec);
  if (exists && !has_current && !OnlyFirstStartLeftovers(dir_)) {
    return Fail("data dir " + dir_ + " is not empty but holds no database (no CURRENT); " +
                "refusing to start fresh over it");
  }
  if (exists && !has_current) {
    // Leftovers of a killed first start hold no data; RocksDB will not create
    // a database beside an old WAL, so they go before it starts afresh. LOCK
    // stays: RocksDB reuses it, and a live holder must still refuse us.
    for (const fs::directory_entry& e : fs::directory_iterator(dir_, ec))
      if (e.path().filename() != "LOCK") fs::remove(e.path(), ec);
    if (ec) return Status(ErrorCode::kIOError, "cannot clear data dir " + dir_ + ": " + ec.message());
  }
  if (!exists && !fs::create_directories(dir_, ec)) {
    return Fail("cannot create data dir " + dir_ + ": " + ec.message());
  }

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = !has_current;
  db_options.create_missing_column_families = !has_current;
  db_options.paranoid_checks = true;
  db_options.max_background_jobs = 2;
  // A torn tail after a crash is dropped; every synced batch is kept.
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  // Restart time is bounded by the WAL RocksDB must replay: cap it (a CF
  // holding the oldest WAL, like meta with its tiny values, is flushed then)
  // and do not write the replayed memtables out before opening.
  db_options.max_total_wal_size = 32 << 20;
  db_options.avoid_flush_during_recovery = true;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  db_options.keep_log_file_num = 4;
  // Background flushes and compactions share the disk with the group
  // commit's fsync: write them out in small steps, at a bounded rate, so an
  // acknowledgement never waits behind a burst of SST writes.
  db_options.bytes_per_sync = 1 << 20;
  db_options.rate_limiter.reset(rocksdb::NewGenericRateLimiter(64 << 20));
  if (options.test_hooks != nullptr && options.test_hooks->fail_writes != nullptr) {
    env_ = NewFaultInjectionEnv(options.test_hooks->fail_writes);
    db_options.env = env_.get();
  }

  bool only_default = false;
  if (has_current) {
    // Ours: every column family is one of ours (or RocksDB's default), and
    // at least one of ours is there. Some of ours missing then only means a
    // first start was killed while creating them; they are created now.
    std::vector<std::string> names;
    rocksdb::Status ls = rocksdb::DB::ListColumnFamilies(db_options, dir_, &names);
    if (ls.IsCorruption()) return FromRocks(ls, "data dir " + dir_ + " is corrupt");
    if (!ls.ok()) return FromRocks(ls, "cannot read data dir " + dir_);
    int ours = 0;
    for (const std::string& n : names) {
      bool known = n == rocksdb::kDefaultColumnFamilyName;
      for (int cf = 0; cf < kCfCount && !known; ++cf) {
        if (n == CfName(cf)) {
          known = true;
          ++ours;
        }
      }
      if (!known) {
        return Fail("data dir " + dir_ + " is not a corpex database (column family " + n + ")");
      }
    }
    // Only RocksDB's default family: a first start killed before it created
    // ours, or a foreign database; an empty default family tells them apart.
    only_default = ours == 0;
    db_options.create_missing_column_families = true;
  }

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  for (int cf = 0; cf < kCfCount; ++cf) descriptors.emplace_back(CfName(cf), CfOptions(cf));
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status os = rocksdb::DB::Open(db_options, dir_, descriptors, &handles, &raw);
  if (!os.ok()) {
    std::string msg = os.ToString();
    if (os.IsIOError() && msg.find("lock") != std::string::npos) {
      return Fail("data dir " + dir_ + " is in use by another process (RocksDB LOCK held)");
    }
    if (os.IsCorruption()) return FromRocks(os, "data dir " + dir_ + " is corrupt");
    return FromRocks(os, "cannot open data dir " + dir_);
  }
  db_.reset(raw);
  default_cf_ = handles[0];
  for (int cf = 0; cf < kCfCount; ++cf) handles_[cf] = handles[cf + 1];
  if (only_default) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), default_cf_));
    it->SeekToFirst();
    if (it->Valid()) return Fail("data dir " + dir_ + " is not a corpex database");
  }

  // Format: written once, synced, before anything else; checked on every open.
  std::string format;
  bool found = false;
  Status s = Get(kMeta, kMetaFormat, &format, &found);
  if (!s.ok()) return s;
  if (found) {
    wire::ByteReader r(format);
    uint32_t version = r.u32();
    if (!r.done()) return Status(ErrorCode::kCorruption, "data dir " + dir_ + " is corrupt: bad format record");
    if (version != kStorageFormatVersion) {
      return Fail("data dir " + dir_ + " has storage format " + std::to_string(version) +
                  ", this build reads format " + std::to_string(kStorageFormatVersion));
    }
    return Status::Ok();
  }
  // No format: only a database that never got past creation may be adopted.
  std::string head;
  s = Get(kMeta, kMetaHead, &head, &found);
  if (!s.ok()) return s;
  if (found) return Status(ErrorCode::kCorruption, "data dir " + dir_ + " is corrupt: no format record");
  std::string v;
  wire::ByteWriter(&v).u32(kStorageFormatVersion);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status ws = db_->Put(wo, handles_[kMeta], std::string(kMetaFormat), v);
  if (!ws.ok()) return FromRocks(ws, "cannot initialise data dir " + dir_);
  return Status::Ok();
}

Status Db::Get(Cf c, std::string_view key, std::string* value, bool* found) const {
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), handles_[c], rocksdb::Slice(key.data(), key.size()), value);
  *found = s.ok();
  if (s.ok() || s.IsNotFound()) return Status::Ok();
  return FromRocks(s, std::string("read ") + CfName(c));
}

Status Db::Flush(bool wait) {
  rocksdb::FlushOptions fo;
  fo.wait = wait;
  fo.allow_write_stall = true;
  std::vector<rocksdb::ColumnFamilyHandle*> all(handles_.begin(), handles_.end());
  rocksdb::Status s = db_->Flush(fo, all);
  return s.ok() ? Status::Ok() : FromRocks(s, "flush " + dir_);
}

Status Db::FlushOne(Cf c) {
  rocksdb::FlushOptions fo;
  fo.wait = false;
  fo.allow_write_stall = true;
  rocksdb::Status s = db_->Flush(fo, handles_[c]);
  return s.ok() ? Status::Ok() : FromRocks(s, std::string("flush ") + CfName(c));
}

Status Db::Close() {
  if (!db_) return Status::Ok();
  Status result;
  for (rocksdb::ColumnFamilyHandle*& h : handles_) {
    if (h != nullptr) db_->DestroyColumnFamilyHandle(h);
    h = nullptr;
  }
  if (default_cf_ != nullptr) db_->DestroyColumnFamilyHandle(default_cf_);
  default_cf_ = nullptr;
  rocksdb::Status s = db_->Close();
  if (!s.ok()) result = FromRocks(s, "close " + dir_);
  db_.reset();
  return result;
}

Db::~Db() { (void)Close(); }

}  // namespace corpex::storage
