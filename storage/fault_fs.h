// storage/fault_fs.h — a real file system that can be told to fail writes.
//
// Wraps RocksDB's default FileSystem; while *fail is true every new writable
// file, append, flush and sync fails with "no space left on device". Used by
// tests to drive the store into its failed state exactly as a full disk
// would, against a real RocksDB.
#pragma once

#include <rocksdb/env.h>

#include <atomic>
#include <memory>

namespace corpex::storage {

std::unique_ptr<rocksdb::Env> NewFaultInjectionEnv(const std::atomic<bool>* fail);

}  // namespace corpex::storage
