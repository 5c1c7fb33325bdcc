// corpex/storage.h — durable journal, trades, ledgers, snapshots, recovery.
//
// One RocksDB database under `dir`, one column family per shape and lifetime;
// the keys and values of each are in storage/README.md ("On disk").
//
// Write path. The turn holder executes a command, then calls Append(seq,
// command, events, engine). Append copies what the events say into owned,
// named records (names from the engine's refdata: events are only valid until
// the next Execute), links the trades into the hash chain (the turn holder
// sees every trade in seq order, so the chain is a pure function of the
// journal) and encodes it all into the open group commit; it never touches
// the disk. One writer thread takes the open group whenever it is idle and
// writes it as ONE WriteBatch with sync=true: the journal entries, their
// trades and index keys, claims and refdata, the latest value of every ledger
// and program they changed, and the new "head". While that fsync runs, later
// commands gather in the next group (group commit). After the write returns,
// durable_seq() moves to the group's last seq and on_durable fires: a fill may
// be reported to a member only once its seq is durable.
//
// Every executed command is journaled, rejected ones too: a rejected cancel
// may still expire an order it touched, and replay must repeat that.
//
// Snapshots. Every `snapshot_every` commands (and on Close with an engine)
// the turn holder calls Engine::Save() and queues the bytes behind the
// commands they cover (or, with snapshot_in_child, forks a child that writes
// them to a file and queues only the meta once the child is done); the writer commits the commands before it first, then
// the snapshot in its own batch together with the "snapshot" meta and the
// deletion of the older snapshot. Only the latest snapshot is kept. Journal
// entries a snapshot covers are kept (they are the exchange's order audit
// trail) unless `prune_journal` is set. Restart work is bounded by
// snapshot_every (journal to replay) and a 32 MiB cap on RocksDB's own WAL.
//
// Recovery (Recover): load the latest snapshot, replay the journal after it
// through a fresh Engine (read ahead on a second thread while the snapshot
// restores), check every seq is there exactly once and that the replay
// re-creates the last stored trade and chain head, and return the engine
// with the last seq and chain head. A clean Close flushes RocksDB, so the
// next start replays nothing; after a kill -9 RocksDB replays its WAL first.
//
// Faults. Open fails with one line, never a fresh start over old data, when
// the directory holds a corrupt or foreign database, another format version,
// or is locked by another process (RocksDB's LOCK). A failed write (disk full,
// I/O error) puts the store in a failed state for good: durable_seq() stops,
// health() and every later Append return the error, and the caller must stop
// accepting commands — its engine has run ahead of the disk. Whether the
// failed batch reached the disk is unknown until the next start.
//
// Threads: Open, Recover, Append, Snapshot, Close by one caller at a time (in
// corpexd the turn holder: docs/ARCHITECTURE.md). durable_seq, WaitDurable, health, stats and the reads on any
// thread, until Close. on_durable runs on the writer thread and must be quick.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "corpex/engine.h"
#include "corpex/records.h"
#include "corpex/status.h"

namespace corpex {

struct StoreTestHooks;

inline constexpr uint32_t kStorageFormatVersion = 1;

struct StoreOptions {
  std::string dir;                      // created when missing
  bool sync = true;                     // fsync every group commit; false only to measure
  uint64_t snapshot_every = 1'000'000;  // commands between snapshots; 0: only on Close
  bool prune_journal = false;           // delete journal entries a snapshot covers
  // Periodic snapshots are serialised by a forked child into a file of their
  // own (storage/snapshot_child.h), so the turn holder stalls for the fork
  // only, not for Engine::Save and a 100 MB write. A snapshot still being
  // written when the next is due delays that one. Off: Save on the calling
  // thread, bytes in the snapshots column family (every snapshot exactly at
  // its multiple of snapshot_every, which some tests rely on).
  bool snapshot_in_child = false;
  size_t max_queued = 1 << 16;          // commands queued before Append blocks
  // Least time from the start of one group commit to the start of the next.
  // 0: the next group is written as soon as the last is durable. Fewer,
  // larger syncs cost a little median latency; see README's Performance
  // section for why a VM's tail latency can need them.
  std::chrono::microseconds commit_interval{0};
  std::function<void(Seq)> on_durable;  // writer thread, after each group commit
  // Writer thread, after a group's write and before durable_seq() moves to
  // `last`: when the write began and ended (steady-clock ns). For latency
  // breakdowns; must be quick.
  std::function<void(Seq last, int64_t began_ns, int64_t done_ns)> on_commit;
  Engine::Options engine;               // for the engine Recover builds
  const StoreTestHooks* test_hooks = nullptr;  // storage's tests only (storage/test_hooks.h)
};

struct Recovered {
  std::unique_ptr<Engine> engine;
  Seq last_seq = 0;                           // the next command is last_seq + 1
  TradeId last_trade_id = 0;                  // 0: no trade yet
  std::string chain_head;                     // hash of the last trade, or kGenesisHash
  Seq snapshot_seq = 0;                       // 0: no snapshot
  uint64_t replayed = 0;                      // journal entries executed after it
  std::chrono::nanoseconds snapshot_time{0};  // reading and restoring the snapshot
  std::chrono::nanoseconds replay_time{0};    // reading and executing the journal after it
};

// Optional data written in the same batch as the command.
struct AppendExtras {
  std::string member_secret;  // with a member.create: stored under 'S' member
};

struct TradeQuery {
  int64_t from_ms = 0;     // inclusive
  int64_t to_ms = 0;       // exclusive
  std::string member;      // "": any; else trades it bought or sold
  std::string instrument;  // "": any
  std::string cursor;      // "" or a previous page's next_cursor
  size_t limit = 1000;     // 1..kMaxTradePage
};
inline constexpr size_t kMaxTradePage = 10'000;

struct TradePage {
  std::vector<TradeRecord> trades;  // oldest first (ts, then trade id)
  std::string next_cursor;          // "" after the last page
};

// Deliveries in trade id order (docs/PROTOCOL.md "Deliveries").
struct DeliveryQuery {
  std::string member;                  // "": any; else its trades, either side
  bool has_state = false;              // filter by state
  DeliveryState state = DeliveryState::kPending;
  std::string cursor;                  // "" or a previous page's next_cursor
  size_t limit = 100;                  // 1..kMaxTradePage
};

struct DeliveryPage {
  std::vector<DeliveryRecord> deliveries;
  std::string next_cursor;  // "" after the last page
};

struct StoreStats {
  Seq appended_seq = 0;
  Seq durable_seq = 0;
  uint64_t batches = 0;    // group commits written
  uint64_t commands = 0;   // journal entries written
  uint64_t trades = 0;     // trades written
  uint64_t snapshots = 0;  // snapshots written
  uint64_t snapshot_failures = 0;  // child-written snapshots that failed (retried when next due)
  uint64_t max_batch = 0;  // most commands in one group commit
};

class Store {
 public:
  static StatusOr<std::unique_ptr<Store>> Open(StoreOptions options);
  ~Store();  // Close(nullptr) if still open
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Rebuilds the engine from snapshot + journal. Once, before the first Append.
  StatusOr<Recovered> Recover();

  // Queues command `seq` (== last appended + 1) and what its events changed.
  // `events` and `engine` are read now and not kept. May block while
  // max_queued commands wait. Takes a snapshot when snapshot_every is due.
  Status Append(Seq seq, const Command& command, const Events& events, const Engine& engine,
                const AppendExtras* extras = nullptr);
  // Queues a snapshot of `engine`, which must have executed exactly the
  // commands appended so far.
  Status Snapshot(const Engine& engine);

  Seq appended_seq() const;
  Seq durable_seq() const;  // every command <= this is on disk
  // Ok once `seq` is durable; the failure if the store failed first;
  // kInternal "timed out" after `timeout`.
  Status WaitDurable(Seq seq, std::chrono::milliseconds timeout) const;
  Status health() const;  // Ok, or the write failure that stopped the store
  StoreStats stats() const;

  // Waits for everything queued, writes a final snapshot of `engine` when
  // given (it must have executed every appended command), stops the writer
  // and closes the database. Returns the first failure, if any.
  Status Close(const Engine* engine);

  // ---- reads: durable data only, any thread ----
  StatusOr<TradePage> Trades(const TradeQuery& query) const;
  StatusOr<TradeRecord> Trade(TradeId id) const;  // kBadRequest when unknown
  StatusOr<VoucherReport> Vouchers(std::string_view program) const;
  // A program's claims by trade id; `status` filters when given.
  StatusOr<std::vector<ClaimRecord>> Claims(std::string_view program,
                                            const ClaimStatus* status = nullptr) const;
  // A page of deliveries; with a state filter a page may hold fewer than
  // `limit` (each read looks at a bounded number of trades) yet go on.
  StatusOr<DeliveryPage> Deliveries(const DeliveryQuery& query) const;
  StatusOr<std::string> MemberSecret(std::string_view member) const;
  // The journal after `after`, in seq order, as stored (EncodeCommand's
  // bytes), until `fn` returns false or the journal ends; what a standby
  // catching up is sent. Entries a pruned snapshot covers are gone: kNotFound.
  Status ReadJournal(Seq after, const std::function<bool(Seq, std::string_view)>& fn) const;
  // Walks every trade by id, checks each prev_hash links to the previous hash
  // and each hash recomputes; returns how many trades it checked.
  StatusOr<uint64_t> VerifyChain() const;

 private:
  class Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace corpex
