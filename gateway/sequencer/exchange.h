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

namespace corpex::gw {

struct Inbound {
  enum class Type : uint8_t { kOpen, kRequest, kClosed } type = Type::kRequest;
  uint64_t session = 0;
  std::weak_ptr<Outlet> outlet;  // kOpen
  Request request;               // kRequest
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

 private:
  struct SessionState {
    std::weak_ptr<Outlet> outlet;
    Role role = Role::kNone;
    std::string user;
    MemberId member = kNone;
    bool cancel_on_disconnect = false;
    std::vector<OrderId> placed;  // for cancel-on-disconnect; pruned as it grows
    size_t prune_at = 4096;
  };
  struct Pending {
    Seq seq;
    uint64_t session;
    std::shared_ptr<const std::string> frame;  // null: close the session
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

  void Reply(uint64_t sid, const std::string& id, std::string result_json);
  void ReplyError(uint64_t sid, const std::string& id, const Status& st);
  void Emit(uint64_t sid, std::shared_ptr<const std::string> frame);
  void EmitClose(uint64_t sid);
  void Flush();
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
};

}  // namespace corpex::gw
