// Store: the facade of storage.h over Db, Writer, recovery and the reads.
#include "corpex/storage.h"

#include <atomic>
#include <cstdio>

#include <rocksdb/iterator.h>

#include "storage/db.h"
#include "storage/entry.h"
#include "storage/keys.h"
#include "storage/reads.h"
#include "storage/recovery.h"
#include "storage/snapshot_child.h"
#include "storage/writer.h"

namespace corpex {

using storage::Db;
using storage::Entry;
using storage::Writer;

class Store::Impl {
 public:
  StoreOptions options;
  std::unique_ptr<Db> db;
  std::unique_ptr<Writer> writer;  // from Recover() until Close()

  // Engine thread only.
  Seq appended = 0;
  Seq last_snapshot = 0;
  bool recovered = false;
  bool closed = false;
  Entry entry;  // Append's scratch: its records keep their capacity
  std::unique_ptr<storage::SnapshotChild> child;  // with snapshot_in_child
  std::atomic<uint64_t> snapshot_failures{0};  // written by the engine thread, read by any

  // A finished child's snapshot goes to the writer as meta behind the commands.
  Status Reap(bool wait) {
    auto done = child->Poll(wait);
    if (!done) return Status::Ok();
    if (!done->status.ok()) {
      ++snapshot_failures;
      std::fprintf(stderr, "corpex storage: %s (retried when next due)\n", done->status.message().c_str());
      last_snapshot = attempted_from;  // due again now
      return Status::Ok();
    }
    return writer->AppendSnapshotFile(done->head, done->bytes);
  }
  Seq attempted_from = 0;  // last_snapshot before the child started
};

namespace {

Status Fail(std::string message) { return Status(ErrorCode::kInternal, std::move(message)); }

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Store::~Store() { (void)Close(nullptr); }

StatusOr<std::unique_ptr<Store>> Store::Open(StoreOptions options) {
  auto impl = std::make_unique<Impl>();
  StatusOr<std::unique_ptr<Db>> db = Db::Open(options);
  if (!db.ok()) return db.status();
  impl->db = std::move(*db);
  impl->options = std::move(options);
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

StatusOr<Recovered> Store::Recover() {
  Impl& m = *impl_;
  if (m.closed) return Fail("storage is closed");
  if (m.recovered) return Fail("storage already recovered");
  StatusOr<storage::RecoveryResult> r = storage::RecoverFromDb(*m.db, m.options.engine);
  if (!r.ok()) return r.status();
  m.recovered = true;
  m.appended = r->head.last_seq;
  m.last_snapshot = r->recovered.snapshot_seq;
  m.writer = std::make_unique<Writer>(m.db.get(), m.options, r->head);
  // Leftovers of a child killed mid-write, and files the meta no longer names.
  storage::PruneSnapshotFiles(m.db->dir(), r->recovered.snapshot_seq, /*all_but_keep=*/true);
  if (m.options.snapshot_in_child) m.child = std::make_unique<storage::SnapshotChild>(m.db->dir());
  return std::move(r->recovered);
}

Status Store::Append(Seq seq, const Command& command, const Events& events, const Engine& engine,
                     const AppendExtras* extras) {
  Impl& m = *impl_;
  if (!m.writer) return Fail(m.closed ? "storage is closed" : "storage: Recover() first");
  if (seq != m.appended + 1) {
    return Fail("seq " + std::to_string(seq) + " does not follow " + std::to_string(m.appended));
  }
  storage::Capture(seq, command, events, engine, extras, &m.entry);
  Status s = m.writer->Append(&m.entry);
  m.entry.command = nullptr;
  if (!s.ok()) return s;
  m.appended = seq;
  if (m.child && m.child->running() && (seq & 63) == 0 && !(s = m.Reap(false)).ok()) return s;
  if (m.options.snapshot_every != 0 && seq - m.last_snapshot >= m.options.snapshot_every) {
    if (!m.child) return Snapshot(engine);
    if (!m.child->running()) {
      m.attempted_from = m.last_snapshot;
      m.last_snapshot = seq;
      if (!(s = m.child->Start(engine, m.writer->head())).ok()) {
        ++m.snapshot_failures;
        std::fprintf(stderr, "corpex storage: %s\n", s.message().c_str());
      }
    }
  }
  return Status::Ok();
}

Status Store::Snapshot(const Engine& engine) {
  Impl& m = *impl_;
  if (!m.writer) return Fail(m.closed ? "storage is closed" : "storage: Recover() first");
  if (m.appended == m.last_snapshot) return Status::Ok();  // nothing new to cover
  Status s = m.writer->AppendSnapshot(engine.Save());
  if (!s.ok()) return s;
  m.last_snapshot = m.appended;
  return Status::Ok();
}

Seq Store::appended_seq() const { return impl_->appended; }

Seq Store::durable_seq() const { return impl_->writer ? impl_->writer->Durable() : 0; }

Status Store::WaitDurable(Seq seq, std::chrono::milliseconds timeout) const {
  if (!impl_->writer) return Fail("storage is not running");
  return impl_->writer->WaitDurable(seq, timeout);
}

Status Store::health() const {
  if (!impl_->writer) return impl_->closed ? Fail("storage is closed") : Status::Ok();
  return impl_->writer->Health();
}

StoreStats Store::stats() const {
  StoreStats s = impl_->writer ? impl_->writer->Stats() : StoreStats{};
  s.snapshot_failures = impl_->snapshot_failures.load(std::memory_order_relaxed);
  return s;
}

Status Store::Close(const Engine* engine) {
  Impl& m = *impl_;
  if (m.closed) return Status::Ok();
  m.closed = true;
  Status first;
  if (m.writer) {
    if (m.child && m.child->running() && m.writer->Health().ok()) first = m.Reap(/*wait=*/true);
    m.child.reset();
    if (engine != nullptr && m.writer->Health().ok() && first.ok()) first = Snapshot(*engine);
    Status s = m.writer->Stop();
    if (first.ok()) first = s;
    // A clean shutdown leaves nothing for the next start to replay from the WAL.
    if (engine != nullptr && first.ok()) first = m.db->Flush(/*wait=*/true);
    m.writer.reset();
  }
  if (m.db) {
    Status s = m.db->Close();
    if (first.ok()) first = s;
  }
  return first;
}

StatusOr<TradePage> Store::Trades(const TradeQuery& query) const {
  if (!impl_->db || impl_->closed) return Fail("storage is closed");
  return storage::ReadTrades(*impl_->db, query);
}

StatusOr<TradeRecord> Store::Trade(TradeId id) const {
  if (!impl_->db || impl_->closed) return Fail("storage is closed");
  return storage::ReadTrade(*impl_->db, id);
}

StatusOr<VoucherReport> Store::Vouchers(std::string_view program) const {
  if (!impl_->db || impl_->closed) return Fail("storage is closed");
  return storage::ReadVouchers(*impl_->db, program);
}

StatusOr<std::vector<ClaimRecord>> Store::Claims(std::string_view program,
                                                 const ClaimStatus* status) const {
  if (!impl_->db || impl_->closed) return Fail("storage is closed");
  return storage::ReadClaims(*impl_->db, program, status);
}

StatusOr<DeliveryPage> Store::Deliveries(const DeliveryQuery& query) const {
  if (!impl_->db || impl_->closed) return Fail("storage is closed");
  return storage::ReadDeliveries(*impl_->db, query);
}

StatusOr<std::string> Store::MemberSecret(std::string_view member) const {
  if (!impl_->db || impl_->closed) return Fail("storage is closed");
  return storage::ReadMemberSecret(*impl_->db, member);
}

Status Store::ReadJournal(Seq after, const std::function<bool(Seq, std::string_view)>& fn) const {
  if (!impl_->db || impl_->closed) return Fail("storage is closed");
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->db()->NewIterator(ro, impl_->db->cf(storage::kJournal)));
  Seq expect = after + 1;
  for (it->Seek(storage::SeqKey(expect)); it->Valid(); it->Next(), ++expect) {
    Seq seq = storage::DecodeBe64(it->key().ToStringView());
    if (seq != expect)
      return Status(ErrorCode::kNotFound, "journal entry " + std::to_string(expect) + " is gone (pruned)");
    if (!fn(seq, it->value().ToStringView())) return Status::Ok();
  }
  if (!it->status().ok()) return storage::FromRocks(it->status(), "read journal");
  return Status::Ok();
}

StatusOr<uint64_t> Store::VerifyChain() const {
  if (!impl_->db || impl_->closed) return Fail("storage is closed");
  return storage::VerifyTradeChain(*impl_->db);
}

}  // namespace corpex
