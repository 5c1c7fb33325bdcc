// storage/db.h — the RocksDB database and its column families.
//
// Open refuses, with one line, everything that is not a healthy corpex
// database of this format or an empty directory: a foreign or corrupt
// database, another format version, a directory locked by another process.
// A fresh database gets every column family and the format version in one
// synced write before anything else.
//
// Thread: the handles are fixed after Open; RocksDB itself is thread-safe.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/env.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "corpex/status.h"
#include "corpex/storage.h"
#include "storage/keys.h"

namespace corpex::storage {

// "what: rocksdb message" as a corpex Status: kCorruption, kNotFound or
// kIOError when RocksDB says so, else kInternal.
Status FromRocks(const rocksdb::Status& s, std::string_view what);

class Db {
 public:
  static StatusOr<std::unique_ptr<Db>> Open(const StoreOptions& options);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return handles_[c]; }
  const std::string& dir() const { return dir_; }

  // Writes every memtable to SST files (so the next open replays no WAL).
  Status Flush(bool wait);
  // Starts writing one column family's memtable out; does not wait.
  Status FlushOne(Cf c);
  // Flushes nothing, waits for nothing: closes handles and the database.
  Status Close();

  // Point read: Ok with *found false when absent.
  Status Get(Cf c, std::string_view key, std::string* value, bool* found) const;

 private:
  Db() = default;
  Status Init(const StoreOptions& options);

  std::string dir_;
  std::unique_ptr<rocksdb::Env> env_;  // fault-injection env, when asked for
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* default_cf_ = nullptr;
  std::array<rocksdb::ColumnFamilyHandle*, kCfCount> handles_{};
};

}  // namespace corpex::storage
