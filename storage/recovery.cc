#include "storage/recovery.h"

#include <rocksdb/iterator.h>

#include <chrono>
#include <memory>

#include "storage/codec.h"
#include "storage/entry.h"
#include "storage/journal_reader.h"
#include "storage/snapshot_child.h"

namespace corpex::storage {
namespace {

Status Corrupt(const Db& db, const std::string& what) {
  return Status(ErrorCode::kCorruption, "data dir " + db.dir() + " is corrupt: " + what);
}

Status LoadSnapshot(const Db& db, const SnapshotMeta& meta, std::string* bytes) {
  Seq seq = meta.head.last_seq;
  if (meta.chunks == 0) {  // written by a child to its own file (snapshot_child.h)
    Status s = ReadSnapshotFile(SnapshotPath(db.dir(), seq), bytes);
    if (!s.ok()) return Corrupt(db, "snapshot " + std::to_string(seq) + ": " + s.message());
    if (bytes->size() != meta.bytes)
      return Corrupt(db, "snapshot file " + std::to_string(seq) + " has " + std::to_string(bytes->size()) +
                             " bytes, meta says " + std::to_string(meta.bytes));
    return Status::Ok();
  }
  bytes->clear();
  bytes->reserve(meta.bytes);
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(ro, db.cf(kSnapshots)));
  it->Seek(SnapshotKey(seq, 0));
  for (uint32_t i = 0; i < meta.chunks; ++i, it->Next()) {
    if (!it->Valid() || it->key().ToStringView() != SnapshotKey(seq, i)) {
      if (!it->status().ok()) return FromRocks(it->status(), "read snapshot");
      return Corrupt(db, "snapshot " + std::to_string(seq) + " lacks chunk " + std::to_string(i));
    }
    bytes->append(it->value().data(), it->value().size());
  }
  if (bytes->size() != meta.bytes) {
    return Corrupt(db, "snapshot " + std::to_string(seq) + " has " + std::to_string(bytes->size()) +
                           " bytes, meta says " + std::to_string(meta.bytes));
  }
  return Status::Ok();
}

// The replay must end where the stored trades end.
Status CheckLastTrade(const Db& db, const Head& head, const Engine& engine, const Trade* replayed,
                      const QuoteView* accepted, TradeId snapshot_last_trade) {
  TradeId last = replayed ? replayed->id : snapshot_last_trade;
  if (last != head.last_trade_id) {
    return Corrupt(db, "replay ends at trade " + std::to_string(last) + " but trade " +
                           std::to_string(head.last_trade_id) +
                           " is stored (engine not deterministic, or a different engine version)");
  }
  if (head.last_trade_id == 0) {
    if (head.chain_head != kGenesisHash) return Corrupt(db, "chain head without trades");
    return Status::Ok();
  }
  std::string v;
  bool found = false;
  Status s = db.Get(kTrades, TradeKey(head.last_trade_id), &v, &found);
  if (!s.ok()) return s;
  TradeRecord stored;
  if (!found || !DecodeTrade(v, &stored).ok()) {
    return Corrupt(db, "last trade " + std::to_string(head.last_trade_id) + " missing");
  }
  if (stored.hash != head.chain_head) return Corrupt(db, "chain head differs from last trade");
  if (replayed != nullptr) {
    TradeRecord again;
    ToRecord(*replayed, engine, accepted, &again);
    again.prev_hash = stored.prev_hash;
    again.hash = stored.hash;
    if (!(again == stored)) {
      return Corrupt(
          db, "replayed trade " + std::to_string(replayed->id) + " differs from the stored one");
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<RecoveryResult> RecoverFromDb(const Db& db, const Engine::Options& engine_options) {
  RecoveryResult result;
  Head& head = result.head;
  head.chain_head = std::string(kGenesisHash);
  std::string v;
  bool found = false;
  Status s = db.Get(kMeta, kMetaHead, &v, &found);
  if (!s.ok()) return s;
  if (found && !(s = DecodeHead(v, &head)).ok()) return Corrupt(db, s.message());

  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  auto engine = std::make_unique<Engine>(engine_options);
  SnapshotMeta snap;
  snap.head.chain_head = std::string(kGenesisHash);
  bool has_snapshot = false;
  s = db.Get(kMeta, kMetaSnapshot, &v, &has_snapshot);
  if (!s.ok()) return s;
  if (has_snapshot) {
    if (!(s = DecodeSnapshotMeta(v, &snap)).ok()) return Corrupt(db, s.message());
    if (snap.head.last_seq > head.last_seq) return Corrupt(db, "snapshot is ahead of the journal");
  }
  // The journal tail is read ahead while the snapshot restores.
  JournalReader journal(db, snap.head.last_seq);
  if (has_snapshot) {
    std::string bytes;
    if (!(s = LoadSnapshot(db, snap, &bytes)).ok()) return s;
    s = engine->Restore(bytes);
    if (!s.ok()) {
      return Corrupt(db, "snapshot at seq " + std::to_string(snap.head.last_seq) +
                             " does not restore: " + s.message());
    }
  }

  const auto t1 = Clock::now();
  Seq expected = snap.head.last_seq + 1;
  Trade last_trade;
  QuoteView last_quote;  // the accepted quote, when the last trade was a deal's
  bool replayed_trade = false;
  Command command;
  uint64_t replayed = 0;
  Seq seq = 0;
  std::string_view value;
  while (journal.Next(&seq, &value)) {
    if (seq != expected || seq > head.last_seq) {
      return Corrupt(db, "journal has seq " + std::to_string(seq) + " where " +
                             std::to_string(expected) + " was due (head " +
                             std::to_string(head.last_seq) + ")");
    }
    s = DecodeCommand(value, &command);
    if (!s.ok()) return Corrupt(db, "journal seq " + std::to_string(seq) + ": " + s.message());
    const Events& events = engine->Execute(command);
    if (!events.trades.empty()) {
      last_trade = events.trades.back();
      if (!events.quotes.empty()) last_quote = events.quotes.front();
      replayed_trade = true;
    }
    ++expected;
    ++replayed;
  }
  if (!(s = journal.status()).ok()) return s;
  if (expected - 1 != head.last_seq) {
    return Corrupt(db, "journal ends at seq " + std::to_string(expected - 1) +
                           " but the head is seq " + std::to_string(head.last_seq));
  }
  s = CheckLastTrade(db, head, *engine, replayed_trade ? &last_trade : nullptr, &last_quote,
                     snap.head.last_trade_id);
  if (!s.ok()) return s;

  Recovered& r = result.recovered;
  r.engine = std::move(engine);
  r.last_seq = head.last_seq;
  r.last_trade_id = head.last_trade_id;
  r.chain_head = head.chain_head;
  r.snapshot_seq = has_snapshot ? snap.head.last_seq : 0;
  r.replayed = replayed;
  r.snapshot_time = t1 - t0;
  r.replay_time = Clock::now() - t1;
  return result;
}

}  // namespace corpex::storage
