#include "gateway/cluster/node.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "gateway/cluster/follower.h"
#include "gateway/cluster/replicator.h"
#include "gateway/cluster/socket.h"
#include "gateway/sequencer/exchange.h"

namespace corpex::cluster {
namespace {

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// "name|client|replication" → its three fields (missing ones empty).
void SplitLeader(const std::string& value, std::string* name, std::string* client, std::string* repl) {
  size_t a = value.find('|'), b = a == std::string::npos ? a : value.find('|', a + 1);
  *name = value.substr(0, a);
  *client = a == std::string::npos ? "" : value.substr(a + 1, b == std::string::npos ? b : b - a - 1);
  *repl = b == std::string::npos ? "" : value.substr(b + 1);
}

void Say(const std::string& line) {
  std::printf("corpexd %s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace

Node::Node(const gw::Config& config, gw::Exchange* exchange, std::string client_address,
           std::function<void()> restart)
    : config_(config.cluster),
      durability_(config.durability),
      data_dir_(config.data_dir),
      exchange_(exchange),
      client_address_(std::move(client_address)),
      restart_(std::move(restart)),
      leader_key_("/corpex/" + config.cluster.id + "/leader"),
      successor_key_("/corpex/" + config.cluster.id + "/successor") {}

Node::~Node() { Stop(); }

Status Node::Start() {
  // Each etcd call gives up well within a lease, so a lost etcd is noticed in time.
  auto etcd = Etcd::Parse(config_.etcd, std::chrono::milliseconds(std::max<uint32_t>(200, config_.lease_ttl_ms / 4)));
  if (!etcd.ok()) return etcd.status();
  etcd_ = std::move(etcd.value());
  auto epochs = EpochLog::Load(data_dir_ + "/epochs");
  if (!epochs.ok()) return epochs.status();
  epochs_ = std::make_unique<EpochLog>(std::move(epochs.value()));
  std::string host;
  uint16_t port = 0, bound = 0;
  Status st = SplitHostPort(config_.replication_listen, "cluster.replication_listen", &host, &port);
  if (!st.ok()) return st;
  auto fd = ListenTcp(host, port, &bound);
  if (!fd.ok()) return fd.status();
  repl_fd_ = fd.value();
  repl_address_ = host + ":" + std::to_string(bound);
  {
    std::lock_guard lock(mu_);
    view_.role = "standby";
  }
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void Node::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Node::Sleep(int ms) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, std::chrono::milliseconds(ms), [&] { return stop_; });
}

NodeView Node::view() const {
  std::lock_guard lock(mu_);
  return view_;
}

std::vector<StandbyView> Node::standbys() const {
  std::lock_guard lock(mu_);
  return replicator_ ? replicator_->Standbys() : std::vector<StandbyView>{};
}

void Node::WriteFields(gw::JsonOut& j) const {
  std::lock_guard lock(mu_);
  j.KStr("node", config_.name).KStr("cluster", config_.id).KStr("leader", view_.leader);
  j.KStr("successor", view_.successor).KUInt("epoch", view_.epoch).KUInt("lease_ttl_ms", config_.lease_ttl_ms);
  if (follower_) j.KUInt("received_seq", follower_->received()).KUInt("applied_seq", follower_->applied());
  j.Key("standbys").BeginArr();
  if (replicator_) {
    const Seq appended = exchange_->appended_seq();
    for (const StandbyView& s : replicator_->Standbys()) {
      j.Begin().KStr("node", s.node).KUInt("applied_seq", s.applied).KUInt("durable_seq", s.durable);
      j.KUInt("lag", appended > s.applied ? appended - s.applied : 0).End();
    }
  }
  j.EndArr();
}

void Node::DurableMoved() {
  std::lock_guard lock(mu_);
  if (follower_) follower_->DurableMoved();
}

void Node::Run() {
  std::string last_error, last_follow_error;
  while (Sleep(0)) {
    auto kv = etcd_.Get(leader_key_);
    if (!kv.ok()) {
      if (kv.status().message() != last_error) std::fprintf(stderr, "corpexd: %s\n", kv.status().message().c_str());
      last_error = kv.status().message();
      Sleep(100);
      continue;
    }
    last_error.clear();
    if (!kv->has_value()) {
      StopFollowing();
      auto successor = etcd_.Get(successor_key_);
      if (!successor.ok()) {
        Sleep(100);
        continue;
      }
      // Only the successor may win: it holds everything that was acknowledged.
      const bool may = !successor->has_value() || (*successor)->value == config_.name;
      {
        std::lock_guard lock(mu_);
        view_.successor = successor->has_value() ? (*successor)->value : "";
      }
      if (may && Campaign()) return Lead();
      Sleep(50);
      continue;
    }
    const EtcdKv& holder = **kv;
    std::string name, client, repl;
    SplitLeader(holder.value, &name, &client, &repl);
    if (name == config_.name) {
      // Our key from before a restart: that lease is no one's now, end it.
      (void)etcd_.Revoke(holder.lease);
      continue;
    }
    std::unique_lock lock(mu_);
    Follower* f = follower_.get();
    lock.unlock();
    if (f && f->refused()) return Restart(true, f->why());
    if (f && !f->ended()) exchange_->set_replication_lag(f->received() - f->applied(), 0);
    if (!f || followed_revision_ != holder.create_revision || f->ended()) {
      if (f && f->ended() && followed_revision_ == holder.create_revision) {
        // Once per reason: a leader that is restarting refuses connections for a while.
        if (f->why() != last_follow_error)
          std::fprintf(stderr, "corpexd: following %s: %s\n", name.c_str(), f->why().c_str());
        last_follow_error = f->why();
        Sleep(200);
      }
      StopFollowing();
      Follow(holder);
    }
    Sleep(50);
  }
  StopFollowing();
}

void Node::Follow(const EtcdKv& leader) {
  std::string name, client, repl, host;
  SplitLeader(leader.value, &name, &client, &repl);
  uint16_t port = 0;
  if (!SplitHostPort(repl, "the leader's replication address", &host, &port).ok()) return;
  if (static_cast<uint64_t>(leader.create_revision) < epochs_->newest()) return;  // an older leader: fenced
  Hello hello;
  hello.node = config_.name;
  exchange_->PostAndWait([&] {
    exchange_->BecomeStandby(client);
    hello.last_seq = exchange_->last_seq();
  });
  hello.last_epoch = EpochOf(epochs_->history(), hello.last_seq);
  FollowerHooks hooks;
  gw::Exchange* ex = exchange_;
  hooks.apply = [ex](std::vector<Record> records, std::function<void(Seq, Status)> done) {
    ex->Post([ex, records = std::move(records), done = std::move(done)] {
      for (const Record& r : records) {
        Status st = ex->ApplyRecord(r);
        if (!st.ok()) return done(0, st);
      }
      done(records.back().seq, Status::Ok());
    });
  };
  hooks.durable = [ex] { return ex->durable_seq(); };
  EpochLog* epochs = epochs_.get();
  hooks.save_history = [epochs](const std::vector<EpochStart>& h) { return epochs->Save(h); };
  auto f = std::make_unique<Follower>(host, port, hello, static_cast<uint64_t>(leader.create_revision), std::move(hooks));
  std::lock_guard lock(mu_);
  follower_ = std::move(f);
  const bool new_leader = followed_revision_ != leader.create_revision;
  followed_revision_ = leader.create_revision;
  view_ = NodeView{"standby", name, view_.successor, static_cast<uint64_t>(leader.create_revision)};
  exchange_->set_replication_lag(0, static_cast<uint64_t>(leader.create_revision));
  if (new_leader)
    Say("follows " + name + " (epoch " + std::to_string(leader.create_revision) + ") from seq " +
        std::to_string(hello.last_seq));
}

void Node::StopFollowing() {
  std::unique_ptr<Follower> f;
  {
    std::lock_guard lock(mu_);
    if (!follower_) return;
    follower_->Stop();
  }
  // Records already queued still run and call back into the follower: let
  // them finish before it goes.
  exchange_->PostAndWait([] {});
  std::lock_guard lock(mu_);
  f = std::move(follower_);
}

bool Node::Campaign() {
  Seq last = 0;
  exchange_->PostAndWait([&] { last = exchange_->last_seq(); });
  const int ttl_s = static_cast<int>((config_.lease_ttl_ms + 999) / 1000);
  const int64_t asked = SteadyNs();
  auto lease = etcd_.GrantLease(ttl_s);
  if (!lease.ok()) return false;
  auto won = etcd_.CreateIfAbsent(leader_key_, config_.name + "|" + client_address_ + "|" + repl_address_, lease.value());
  if (!won.ok() || !won->won) {
    (void)etcd_.Revoke(lease.value());
    return false;
  }
  lease_ = lease.value();
  const uint64_t epoch = static_cast<uint64_t>(won->revision);
  exchange_->set_lease_deadline(asked + int64_t{config_.lease_ttl_ms} * 1'000'000 * 2 / 3);
  // Nothing is acknowledged until etcd names this node the successor: a
  // standby left from before must not win over what this leader acks alone.
  exchange_->SetGate(gw::Gate::kFrozen);
  std::vector<EpochStart> history = epochs_->history();
  history.push_back(EpochStart{epoch, last + 1});
  Status st = epochs_->Save(history);
  if (!st.ok()) {
    std::fprintf(stderr, "corpexd: %s\n", st.message().c_str());
    (void)etcd_.Revoke(lease_);
    return false;
  }
  auto replicator = std::make_shared<Replicator>(repl_fd_, epoch, history, last, exchange_->journal_source(),
                                                 [ex = exchange_] { ex->OnDurable(); });
  repl_fd_ = -1;  // the replicator's now
  exchange_->PostAndWait([&] { exchange_->BecomeLeader(replicator, epoch); });
  {
    std::lock_guard lock(mu_);
    replicator_ = replicator;
    view_ = NodeView{"leader", config_.name, view_.successor, epoch};
  }
  Say("leads cluster " + config_.id + " as epoch " + std::to_string(epoch) + " from seq " + std::to_string(last + 1));
  return true;
}

void Node::Lead() {
  const int period_ms = static_cast<int>(config_.lease_ttl_ms / 6);
  bool successor_named = false;
  int64_t deadline = SteadyNs() + int64_t{config_.lease_ttl_ms} * 1'000'000 * 2 / 3;
  while (Sleep(successor_named ? period_ms : 20)) {
    const int64_t sent = SteadyNs();
    auto ttl = etcd_.KeepAlive(lease_);
    if (ttl.ok()) {
      deadline = sent + ttl.value() * 1'000'000'000 * 2 / 3;
      exchange_->set_lease_deadline(deadline);
    } else if (ttl.status().code() == ErrorCode::kNotFound || SteadyNs() >= deadline) {
      exchange_->Fence("lost the etcd lease (" + ttl.status().message() + ")");
      return Restart(false, "lost leadership");
    }
    if (!successor_named) {
      if (!etcd_.Put(successor_key_, config_.name).ok()) continue;
      successor_named = true;
      exchange_->SetGate(gw::Gate::kLocal);
      std::lock_guard lock(mu_);
      view_.successor = config_.name;
    }
    ManageSuccessor();
    Seq applied = 0;
    std::shared_ptr<Replicator> r;
    {
      std::lock_guard lock(mu_);
      r = replicator_;
    }
    for (const StandbyView& s : r->Standbys())
      if (designated_.empty() || s.node == designated_) applied = std::max(applied, s.applied);
    const Seq appended = exchange_->appended_seq();
    exchange_->set_replication_lag(appended > applied ? appended - applied : 0, 0);
  }
  // Stopping: acknowledge nothing more, then let the successor take over now.
  exchange_->Fence("stopping");
  std::shared_ptr<Replicator> r;
  {
    std::lock_guard lock(mu_);
    r = replicator_;
  }
  if (r) r->Stop();
  (void)etcd_.Revoke(lease_);
}

void Node::ManageSuccessor() {
  std::shared_ptr<Replicator> r;
  {
    std::lock_guard lock(mu_);
    r = replicator_;
  }
  if (!designated_.empty() && !r->attached(designated_)) {
    // Freeze, make ourselves the successor, then ack on our own disk.
    exchange_->SetGate(gw::Gate::kFrozen);
    if (!etcd_.Put(successor_key_, config_.name).ok()) return;  // frozen until etcd hears us
    std::fprintf(stderr, "corpexd: standby %s lost; acknowledging on the local disk\n", designated_.c_str());
    r->Designate("");
    designated_.clear();
    exchange_->SetGate(gw::Gate::kLocal);
    std::lock_guard lock(mu_);
    view_.successor = config_.name;
    return;
  }
  if (!designated_.empty()) {
    if (!designated_named_ && etcd_.Put(successor_key_, designated_).ok()) {
      designated_named_ = true;
      std::lock_guard lock(mu_);
      view_.successor = designated_;
    }
    return;
  }
  const Seq released = exchange_->released_seq();
  for (const StandbyView& s : r->Standbys()) {
    const Seq has = durability_ == gw::Durability::kReplicatedSync ? s.durable : s.applied;
    if (has + 1000 < released) continue;  // still catching up
    // Gate first: from now on only what it holds is released; then name it.
    r->Designate(s.node);
    exchange_->SetGate(gw::Gate::kStandby);
    designated_ = s.node;
    designated_named_ = false;
    if (!etcd_.Put(successor_key_, s.node).ok()) return;  // etcd still names us: safe, retried next round
    designated_named_ = true;
    std::fprintf(stderr, "corpexd: standby %s is the successor\n", s.node.c_str());
    std::lock_guard lock(mu_);
    view_.successor = s.node;
    return;
  }
}

void Node::Restart(bool wipe, const std::string& why) {
  if (wipe) {
    // Keep the diverged database for the record; sync from scratch.
    const std::string aside = data_dir_ + "/db.diverged." + std::to_string(std::time(nullptr));
    std::error_code ec;
    std::filesystem::rename(data_dir_ + "/db", aside, ec);
    std::filesystem::remove(data_dir_ + "/epochs", ec);
    std::fprintf(stderr, "corpexd: %s; database moved to %s, restarting to sync from the leader\n", why.c_str(),
                 aside.c_str());
  } else {
    std::fprintf(stderr, "corpexd: %s; restarting to rejoin as a standby\n", why.c_str());
  }
  restart_();
}

}  // namespace corpex::cluster
