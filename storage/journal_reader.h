// storage/journal_reader.h — the journal after a seq, read ahead on a thread.
//
// Recovery restores the snapshot and then executes the journal tail; both
// are CPU-bound. The reader iterates RocksDB and copies raw entries into
// chunks on its own thread from the start, so reading overlaps the restore.
// At most kMaxChunks chunks (of ~1 MiB) wait, so memory stays bounded however
// long the tail is.
//
// Thread: Next() from one consumer thread; the reader thread is private.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "corpex/status.h"
#include "corpex/types.h"
#include "storage/db.h"

namespace corpex::storage {

class JournalReader {
 public:
  JournalReader(const Db& db, Seq after);  // starts reading seq after + 1 on
  ~JournalReader();                        // stops and joins the reader
  JournalReader(const JournalReader&) = delete;
  JournalReader& operator=(const JournalReader&) = delete;

  // The next entry; false at the end of the journal or on a read error
  // (then status() says which). `value` is valid until the next call.
  bool Next(Seq* seq, std::string_view* value);
  Status status() const;

 private:
  struct Chunk {
    std::string bytes;
    std::vector<std::pair<Seq, uint32_t>> ends;  // (seq, end offset in bytes)
  };
  static constexpr size_t kChunkBytes = 1 << 20;
  static constexpr size_t kMaxChunks = 256;

  void Run(const Db* db, Seq after);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Chunk> ready_;  // guarded by mu_
  bool done_ = false;        // guarded by mu_: the reader has finished
  bool stop_ = false;        // guarded by mu_: the consumer has gone
  Status status_;            // guarded by mu_

  // Consumer only.
  Chunk current_;
  size_t next_ = 0;

  std::thread thread_;
};

}  // namespace corpex::storage
