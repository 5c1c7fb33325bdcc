#include "storage/journal_reader.h"

#include <rocksdb/iterator.h>

#include <memory>

#include "storage/keys.h"

namespace corpex::storage {

JournalReader::JournalReader(const Db& db, Seq after)
    : thread_([this, &db, after] { Run(&db, after); }) {}

JournalReader::~JournalReader() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void JournalReader::Run(const Db* db, Seq after) {
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;
  ro.readahead_size = 4 << 20;
  std::unique_ptr<rocksdb::Iterator> it(db->db()->NewIterator(ro, db->cf(kJournal)));
  Chunk chunk;
  auto publish = [&]() -> bool {  // false when the consumer has gone
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return ready_.size() < kMaxChunks || stop_; });
    if (stop_) return false;
    ready_.push_back(std::move(chunk));
    chunk = Chunk();
    lock.unlock();
    cv_.notify_all();
    return true;
  };
  for (it->Seek(SeqKey(after + 1)); it->Valid(); it->Next()) {
    rocksdb::Slice v = it->value();
    chunk.bytes.append(v.data(), v.size());
    chunk.ends.emplace_back(DecodeBe64(it->key().ToStringView()),
                            static_cast<uint32_t>(chunk.bytes.size()));
    if (chunk.bytes.size() >= kChunkBytes && !publish()) return;
  }
  if (!chunk.ends.empty() && !publish()) return;
  std::lock_guard lock(mu_);
  if (!it->status().ok()) status_ = FromRocks(it->status(), "read journal");
  done_ = true;
  cv_.notify_all();
}

bool JournalReader::Next(Seq* seq, std::string_view* value) {
  while (next_ >= current_.ends.size()) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !ready_.empty() || done_; });
    if (ready_.empty()) return false;  // done, and everything consumed
    current_ = std::move(ready_.front());
    ready_.pop_front();
    next_ = 0;
    lock.unlock();
    cv_.notify_all();
  }
  uint32_t begin = next_ == 0 ? 0 : current_.ends[next_ - 1].second;
  *seq = current_.ends[next_].first;
  *value = std::string_view(current_.bytes).substr(begin, current_.ends[next_].second - begin);
  ++next_;
  return true;
}

Status JournalReader::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

}  // namespace corpex::storage
