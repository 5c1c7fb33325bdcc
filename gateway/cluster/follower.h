// gateway/cluster/follower.h — a standby's end of the journal stream.
//
// Connects to the leader etcd names, says where this node's journal stands
// (Hello) and expects a Welcome from exactly the epoch etcd gave: a stream
// from any other leader is refused, which is what fences a deposed one. Each
// Records message must continue the journal seq by seq; its records go to the
// turn holder to execute and journal (Exchange::Apply), and the Acks going
// back say what is applied and what the local store has made durable.
//
// Threads: the constructor, Stop and the views from the cluster node's
// thread; DurableMoved from storage's writer; a reader and an ack writer inside.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "corpex/status.h"
#include "gateway/cluster/repl_wire.h"

namespace corpex::cluster {

struct FollowerHooks {
  // Hands records to the turn holder; `done` runs there once they are
  // executed and journaled (the last seq applied) or failed.
  std::function<void(std::vector<Record>, std::function<void(Seq, Status)> done)> apply;
  std::function<Seq()> durable;  // the local store's durable seq
  std::function<Status(const std::vector<EpochStart>&)> save_history;
};

class Follower {
 public:
  Follower(std::string host, uint16_t port, Hello hello, uint64_t epoch, FollowerHooks hooks);
  ~Follower();  // Stop()
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  void Stop();
  void DurableMoved();
  // The stream has ended (leader gone, refused, or a bad record); why().
  bool ended() const { return ended_.load(std::memory_order_acquire); }
  bool refused() const { return refused_.load(std::memory_order_acquire); }
  std::string why() const;
  Seq applied() const { return applied_.load(std::memory_order_acquire); }
  Seq received() const { return received_.load(std::memory_order_acquire); }

 private:
  void Read();
  void SendAcks();
  void End(Status why, bool refused = false);

  // ---- fixed at construction ----
  const std::string host_;
  const uint16_t port_;
  const Hello hello_;
  const uint64_t epoch_;
  const FollowerHooks hooks_;

  mutable std::mutex mu_;
  std::condition_variable cv_;  // applied or durable moved, or ending
  Status why_;                  // guarded by mu_
  int fd_ = -1;                 // guarded by mu_ once the reader has connected
  bool acks_due_ = false;       // guarded by mu_
  std::atomic<bool> ended_{false};
  std::atomic<bool> refused_{false};
  std::atomic<Seq> applied_;
  std::atomic<Seq> received_;

  std::thread reader_;
  std::thread acker_;
};

}  // namespace corpex::cluster
