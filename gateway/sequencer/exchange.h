// gateway/sequencer/exchange.h — sequencing, durability, fan-out.
//
// Sessions Submit() decoded requests; they are handled one at a time, in order,
// checks login and roles, stamps each command's time, executes it, hands it to
// storage, and queues every frame the command produced (the response,
// executions to both sides, book and trade events) behind the command's seq.
// Frames leave only once storage reports that seq durable, in the order they
// were made, so nothing tells of a fill that a crash could undo. A Tick every
// 200 ms lets GTD orders and expired attestations leave the book. Regulator
// reports read storage on a thread of their own and answer directly (they
// read durable data only, so they need not wait behind the queue; so a
// report's answer may follow answers to later requests: clients match ids).
//
// Threads: Submit and queue_depth from any thread. Everything below the
// queue belongs to whoever holds the turn (busy_, under mu_): the engine
// thread; a Submit that found nothing queued and ran its request to
// completion on the calling I/O thread; or the storage writer releasing
// the frames a group commit made durable. One holder at a time, handed over
// under mu_, so the engine still sees one command after another (the rule
// for the whole process: docs/ARCHITECTURE.md).
#pragma once

#include <atomic>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "corpex/engine.h"
#include "gateway/cluster/repl_wire.h"
#include "gateway/protocol/auth.h"
#include "gateway/config.h"
#include "gateway/sequencer/job_thread.h"
#include "gateway/protocol/lists.h"
#include "gateway/metrics.h"
#include "gateway/net/outlet.h"
#include "gateway/sequencer/market_data.h"
#include "gateway/sequencer/member_limits.h"
#include "gateway/sequencer/persistence.h"
#include "gateway/protocol/request.h"

namespace corpex::cluster {
class Replicator;
struct JournalSource;
}  // namespace corpex::cluster

namespace corpex::gw {

struct Inbound {
  enum class Type : uint8_t { kOpen, kRequest, kClosed, kJob } type = Type::kRequest;
  uint64_t session = 0;
  std::weak_ptr<Outlet> outlet;  // kOpen
  Request request;               // kRequest
  std::function<void()> job;     // kJob: runs under the turn
};

// This process's part in a cluster (gateway/cluster/node.h); kSingle without one.
enum class NodeRole : uint8_t { kSingle, kStandby, kLeader, kFenced };
std::string_view NodeRoleName(NodeRole r);

// What a leader may release frames on (exchange_cluster.cc): its own disk,
// nothing new (while etcd learns who may take over), or the designated
// standby's acks as the durability mode says.
enum class Gate : uint8_t { kLocal, kFrozen, kStandby };

// An order request's stage times (steady ns, metrics.h) until its ack is released.
struct OrderTiming {
  int64_t read_ns = 0;  // 0: not timed
  int64_t decoded_ns = 0;
  int64_t engine_ns = 0;
};

class Exchange {
 public:
  Exchange(const Config& config, Metrics* metrics);
  ~Exchange();
  Exchange(const Exchange&) = delete;
  Exchange& operator=(const Exchange&) = delete;

  // Opens storage, recovers the engine, starts the engine thread.
  Status Start();
  // After Start: what recovery found, one line for the operator's log.
  const std::string& recovery() const { return recovery_; }
  // Drains, snapshots through storage, stops the thread. Idempotent.
  void Stop();
  void Submit(Inbound in);
  // Several, in order, taking the turn once: one read of a busy session
  // brings ~30 requests (flat out). Moves from `batch`; the caller clears it.
  void SubmitAll(std::vector<Inbound>& batch);

  // ---- the cluster node's (gateway/cluster/node.h; exchange_cluster.cc) ----
  // Runs `job` under the turn after everything submitted before it.
  void Post(std::function<void()> job);
  void PostAndWait(std::function<void()> job);
  // Inside a job: execute and journal a record the leader sent, seq by seq.
  Status ApplyRecord(const cluster::Record& record);
  Seq last_seq() const { return seq_; }  // inside a job
  void BecomeStandby(std::string leader);  // inside a job; requests get NOT_LEADER
  // Inside a job: serve clients from here on, publishing to `replicator`.
  void BecomeLeader(std::shared_ptr<cluster::Replicator> replicator, uint64_t epoch);
  // Any thread: no frame leaves from now on, and no request is served.
  void Fence(const std::string& why);
  void SetGate(Gate gate);  // any thread; wakes the release of held frames
  void OnDurable();         // any thread (storage's writer, a standby's ack): release what may go
  Seq released_seq() const { return released_.load(std::memory_order_acquire); }
  // Any thread: frames leave only before this steady-clock time (the leader's lease).
  void set_lease_deadline(int64_t steady_ns) { lease_deadline_ns_.store(steady_ns, std::memory_order_release); }
  NodeRole role() const { return role_.load(std::memory_order_acquire); }
  // Before Start: writes the cluster node's fields into a `cluster` answer (turn holder).
  void set_cluster_fields(std::function<void(JsonOut&)> fields) { cluster_fields_ = std::move(fields); }
  // Before Start: runs on storage's writer thread after each group commit.
  void set_on_durable(std::function<void()> hook) { on_durable_hook_ = std::move(hook); }
  Seq durable_seq() const;  // any thread, after Start
  Seq appended_seq() const { return metrics_->appended_seq.load(std::memory_order_relaxed); }  // any thread
  void set_replication_lag(uint64_t records, uint64_t epoch);  // any thread: for /metrics
  cluster::JournalSource journal_source() const;  // any thread, after Start

 private:
  struct SessionState {
    std::weak_ptr<Outlet> outlet;
    Role role = Role::kNone;
    std::string user;
    MemberId member = kNone;
    // Of its last accepted order.new: handle hints for the next.
    InstrumentId last_instrument = kNone;
    AttestationId last_attestation = kNone;
    bool cancel_on_disconnect = false;
    std::vector<OrderId> placed;  // for cancel-on-disconnect; pruned as it grows
    size_t prune_at = 4096;
  };
  struct Pending {
    Seq seq;
    uint64_t session;
    std::shared_ptr<const std::string> frame;  // null: close the session
    OrderTiming timing;
  };
  struct Commit {  // a group commit the store reported (StoreOptions::on_commit)
    Seq last;
    int64_t began_ns, done_ns;
  };

  void Run();
  // mu_ held: no one has the turn and the exchange is running.
  bool TurnFree() const;
  // mu_ held by lock, turn free: takes the turn, runs work and releases the
  // frames now durable outside mu_, then hands the turn over.
  void RunWithTurn(std::unique_lock<std::mutex>& lock, const std::function<void()>& work);
  void HandOver();  // mu_ held: gives up the turn
  void Handle(Inbound& in);
  // In order, hinting the engine at the commands ahead of the one it runs.
  void HandleAll(std::vector<Inbound>& batch);
  void HandleRequest(uint64_t sid, SessionState& s, Request& r);
  void Login(uint64_t sid, SessionState& s, Request& r);
  void RunCommand(uint64_t sid, SessionState& s, Request& r);
  void Query(uint64_t sid, SessionState& s, Request& r);
  void ClusterAnswer(uint64_t sid, const Request& r);
  void Subscribe(uint64_t sid, SessionState& s, Request& r);
  void Report(uint64_t sid, Request& r);
  // Runs on the report thread: reads durable data only.
  std::string ReportFrame(const Request& r) const;
  void Closed(uint64_t sid);
  void MaybeTick();

  // Executes with a fresh ts, journals, fans the events out; the Events are
  // valid until the next Execute.
  const Events& Execute(Command c, const std::string* member_key = nullptr);
  void FanOut(const Events& ev);
  void Publish(const Command& c, const std::string* member_key);  // to the standbys

  void Reply(uint64_t sid, const std::string& id, std::string result_json);
  void ReplyError(uint64_t sid, const std::string& id, const Status& st);
  // For answers that tell nothing a crash could undo (a login, `cluster`):
  // at once unless this session already has frames held behind the gate.
  void ReplyNow(uint64_t sid, const std::string& id, std::string result_json);
  void Emit(uint64_t sid, std::shared_ptr<const std::string> frame, const OrderTiming& timing = {});
  void EmitClose(uint64_t sid);
  void Flush();
  Seq ReleasableSeq();  // the turn holder: how far frames may leave now
  // Flush's: copies the commits covering seqs up to `upto` into
  // commits_seen_ (when `copy`) and forgets those wholly at or below it.
  void TakeCommits(Seq upto, bool copy);
  // Flush's: records a released ack's stages; adds it to `released`.
  void ObserveStages(const Pending& p, size_t* commit, Released* released);
  int64_t NowNs() const;

  // ---- fixed at construction ----
  const Config config_;
  Metrics* const metrics_;

  // ---- the queue: the only state shared between threads ----
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Inbound> queue_;
  bool stop_ = false;
  bool durable_signal_ = false;
  // Someone holds the turn (the engine thread, a Submit running to
  // completion, the writer releasing durable frames): the state below is
  // theirs until they clear it.
  bool busy_ = false;
  bool started_ = false;  // Start done: Submit may run requests itself

  // ---- the turn holder's only ----
  std::thread thread_;
  std::unique_ptr<Persistence> store_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<JobThread> reports_;  // regulator reads, off the engine thread
  Authenticator auth_;
  Seq seq_ = 0;
  TimeNs last_ts_ = 0;
  bool failed_ = false;  // storage failed: refuse every command
  int64_t next_tick_ns_ = 0;
  int64_t started_ns_ = 0;
  std::string recovery_;
  std::unordered_map<uint64_t, SessionState> sessions_;
  std::unordered_map<MemberId, std::vector<uint64_t>> member_sessions_;
  MarketData market_;
  MemberLimits limits_;
  std::deque<Pending> pending_;
  std::deque<std::pair<Seq, int64_t>> append_times_;  // for the durable-wait histogram
  std::vector<Commit> commits_seen_;  // Flush's copy of the commits_ it releases
  std::shared_ptr<cluster::Replicator> replicator_;   // a leader's
  std::string leader_hint_;                           // a standby's: where the leader is
  std::string encoded_;                               // Publish's scratch

  // ---- the storage writer's, read by the turn holder ----
  std::mutex commits_mu_;
  std::deque<Commit> commits_;  // in seq order; dropped once released past

  // ---- the cluster's, any thread ----
  std::function<void()> on_durable_hook_;  // set before Start
  std::function<void(JsonOut&)> cluster_fields_;  // set before Start
  std::atomic<NodeRole> role_{NodeRole::kSingle};
  std::atomic<Gate> gate_{Gate::kLocal};
  std::atomic<int64_t> lease_deadline_ns_{INT64_MAX};
  std::atomic<Seq> released_{0};
  std::atomic<uint64_t> epoch_{0};
};

}  // namespace corpex::gw
