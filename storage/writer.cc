#include "storage/writer.h"

#include <rocksdb/perf_level.h>
#include <rocksdb/write_batch.h>

#include <pthread.h>

#include <algorithm>
#include <unordered_map>

#include "storage/codec.h"
#include "corpex/records.h"
#include "storage/chain_hash.h"
#include "storage/snapshot_child.h"
#include "storage/test_hooks.h"

namespace corpex::storage {
namespace {

constexpr size_t kSnapshotChunk = 4 << 20;
constexpr size_t kSpareGroups = 2;
// A written group's batch buffer is kept for the next group unless it grew
// past this: regrowing it from empty costs a copy at every doubling and a
// page fault on every fresh page, which was the largest cost on the engine
// thread at full load (a group there holds ~40,000 commands, ~30 MB). The
// price: after a burst, up to kSpareGroups buffers of that size stay resident.
constexpr size_t kMaxSpareBytes = 64 << 20;

Status Fail(std::string message) { return Status(ErrorCode::kInternal, std::move(message)); }

}  // namespace

namespace {

// One group's trades for one member or instrument: one trades_by_time key.
struct Posting {
  std::string key;   // prefix + the first trade's ms and id
  std::string list;  // the others (keys.h)
  int64_t last_ms = 0;
  TradeId last_id = 0;
  bool used = false;  // false: kept from an earlier group for its buffers only
};

// A recycled group keeps up to this many postings (their nodes and buffers):
// the members and instruments that trade come back group after group.
constexpr size_t kKeptPostings = 4096;

}  // namespace

// One group commit: commands, or one snapshot.
struct Writer::Group {
  bool is_snapshot = false;
  rocksdb::WriteBatch wb;
  // Keys written "as they stand" (ledgers, programs): only the latest value
  // matters within one atomic batch. Key: one byte of Cf, then the key.
  std::unordered_map<std::string, std::string> latest;
  // By index prefix. At full load a group holds thousands of trades of a few
  // members: one memtable insert per name instead of three per trade.
  std::unordered_map<std::string, Posting> postings;
  Head head;  // after the group's last command; for a snapshot, what it covers
  uint64_t commands = 0;
  uint64_t trades = 0;
  std::string snapshot;
  uint64_t file_bytes = 0;  // > 0: the snapshot is in its file, not in `snapshot`

  void Reset() {
    is_snapshot = false;
    file_bytes = 0;
    wb.Clear();
    latest.clear();
    if (postings.size() > kKeptPostings) postings.clear();
    for (auto& [prefix, p] : postings) {
      p.used = false;
      p.key.clear();
      p.list.clear();
    }
    commands = trades = 0;
    snapshot.clear();
    snapshot.shrink_to_fit();
  }
};

Writer::Writer(Db* db, const StoreOptions& options, Head head)
    : db_(db),
      sync_(options.sync),
      prune_journal_(options.prune_journal),
      max_queued_(std::max<uint64_t>(options.max_queued, 1)),
      commit_interval_(options.commit_interval),
      on_durable_(options.on_durable),
      on_commit_(options.on_commit),
      hold_writes_(options.test_hooks ? options.test_hooks->hold_writes : nullptr),
      head_(std::move(head)) {
  durable_.store(head_.last_seq, std::memory_order_release);
  stats_.appended_seq = stats_.durable_seq = head_.last_seq;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "cx-storage");
    Run();
  });
}

Writer::~Writer() { (void)Stop(); }

Writer::Group* Writer::OpenGroup() {
  if (!groups_.empty() && !groups_.back()->is_snapshot) return groups_.back().get();
  std::unique_ptr<Group> g;
  if (!spare_.empty()) {
    g = std::move(spare_.back());
    spare_.pop_back();
  } else {
    g = std::make_unique<Group>();
  }
  groups_.push_back(std::move(g));
  if (groups_.size() == 1) work_cv_.notify_one();  // the writer sleeps only when none is queued
  return groups_.back().get();
}

Status Writer::Append(Entry* e) {
  std::unique_lock lock(mu_);
  // Full: a writer pacing its next group commit need not wait any longer.
  if (queued_commands_ >= max_queued_) work_cv_.notify_one();
  space_cv_.wait(lock,
                 [&] { return queued_commands_ < max_queued_ || !failure_.ok() || stopping_; });
  if (!failure_.ok()) return failure_;
  if (stopping_) return Fail("storage is closing");
  Group* g = OpenGroup();
  Encode(e, g);
  ++queued_commands_;
  stats_.appended_seq = e->seq;
  return Status::Ok();
}

void Writer::Encode(Entry* e, Group* g) {
  rocksdb::WriteBatch& wb = g->wb;
  scratch_.clear();
  EncodeCommand(*e->command, &scratch_);
  wb.Put(db_->cf(kJournal), SeqKey(e->seq), scratch_);

  for (size_t i = 0; i < e->trade_count; ++i) {
    TradeRecord& t = e->trades[i];
    t.prev_hash = head_.chain_head;
    ChainHashInto(t, &t.hash);
    head_.chain_head = t.hash;
    head_.last_trade_id = t.id;
    scratch_.clear();
    EncodeTrade(t, &scratch_);
    wb.Put(db_->cf(kTrades), TradeKey(t.id), scratch_);
    const int64_t ms = ToMillis(t.ts);
    auto post = [&](IndexScope scope, std::string_view name) {
      key_.clear();
      AppendIndexPrefix(&key_, scope, name);
      Posting& p = g->postings.try_emplace(key_).first->second;
      if (!p.used) {
        p.used = true;
        p.key = key_;
        AppendTimeId(&p.key, ms, t.id);
      } else {
        AppendPosting(&p.list, p.last_ms, p.last_id, ms, t.id);
      }
      p.last_ms = ms;
      p.last_id = t.id;
    };
    // No kAll key: ids follow engine time, so the trades family is its own
    // time index (reads.cc).
    post(IndexScope::kMember, t.buyer);
    if (t.seller != t.buyer) post(IndexScope::kMember, t.seller);
    post(IndexScope::kInstrument, t.instrument);
  }
  for (const ClaimRecord& c : e->claims) {
    scratch_.clear();
    EncodeClaim(c, &scratch_);
    wb.Put(db_->cf(kClaims), ClaimKey(c.program, c.trade_id), scratch_);
  }
  for (const DeliveryEventRecord& d : e->deliveries) {
    scratch_.clear();
    EncodeDeliveryEvent(d, &scratch_);
    wb.Put(db_->cf(kDeliveries), DeliveryKey(d.trade_id, d.seq), scratch_);
  }
  auto latest = [&](Cf cf, const std::string& key) -> std::string& {
    key_.assign(1, static_cast<char>(cf));
    key_.append(key);
    auto it = g->latest.find(key_);
    if (it == g->latest.end()) it = g->latest.emplace(key_, std::string()).first;
    it->second.clear();
    return it->second;
  };
  for (const LedgerRecord& l : e->ledgers) {
    EncodeLedger(l, &latest(kLedgers, LedgerKey(l.program, l.member)));
  }
  for (const ProgramRecord& p : e->programs) {
    EncodeProgram(p, &latest(kRefdata, RefKey(kRefProgram, p.program)));
  }
  for (const auto& [key, value] : e->refdata) wb.Put(db_->cf(kRefdata), key, value);

  head_.last_seq = e->seq;
  g->head.last_seq = head_.last_seq;
  g->head.last_trade_id = head_.last_trade_id;
  g->head.chain_head.assign(head_.chain_head);
  g->commands += 1;
  g->trades += e->trade_count;
}

Status Writer::AppendSnapshot(std::string bytes) {
  auto g = std::make_unique<Group>();
  g->head = head_;
  g->snapshot = std::move(bytes);
  return QueueSnapshot(std::move(g));
}

Status Writer::AppendSnapshotFile(const Head& head, uint64_t bytes) {
  auto g = std::make_unique<Group>();
  g->head = head;
  g->file_bytes = bytes;
  return QueueSnapshot(std::move(g));
}

Status Writer::QueueSnapshot(std::unique_ptr<Group> g) {
  std::lock_guard lock(mu_);
  if (!failure_.ok()) return failure_;
  if (stopping_) return Fail("storage is closing");
  g->is_snapshot = true;
  groups_.push_back(std::move(g));
  if (groups_.size() == 1) work_cv_.notify_one();
  return Status::Ok();
}

Status Writer::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  space_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  durable_cv_.notify_all();
  return Health();
}

Status Writer::WaitDurable(Seq seq, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  durable_cv_.wait_for(lock, timeout,
                       [&] { return Durable() >= seq || !failure_.ok() || stopping_; });
  if (Durable() >= seq) return Status::Ok();
  if (!failure_.ok()) return failure_;
  if (stopping_) return Fail("storage closed before seq " + std::to_string(seq) + " was durable");
  return Fail("timed out waiting for seq " + std::to_string(seq) + " to be durable");
}

Status Writer::Health() const {
  std::lock_guard lock(mu_);
  return failure_;
}

StoreStats Writer::Stats() const {
  std::lock_guard lock(mu_);
  StoreStats s = stats_;
  s.durable_seq = Durable();
  return s;
}

void Writer::Run() {
  // RocksDB counts every key comparison per thread by default; we never read it.
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  for (;;) {
    while (hold_writes_ != nullptr && hold_writes_->load(std::memory_order_acquire)) {
      std::unique_lock lock(mu_);
      if (stopping_) break;
      work_cv_.wait_for(lock, std::chrono::milliseconds(1));
    }
    std::unique_ptr<Group> g;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return !groups_.empty() || stopping_; });
      if (groups_.empty()) return;  // stopping, and everything is written
      // Paced: the open group keeps gathering commands until the interval
      // since the last write has passed (stopping, or a full queue, writes
      // at once).
      if (commit_interval_.count() > 0)
        work_cv_.wait_until(lock, last_write_ + commit_interval_,
                            [&] { return stopping_ || queued_commands_ >= max_queued_; });
      g = std::move(groups_.front());
      groups_.pop_front();
      queued_commands_ -= g->commands;
    }
    space_cv_.notify_all();

    last_write_ = std::chrono::steady_clock::now();
    Status s = g->is_snapshot ? WriteSnapshot(g.get()) : WriteCommands(g.get());
    std::unique_lock lock(mu_);
    if (!s.ok()) {
      failure_ = Status(s.code(), "storage failed: " + s.message());
      lock.unlock();
      durable_cv_.notify_all();
      space_cv_.notify_all();
      return;  // nothing after a failed write is ever published
    }
    if (spare_.size() < kSpareGroups && !g->is_snapshot && g->wb.GetDataSize() <= kMaxSpareBytes) {
      g->Reset();
      spare_.push_back(std::move(g));
    }
  }
}

Status Writer::WriteCommands(Group* g) {
  rocksdb::WriteBatch& wb = g->wb;
  for (const auto& [key, value] : g->latest) {
    Cf cf = static_cast<Cf>(key[0]);
    wb.Put(db_->cf(cf), rocksdb::Slice(key.data() + 1, key.size() - 1), value);
  }
  for (const auto& [prefix, p] : g->postings)
    if (p.used) wb.Put(db_->cf(kTradesByTime), p.key, p.list);
  wb.Put(db_->cf(kMeta), std::string(kMetaHead), EncodeHead(g->head));

  rocksdb::WriteOptions wo;
  wo.sync = sync_;
  rocksdb::Status ws = db_->db()->Write(wo, &wb);
  if (!ws.ok()) return FromRocks(ws, "write of seq " + std::to_string(g->head.last_seq));
  const Seq last = g->head.last_seq;
  if (on_commit_) {
    auto ns = [](std::chrono::steady_clock::time_point t) {
      return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    };
    on_commit_(last, ns(last_write_), ns(std::chrono::steady_clock::now()));
  }
  {
    std::lock_guard lock(mu_);
    durable_.store(last, std::memory_order_release);
    stats_.batches += 1;
    stats_.commands += g->commands;
    stats_.trades += g->trades;
    stats_.max_batch = std::max(stats_.max_batch, g->commands);
  }
  durable_cv_.notify_all();
  if (on_durable_) on_durable_(last);
  return Status::Ok();
}

Status Writer::WriteSnapshot(Group* g) {
  const Seq seq = g->head.last_seq;
  rocksdb::WriteBatch wb;
  rocksdb::ColumnFamilyHandle* cf = db_->cf(kSnapshots);
  // Older snapshots (and any earlier one of this seq) go in the same batch.
  wb.DeleteRange(cf, SnapshotKey(0, 0), SnapshotKey(seq + 1, 0));
  SnapshotMeta meta;
  meta.head = g->head;
  meta.bytes = g->file_bytes > 0 ? g->file_bytes : g->snapshot.size();
  // chunks == 0 names the file (a chunked snapshot always has at least one).
  for (size_t off = 0; g->file_bytes == 0 && (off < g->snapshot.size() || meta.chunks == 0);
       off += kSnapshotChunk) {
    size_t n = std::min(kSnapshotChunk, g->snapshot.size() - off);
    wb.Put(cf, SnapshotKey(seq, meta.chunks), rocksdb::Slice(g->snapshot.data() + off, n));
    meta.chunks += 1;
  }
  wb.Put(db_->cf(kMeta), std::string(kMetaSnapshot), EncodeSnapshotMeta(meta));
  if (prune_journal_) wb.DeleteRange(db_->cf(kJournal), SeqKey(0), SeqKey(seq + 1));

  rocksdb::WriteOptions wo;
  wo.sync = sync_;
  rocksdb::Status ws = db_->db()->Write(wo, &wb);
  if (!ws.ok()) return FromRocks(ws, "snapshot write at seq " + std::to_string(seq));
  // The snapshot is big and written once: get it out of the WAL, so a
  // restart does not replay it. Best effort; a failed flush is RocksDB's to retry.
  if (g->file_bytes == 0) (void)db_->FlushOne(kSnapshots);
  PruneSnapshotFiles(db_->dir(), seq, false);  // older files, now that the meta moved on
  std::lock_guard lock(mu_);
  stats_.snapshots += 1;
  return Status::Ok();
}

}  // namespace corpex::storage
