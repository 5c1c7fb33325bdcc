// gateway/cluster/replicator.h — the leader's end of the journal stream.
//
// The turn holder Publish()es every journaled command right after handing
// it to storage (the same bytes the journal stores). Each standby that
// connects says where it stands (Hello); if its journal is a prefix of ours
// it is welcomed and sent everything after it: from storage's journal while
// it is behind the records kept in memory, then from memory as they are
// published. Its Acks say what it has applied and made durable.
//
// One standby at a time is designated (by the cluster node, after etcd names
// it the successor): its acks are the ones the exchange may release frames
// on in `replicated` modes (designated_applied / designated_durable), and it
// is the only one allowed to take over.
//
// Threads: Publish from the turn holder; the views and Designate from any;
// an accept thread, and a sender and an ack reader per standby, inside.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "corpex/status.h"
#include "gateway/cluster/repl_wire.h"

namespace corpex::cluster {

struct StandbyView {
  std::string node;
  Seq applied = 0;
  Seq durable = 0;
};

// What the leader's storage offers a standby that is behind memory.
struct JournalSource {
  // Entries after `after` in order, until fn returns false (Store::ReadJournal).
  std::function<Status(Seq after, const std::function<bool(Seq, std::string_view)>& fn)> read;
  // The key hash stored with a member.create's command bytes, else "".
  std::function<std::string(std::string_view command)> member_key;
};

class Replicator {
 public:
  // Takes `listen_fd`. `last_seq`: the last journaled seq now; Publish goes on from it.
  Replicator(int listen_fd, uint64_t epoch, std::vector<EpochStart> history, Seq last_seq,
             JournalSource source, std::function<void()> on_ack);
  ~Replicator();  // Stop()
  Replicator(const Replicator&) = delete;
  Replicator& operator=(const Replicator&) = delete;

  void Publish(Seq seq, std::string command, std::string member_key);
  void Designate(const std::string& node);  // "": none
  Seq designated_applied() const { return designated_applied_.load(std::memory_order_acquire); }
  Seq designated_durable() const { return designated_durable_.load(std::memory_order_acquire); }
  bool attached(const std::string& node) const;
  std::vector<StandbyView> Standbys() const;
  void Stop();

 private:
  struct Peer;
  static constexpr size_t kKeep = 1 << 18;      // records kept in memory for standbys
  static constexpr size_t kBatchBytes = 1 << 20;  // most bytes in one Records message

  void Accept();
  void Serve(const std::shared_ptr<Peer>& peer);
  void ReadAcks(const std::shared_ptr<Peer>& peer);
  // Fills *out with records from `next` on: storage when memory no longer has
  // them. Returns the seq after the last one added; `next` when none yet.
  Seq NextBatch(Seq next, const Peer& peer, std::string* out, bool* stopped);

  // ---- fixed at construction ----
  const int listen_fd_;
  const uint64_t epoch_;
  const std::vector<EpochStart> history_;
  const JournalSource source_;
  const std::function<void()> on_ack_;

  mutable std::mutex mu_;
  std::condition_variable cv_;                  // published, or stopping
  std::deque<Record> log_;                      // guarded by mu_: seqs log_first_.. in order
  Seq log_first_;                               // guarded by mu_
  std::vector<std::shared_ptr<Peer>> peers_;    // guarded by mu_
  std::string designated_;                      // guarded by mu_
  bool stopping_ = false;                       // guarded by mu_
  std::atomic<Seq> designated_applied_{0};
  std::atomic<Seq> designated_durable_{0};

  std::thread accept_thread_;
};

}  // namespace corpex::cluster
