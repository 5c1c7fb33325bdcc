// storage/writer.h — group commit: the open batch and the writer thread.
//
// The engine's caller (the turn holder: docs/ARCHITECTURE.md) Append()s each
// command's Entry in seq order. Append links the entry's trades into the hash
// chain (the turn holder is the one place that sees every trade in order, so the chain is a pure function of the
// journal) and encodes everything into the open group commit: a WriteBatch,
// plus the latest value of each "as it stands" key (ledgers, programs).
//
// The writer thread pops the oldest group whenever it is idle, adds those
// latest values and the meta head to its batch, writes it (sync as
// configured) and only then publishes its last seq as durable. While one
// group is being written, later commands gather in the next one. A snapshot
// is queued as its own group behind the commands it covers, so it is written
// after them and never delays an acknowledgement that was ready.
//
// The first failed write stops the writer for good: nothing after it is
// published, Append returns the failure, waiters wake with it.
//
// Threads: Append, AppendSnapshot, head() by the turn holder; Durable,
// WaitDurable, Health, Stats on any; the rest runs on the writer thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "corpex/storage.h"
#include "storage/db.h"
#include "storage/entry.h"
#include "storage/keys.h"

namespace corpex::storage {

class Writer {
 public:
  // `head` is where disk stands now (from recovery). Starts the thread.
  Writer(Db* db, const StoreOptions& options, Head head);
  ~Writer();  // Stop()
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Encodes `entry` into the open group (sets its trades' hashes). Blocks
  // while max_queued commands wait for the writer.
  Status Append(Entry* entry);
  // Queues a snapshot covering every command appended so far.
  Status AppendSnapshot(std::string bytes);
  // Queues the meta of a snapshot a child wrote to its file (snapshot_child.h),
  // covering `head`; the commands up to it were appended before.
  Status AppendSnapshotFile(const Head& head, uint64_t bytes);
  // Writes everything queued, then stops the thread. Returns Health().
  Status Stop();

  const Head& head() const { return head_; }  // the turn holder
  Seq Durable() const { return durable_.load(std::memory_order_acquire); }
  Status WaitDurable(Seq seq, std::chrono::milliseconds timeout) const;
  Status Health() const;
  StoreStats Stats() const;

 private:
  struct Group;
  void Run();
  Group* OpenGroup();               // mu_ held
  Status QueueSnapshot(std::unique_ptr<Group> g);  // behind everything queued
  void Encode(Entry* e, Group* g);  // mu_ held, the turn holder
  Status WriteCommands(Group* g);   // writer thread
  Status WriteSnapshot(Group* g);   // writer thread

  // Fixed at construction.
  Db* const db_;
  const bool sync_;
  const bool prune_journal_;
  const uint64_t max_queued_;
  const std::chrono::microseconds commit_interval_;
  const std::function<void(Seq)> on_durable_;
  const std::function<void(Seq, int64_t, int64_t)> on_commit_;
  const std::atomic<bool>* const hold_writes_;

  // Engine thread only.
  Head head_;  // the chain after the last Append
  std::string scratch_;
  std::string key_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;             // a group is queued, or stopping
  std::condition_variable space_cv_;            // queued commands below max_queued
  mutable std::condition_variable durable_cv_;  // durable_ moved, or failure
  std::deque<std::unique_ptr<Group>> groups_;   // guarded by mu_; back() is open
  std::vector<std::unique_ptr<Group>> spare_;   // guarded by mu_; written, reusable
  uint64_t queued_commands_ = 0;                // guarded by mu_
  bool stopping_ = false;                       // guarded by mu_
  Status failure_;                              // guarded by mu_
  StoreStats stats_;                            // guarded by mu_
  std::atomic<Seq> durable_{0};

  std::chrono::steady_clock::time_point last_write_{};  // writer thread: when it began

  std::thread thread_;  // last: starts after everything above is built
};

}  // namespace corpex::storage
