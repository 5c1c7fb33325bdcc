// The exchange's part in a cluster: applying a leader's records on a
// standby, taking over, and the gate on which a leader releases frames.
#include <chrono>
#include <cstdio>
#include <future>

#include "gateway/cluster/replicator.h"
#include "gateway/sequencer/exchange.h"
#include "storage/codec.h"

namespace corpex::gw {

std::string_view NodeRoleName(NodeRole r) {
  switch (r) {
    case NodeRole::kStandby: return "standby";
    case NodeRole::kLeader: return "leader";
    case NodeRole::kFenced: return "fenced";
    default: return "single";
  }
}

void Exchange::Post(std::function<void()> job) {
  Inbound in;
  in.type = Inbound::Type::kJob;
  in.job = std::move(job);
  Submit(std::move(in));
}

void Exchange::PostAndWait(std::function<void()> job) {
  std::promise<void> done;
  Post([&] {
    job();
    done.set_value();
  });
  done.get_future().wait();
}

Status Exchange::ApplyRecord(const cluster::Record& record) {
  if (failed_) return Status(ErrorCode::kInternal, "storage failed");
  if (record.seq != seq_ + 1)
    return Status(ErrorCode::kCorruption, "record " + std::to_string(record.seq) + " after seq " + std::to_string(seq_));
  Command c;
  Status st = DecodeCommand(record.command, &c);
  if (!st.ok()) return st;
  // The leader stamped the time; replaying it keeps both engines equal.
  const Events& ev = engine_->Execute(c);
  st = store_->Append(++seq_, c, ev, *engine_, record.member_key.empty() ? nullptr : &record.member_key);
  if (!st.ok()) {
    failed_ = true;
    return st;
  }
  last_ts_ = std::max(last_ts_, c.ts);
  if (auto* mc = std::get_if<MemberCreate>(&c.body); mc && ev.status.ok() && !record.member_key.empty())
    auth_.SetMemberKey(mc->member.str(), record.member_key);
  metrics_->appended_seq.store(seq_, std::memory_order_relaxed);
  return Status::Ok();
}

void Exchange::BecomeStandby(std::string leader) {
  leader_hint_ = std::move(leader);
  role_ = NodeRole::kStandby;
  metrics_->role = static_cast<uint64_t>(NodeRole::kStandby);
}

void Exchange::BecomeLeader(std::shared_ptr<cluster::Replicator> replicator, uint64_t epoch) {
  replicator_ = std::move(replicator);
  epoch_ = epoch;
  // What a standby kept of market data and limits is rebuilt from the engine.
  market_.Reset(engine_->instruments().size());
  limits_.Load(*engine_);
  released_ = std::max(released_.load(), seq_);  // nothing before this was a leader's to hold
  role_ = NodeRole::kLeader;
  metrics_->role = static_cast<uint64_t>(NodeRole::kLeader);
  metrics_->epoch = epoch;
}

void Exchange::Fence(const std::string& why) {
  metrics_->role = static_cast<uint64_t>(NodeRole::kFenced);
  if (role_.exchange(NodeRole::kFenced) != NodeRole::kFenced)
    std::fprintf(stderr, "corpexd: fenced: %s\n", why.c_str());
}

void Exchange::SetGate(Gate gate) {
  gate_.store(gate, std::memory_order_release);
  OnDurable();
}

Seq Exchange::durable_seq() const { return store_->durable_seq(); }

void Exchange::ClusterAnswer(uint64_t sid, const Request& r) {
  JsonOut j;
  j.Begin().KStr("role", NodeRoleName(role_)).KStr("durability", DurabilityName(config_.durability));
  j.KUInt("seq", seq_).KUInt("durable_seq", store_->durable_seq()).KUInt("released_seq", released_);
  // Equal digests at equal seqs: a standby's engine is the leader's.
  j.KStr("digest", engine_->Digest());
  if (cluster_fields_) cluster_fields_(j);
  j.End();
  ReplyNow(sid, r.id, j.Take());  // an operator sees a stalled leader while it is stalled
}

void Exchange::set_replication_lag(uint64_t records, uint64_t epoch) {
  metrics_->replication_lag.store(records, std::memory_order_relaxed);
  if (epoch) metrics_->epoch.store(epoch, std::memory_order_relaxed);
}

cluster::JournalSource Exchange::journal_source() const {
  cluster::JournalSource src;
  Persistence* store = store_.get();
  src.read = [store](Seq after, const std::function<bool(Seq, std::string_view)>& fn) {
    return store->ReadJournal(after, fn);
  };
  src.member_key = [store](std::string_view bytes) -> std::string {
    Command c;
    if (!DecodeCommand(bytes, &c).ok()) return {};
    auto* mc = std::get_if<MemberCreate>(&c.body);
    if (!mc) return {};
    auto key = store->MemberKey(mc->member.str());
    return key.ok() ? key.value() : std::string();
  };
  return src;
}

void Exchange::Publish(const Command& c, const std::string* member_key) {
  encoded_.clear();
  EncodeCommand(c, &encoded_);
  replicator_->Publish(seq_, encoded_, member_key ? *member_key : std::string());
}

Seq Exchange::ReleasableSeq() {
  const Seq released = released_.load(std::memory_order_relaxed);
  const NodeRole role = role_.load(std::memory_order_relaxed);
  if (role == NodeRole::kFenced) return released;
  if (role != NodeRole::kLeader) {
    // A standby answers NOT_LEADER; a single node acks on its own disk.
    Seq local = store_->durable_seq();
    released_.store(std::max(released, local), std::memory_order_relaxed);
    return local;
  }
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now().time_since_epoch()).count();
  if (now >= lease_deadline_ns_.load(std::memory_order_acquire)) return released;  // the lease may be gone
  Seq may = released;
  switch (gate_.load(std::memory_order_acquire)) {
    case Gate::kLocal: may = store_->durable_seq(); break;
    case Gate::kFrozen: break;
    case Gate::kStandby:
      may = config_.durability == Durability::kReplicatedSync
                ? std::min(store_->durable_seq(), replicator_->designated_durable())
                : std::min(seq_, replicator_->designated_applied());
      break;
  }
  if (may > released) released_.store(may, std::memory_order_release);
  return std::max(may, released);
}

}  // namespace corpex::gw
