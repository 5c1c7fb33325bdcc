// gateway/cluster/node.h — a corpexd in a cluster: leadership on etcd,
// following the leader as a hot standby, taking over, and fencing.
//
// Keys under /corpex/<id>/: `leader` = "name|client HOST:PORT|replication
// HOST:PORT", created only if absent under this node's lease; its create
// revision is the leader's epoch. `successor` = the one node allowed to take
// over when `leader` goes: the standby whose acks the leader releases frames
// on, or the leader itself while it acks on its own disk (so a standby that
// has not been kept in sync can never win and lose an acknowledged fill).
//
// The leader renews its lease every lease_ttl/6 and releases frames only
// until 2/3 of a TTL after the last renewal it sent (Exchange's lease
// deadline), so it stops acknowledging before etcd can let anyone else win.
// When it cannot renew in time it is fenced: it answers nothing more and
// restarts itself to rejoin as a standby. A standby whose journal diverges
// from the leader's (an unacknowledged tail of a deposed leader) moves its
// database aside and restarts to sync from scratch.
//
// Threads: Start/Stop from main; the node's own thread does everything else,
// and reaches the engine only through Exchange::Post (the turn).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "corpex/status.h"
#include "gateway/cluster/epochs.h"
#include "gateway/cluster/etcd.h"
#include "gateway/config.h"
#include "gateway/protocol/json_out.h"

namespace corpex::gw {
class Exchange;
}

namespace corpex::cluster {

class Follower;
class Replicator;

struct NodeView {
  std::string role, leader, successor;
  uint64_t epoch = 0;
};

class Node {
 public:
  // `client_address`: where this node serves members (HOST:PORT), told to
  // clients that reach a standby. `restart`: re-executes corpexd.
  Node(const gw::Config& config, gw::Exchange* exchange, std::string client_address,
       std::function<void()> restart);
  ~Node();  // Stop()
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  Status Start();  // after Exchange::Start; binds the replication port
  void Stop();
  void DurableMoved();  // storage's writer thread: a standby acks what it made durable
  // The `cluster` op's fields from here (the turn holder): node, leader,
  // successor, epoch, and the standbys' (leader) or the stream's (standby) seqs.
  void WriteFields(gw::JsonOut& j) const;
  NodeView view() const;
  std::vector<struct StandbyView> standbys() const;

 private:
  void Run();
  void Follow(const EtcdKv& leader);
  void StopFollowing();
  bool Campaign();  // true: this node leads now
  void Lead();      // until the lease is lost or Stop
  void ManageSuccessor();
  void Restart(bool wipe, const std::string& why);
  bool Sleep(int ms);  // false when stopping

  // ---- fixed at construction ----
  const gw::ClusterConfig config_;
  const gw::Durability durability_;
  const std::string data_dir_;
  gw::Exchange* const exchange_;
  const std::string client_address_;
  const std::function<void()> restart_;
  const std::string leader_key_, successor_key_;

  // ---- the node thread's ----
  Etcd etcd_;
  std::unique_ptr<EpochLog> epochs_;
  std::unique_ptr<Follower> follower_;
  int64_t followed_revision_ = 0;
  int64_t lease_ = 0;
  std::string designated_;       // the standby the exchange's gate follows
  bool designated_named_ = false;  // etcd's successor key says so
  int repl_fd_ = -1;
  std::string repl_address_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;                    // guarded by mu_
  NodeView view_;                        // guarded by mu_
  std::shared_ptr<Replicator> replicator_;  // guarded by mu_ (set once leading)
  std::thread thread_;
};

}  // namespace corpex::cluster
