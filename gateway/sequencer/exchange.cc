#include "gateway/sequencer/exchange.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "gateway/protocol/wire_encode.h"

namespace corpex::gw {
namespace {

constexpr int64_t kTickNs = 200'000'000;
constexpr size_t kMaxCommitsKept = 1 << 16;

int64_t WallNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t SteadyUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void Erase(std::vector<uint64_t>& v, uint64_t x) { v.erase(std::remove(v.begin(), v.end(), x), v.end()); }

}  // namespace

Exchange::Exchange(const Config& config, Metrics* metrics)
    : config_(config), metrics_(metrics), auth_(config), limits_(config.limits) {
  if (config.clustered) role_ = NodeRole::kStandby;  // until etcd says otherwise
  metrics_->role = static_cast<uint64_t>(role_.load());
}

Exchange::~Exchange() { Stop(); }

int64_t Exchange::NowNs() const { return WallNs(); }

Status Exchange::Start() {
  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) return Status(ErrorCode::kInternal, "cannot create " + config_.data_dir + ": " + ec.message());
  // On the storage writer thread, after each group commit: release the
  // frames it made durable right here when no one holds the turn, rather
  // than waking the engine thread to do it (one wake-up fewer per group).
  auto store = Persistence::Open(config_.data_dir + "/db",
                                 std::chrono::microseconds(config_.commit_interval_us),
                                 config_.snapshot_every, [this] {
    metrics_->group_commits.fetch_add(1, std::memory_order_relaxed);
    if (on_durable_hook_) on_durable_hook_();
    OnDurable();
  }, [this](Seq last, int64_t began_ns, int64_t done_ns) {
    metrics_->group_commit.Record(done_ns - began_ns);
    std::lock_guard<std::mutex> lock(commits_mu_);
    if (commits_.size() >= kMaxCommitsKept) commits_.pop_front();  // no Flush for a while: keep it bounded
    commits_.push_back(Commit{last, began_ns, done_ns});
  });
  if (!store.ok()) return store.status();
  store_ = std::move(store.value());
  auto rec = store_->Recover();
  if (!rec.ok()) return rec.status();
  engine_ = std::move(rec->engine);
  seq_ = rec->last_seq;
  recovery_ = "corpexd recovered seq " + std::to_string(seq_) + ": " +
              (rec->snapshot_seq ? "snapshot at seq " + std::to_string(rec->snapshot_seq)
                                 : std::string("no snapshot")) +
              ", " + std::to_string(rec->replayed) + " journaled commands replayed in " +
              std::to_string((rec->snapshot_time + rec->replay_time).count() / 1'000'000) + " ms";
  last_ts_ = engine_->counters().clock;
  for (const Member& m : engine_->members()) {
    auto key = store_->MemberKey(m.member);
    if (key.ok()) auth_.SetMemberKey(m.member, key.value());
  }
  Status st = auth_.OpenNonces(config_.data_dir + "/nonces.log", NowNs() / 1'000'000);
  if (!st.ok()) return st;
  market_.Reset(engine_->instruments().size());
  limits_.Load(*engine_);
  started_ns_ = NowNs();
  metrics_->appended_seq = seq_;
  metrics_->durable_seq = seq_;
  released_ = seq_;
  reports_ = std::make_unique<JobThread>();
  {
    std::lock_guard<std::mutex> lock(mu_);
    started_ = true;
  }
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "cx-engine");  // names show in top -H and perf
    Run();
  });
  return Status::Ok();
}

void Exchange::OnDurable() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!TurnFree()) {
    durable_signal_ = true;
    cv_.notify_one();
    return;
  }
  durable_signal_ = false;
  RunWithTurn(lock, [] {});
}

void Exchange::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

void Exchange::Submit(Inbound in) {
  std::unique_lock<std::mutex> lock(mu_);
  // Run to completion on the caller's (I/O) thread when nothing waits and no
  // one is handling: at moderate load this spares a wake-up and a context
  // switch per request, which were most of an I/O thread's time at 20,000
  // orders/s. Otherwise the request queues for the engine thread. Taking the
  // turn under mu_, with the queue empty, keeps every session's requests in
  // the order they arrived.
  if (queue_.empty() && TurnFree()) {
    RunWithTurn(lock, [&] { Handle(in); });
    return;
  }
  queue_.push_back(std::move(in));
  metrics_->queue_depth.store(queue_.size(), std::memory_order_relaxed);
  cv_.notify_one();
}

void Exchange::SubmitAll(std::vector<Inbound>& batch) {
  if (batch.empty()) return;
  std::unique_lock<std::mutex> lock(mu_);
  if (queue_.empty() && TurnFree()) {
    RunWithTurn(lock, [&] { HandleAll(batch); });
    return;
  }
  for (Inbound& in : batch) queue_.push_back(std::move(in));
  metrics_->queue_depth.store(queue_.size(), std::memory_order_relaxed);
  cv_.notify_one();
}

bool Exchange::TurnFree() const { return !busy_ && !stop_ && started_; }

void Exchange::RunWithTurn(std::unique_lock<std::mutex>& lock, const std::function<void()>& work) {
  busy_ = true;
  lock.unlock();
  work();
  Flush();
  lock.lock();
  HandOver();
}

void Exchange::HandOver() {
  busy_ = false;
  // What arrived meanwhile is the engine thread's.
  if (!queue_.empty() || durable_signal_) cv_.notify_one();
}

void Exchange::Run() {
  // Swapped with queue_ each round: both keep their capacity, so queueing
  // allocates nothing once they have grown to the load.
  std::vector<Inbound> batch;
  for (;;) {
    bool stopping = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      for (;;) {
        const int64_t now = NowNs();
        const bool work = stop_ || durable_signal_ || !queue_.empty() || now >= next_tick_ns_;
        if (work && !busy_) break;
        // While a caller has the turn, look again soon: it hands over by
        // notifying, this is only the backstop.
        const int64_t wait_ns = busy_ ? 1'000'000 : std::max<int64_t>(1'000'000, next_tick_ns_ - now);
        cv_.wait_for(lock, std::chrono::nanoseconds(wait_ns));
      }
      busy_ = true;
      batch.swap(queue_);
      durable_signal_ = false;
      stopping = stop_;
      metrics_->queue_depth.store(0, std::memory_order_relaxed);
    }
    HandleAll(batch);
    batch.clear();
    if (role_ == NodeRole::kSingle || role_ == NodeRole::kLeader) MaybeTick();
    Flush();
    {
      std::lock_guard<std::mutex> lock(mu_);
      HandOver();
    }
    if (stopping) break;
  }
  reports_.reset();  // finishes queued reads before storage closes
  Status st = store_->Close(engine_.get());
  if (!st.ok()) std::fprintf(stderr, "corpexd: storage close: %s\n", st.message().c_str());
  pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                [](const Pending& p) { return p.frame == nullptr; }),
                 pending_.end());
  // Everything appended is durable after Close: release what was held. Not
  // in a cluster: there the gate decides, and the successor takes over.
  if (role_ != NodeRole::kSingle) pending_.clear();
  for (Pending& p : pending_) {
    auto it = sessions_.find(p.session);
    if (it == sessions_.end()) continue;
    if (auto out = it->second.outlet.lock()) out->Send(std::move(p.frame));
  }
  pending_.clear();
  for (auto& [sid, s] : sessions_)
    if (auto out = s.outlet.lock()) out->Close();
}

void Exchange::HandleAll(std::vector<Inbound>& batch) {
  // A batch is a queue the engine can look into: start fetching what the
  // commands ahead will touch while this one runs (a hint only).
  const auto queued = [&](size_t j) -> const Command* {
    if (j < batch.size() && batch[j].type == Inbound::Type::kRequest &&
        batch[j].request.kind == OpKind::kCommand)
      return &batch[j].request.command;
    return nullptr;
  };
  // Each hint at its own distance: a command's lines, then the book's.
  const auto lines = [&](size_t j) {
    if (const Command* c = queued(j)) Engine::PrefetchCommand(*c);
  };
  const auto book = [&](size_t j) {
    if (const Command* c = queued(j)) engine_->Prefetch(*c);
  };
  for (size_t j = 0; j < Engine::kCommandAhead; ++j) lines(j);
  for (size_t j = 0; j < Engine::kPrefetchAhead; ++j) book(j);
  for (size_t i = 0; i < batch.size(); ++i) {
    lines(i + Engine::kCommandAhead);
    book(i + Engine::kPrefetchAhead);
    Handle(batch[i]);
  }
}

void Exchange::Handle(Inbound& in) {
  switch (in.type) {
    case Inbound::Type::kOpen:
      sessions_[in.session].outlet = in.outlet;
      return;
    case Inbound::Type::kClosed:
      return Closed(in.session);
    case Inbound::Type::kJob:
      return in.job();
    case Inbound::Type::kRequest: {
      auto it = sessions_.find(in.session);
      if (it == sessions_.end()) return;
      metrics_->requests.fetch_add(1, std::memory_order_relaxed);
      // A standby lets operators log in and see where it stands; nothing else.
      const OpKind kind = in.request.known_op ? in.request.kind : OpKind::kCommand;
      const bool read_only = kind == OpKind::kLogin || kind == OpKind::kLogout || kind == OpKind::kStatus ||
                             kind == OpKind::kCluster;
      if ((role_ == NodeRole::kStandby && !read_only) || role_ == NodeRole::kFenced)
        return ReplyError(in.session, in.request.id,
                          Status(ErrorCode::kNotLeader, role_ == NodeRole::kFenced
                                                            ? "this node has lost its leadership"
                                                            : "this node is a standby; the leader serves at " +
                                                                  leader_hint_));
      return HandleRequest(in.session, it->second, in.request);
    }
  }
}

void Exchange::Closed(uint64_t sid) {
  auto it = sessions_.find(sid);
  if (it == sessions_.end()) return;
  SessionState s = std::move(it->second);
  sessions_.erase(it);
  market_.Forget(sid);
  if (s.member != kNone) Erase(member_sessions_[s.member], sid);
  if (s.cancel_on_disconnect && s.member != kNone && !failed_) {
    std::vector<OrderView> open = engine_->OpenOrders(s.member);
    for (OrderId id : s.placed) {
      bool live = std::any_of(open.begin(), open.end(), [id](const OrderView& o) { return o.id == id; });
      if (!live) continue;
      CancelOrder c;
      c.member.assign(s.user);
      c.order_id = id;
      c.reason = Reason::kCancelOnDisconnect;
      (void)Execute(Command{0, c});
    }
  }
}

void Exchange::MaybeTick() {
  int64_t now = NowNs();
  if (now < next_tick_ns_) return;
  next_tick_ns_ = now + kTickNs;
  const EngineCounters counters = engine_->counters();
  if (failed_ || (counters.resting_orders == 0 && counters.open_deals == 0)) return;
  (void)Execute(Command{0, Tick{}});
}

const Events& Exchange::Execute(Command c, const std::string* member_key) {
  last_ts_ = std::max(last_ts_, NowNs());
  c.ts = last_ts_;
  const Events& ev = engine_->Execute(c);
  Status st = store_->Append(++seq_, c, ev, *engine_, member_key);
  if (!st.ok()) {
    // The engine ran ahead of the disk: stop taking commands for good.
    std::fprintf(stderr, "corpexd: storage failed: %s\n", st.message().c_str());
    failed_ = true;
  }
  if (replicator_) Publish(c, member_key);
  append_times_.emplace_back(seq_, SteadyUs());
  metrics_->appended_seq.store(seq_, std::memory_order_relaxed);
  if (std::holds_alternative<NewOrder>(c.body) && ev.status.ok())
    metrics_->orders.fetch_add(1, std::memory_order_relaxed);
  metrics_->trades.fetch_add(ev.trades.size(), std::memory_order_relaxed);
  if (!ev.status.ok()) metrics_->Reject(ev.status.code());
  limits_.Count(c, ev);
  FanOut(ev);
  if (ev.has_delivery) {
    auto frame = std::make_shared<const std::string>(DeliveryEvent(*engine_, c, ev.delivery));
    for (MemberId m : {ev.delivery.buyer, ev.delivery.seller}) {
      auto it = member_sessions_.find(m);
      if (it == member_sessions_.end()) continue;
      for (uint64_t sid : it->second) Emit(sid, frame);
    }
  }
  return ev;
}

void Exchange::FanOut(const Events& ev) {
  auto to_member = [this](MemberId m, std::shared_ptr<const std::string> frame) {
    auto it = member_sessions_.find(m);
    if (it == member_sessions_.end()) return;
    for (uint64_t sid : it->second) Emit(sid, frame);
  };
  for (const Trade& t : ev.trades) {
    if (Negotiated(t) && !ev.quotes.empty()) {  // quote.accept: its quote comes first in the events
      const QuoteView& q = ev.quotes.front();
      to_member(t.buyer, std::make_shared<const std::string>(DealFillEvent(*engine_, t, Side::kBuy, q)));
      to_member(t.seller, std::make_shared<const std::string>(DealFillEvent(*engine_, t, Side::kSell, q)));
      continue;
    }
    to_member(t.buyer, std::make_shared<const std::string>(ExecutionFillEvent(*engine_, t, Side::kBuy)));
    to_member(t.seller, std::make_shared<const std::string>(ExecutionFillEvent(*engine_, t, Side::kSell)));
  }
  // An RFQ goes to its buyer and to every member that may sell the
  // instrument (anonymous to them); a quote to its seller and the RFQ's buyer.
  for (const RfqView& r : ev.rfqs) {
    auto anonymous = std::make_shared<const std::string>(RfqEvent(*engine_, r, false));
    to_member(r.buyer, std::make_shared<const std::string>(RfqEvent(*engine_, r, true)));
    for (const auto& [m, sids] : member_sessions_)
      if (m != r.buyer && !sids.empty() && engine_->MaySell(m, r.instrument)) to_member(m, anonymous);
  }
  for (const QuoteView& q : ev.quotes) {
    auto frame = std::make_shared<const std::string>(QuoteEvent(*engine_, q));
    to_member(q.seller, frame);
    if (q.buyer != q.seller) to_member(q.buyer, frame);
  }
  for (const OrderView& o : ev.done)
    to_member(o.member, std::make_shared<const std::string>(ExecutionDoneEvent(*engine_, o)));
  if (ev.has_order &&
      (ev.order.status == OrderStatus::kCanceled || ev.order.status == OrderStatus::kExpired))
    to_member(ev.order.member, std::make_shared<const std::string>(ExecutionDoneEvent(*engine_, ev.order)));
  market_.Publish(*engine_, ev, [this](uint64_t sid, const MarketData::Frame& frame) { Emit(sid, frame); });
}

void Exchange::Reply(uint64_t sid, const std::string& id, std::string result_json) {
  Emit(sid, std::make_shared<const std::string>(OkFrame(id, result_json)));
}

void Exchange::ReplyNow(uint64_t sid, const std::string& id, std::string result_json) {
  // Only frames of this session may be held ahead of it: their order stands.
  const bool held = std::any_of(pending_.begin(), pending_.end(), [sid](const Pending& p) { return p.session == sid; });
  auto it = sessions_.find(sid);
  if (held || it == sessions_.end()) return Reply(sid, id, std::move(result_json));
  if (auto out = it->second.outlet.lock()) out->Send(std::make_shared<const std::string>(OkFrame(id, result_json)));
}

void Exchange::ReplyError(uint64_t sid, const std::string& id, const Status& st) {
  metrics_->Reject(st.code());
  Emit(sid, std::make_shared<const std::string>(ErrorFrame(id, st)));
}

void Exchange::Emit(uint64_t sid, std::shared_ptr<const std::string> frame, const OrderTiming& timing) {
  if (pending_.empty() && ReleasableSeq() >= seq_) {
    auto it = sessions_.find(sid);
    if (it == sessions_.end()) return;
    if (auto out = it->second.outlet.lock()) {
      if (frame) out->Send(std::move(frame));
      else out->Close();
    }
    return;
  }
  pending_.push_back(Pending{seq_, sid, std::move(frame), timing});
}

void Exchange::EmitClose(uint64_t sid) { Emit(sid, nullptr); }

void Exchange::Flush() {
  metrics_->durable_seq.store(store_->durable_seq(), std::memory_order_relaxed);
  const Seq durable = ReleasableSeq();
  int64_t now_us = SteadyUs();
  while (!append_times_.empty() && append_times_.front().first <= durable) {
    metrics_->ObserveDurableWait(now_us - append_times_.front().second);
    append_times_.pop_front();
  }
  TakeCommits(durable, !pending_.empty() && pending_.front().seq <= durable);
  // One hop to each session's strand per flush, its frames in order.
  struct Batch {
    uint64_t sid;
    Frames frames;
    Released released;
  };
  std::vector<Batch> batches;
  std::unordered_map<uint64_t, size_t> index;
  size_t commit = 0;
  while (!pending_.empty() && pending_.front().seq <= durable) {
    Pending& p = pending_.front();
    auto [at, fresh] = index.try_emplace(p.session, batches.size());
    if (fresh) batches.push_back(Batch{p.session, {}, {}});
    Batch& b = batches[at->second];
    if (p.timing.read_ns != 0) ObserveStages(p, &commit, &b.released);
    b.frames.push_back(std::move(p.frame));
    pending_.pop_front();
  }
  for (Batch& b : batches) {
    auto it = sessions_.find(b.sid);
    if (it == sessions_.end()) continue;
    if (auto out = it->second.outlet.lock()) out->SendAll(std::move(b.frames), b.released);
  }
}

void Exchange::TakeCommits(Seq upto, bool copy) {
  commits_seen_.clear();
  std::lock_guard<std::mutex> lock(commits_mu_);
  if (copy) {
    for (const Commit& c : commits_) {
      commits_seen_.push_back(c);
      if (c.last >= upto) break;  // the last that covers a seq up to `upto`
    }
  }
  while (!commits_.empty() && commits_.front().last <= upto) commits_.pop_front();
}

void Exchange::ObserveStages(const Pending& p, size_t* commit, Released* released) {
  const OrderTiming& t = p.timing;
  metrics_->ObserveStage(Stage::kDecode, t.decoded_ns - t.read_ns);
  metrics_->ObserveStage(Stage::kSequence, t.engine_ns - t.decoded_ns);
  // The group commit that made p durable: the first whose last seq reaches it.
  while (*commit < commits_seen_.size() && commits_seen_[*commit].last < p.seq) ++*commit;
  if (*commit == commits_seen_.size()) return;  // released on a standby's ack alone
  const Commit& c = commits_seen_[*commit];
  metrics_->ObserveStage(Stage::kCommitWait, c.began_ns - t.engine_ns);
  metrics_->ObserveStage(Stage::kCommit, c.done_ns - c.began_ns);
  if (released->acks == 0 || c.done_ns < released->durable_ns) released->durable_ns = c.done_ns;
  released->acks += 1;
}

}  // namespace corpex::gw
