#include "gateway/sequencer/persistence.h"

namespace corpex::gw {

StatusOr<std::unique_ptr<Persistence>> Persistence::Open(const std::string& dir,
                                                         std::chrono::microseconds commit_interval,
                                                         uint64_t snapshot_every,
                                                         std::function<void()> on_durable,
                                                         std::function<void(Seq, int64_t, int64_t)> on_commit) {
  StoreOptions o;
  o.dir = dir;
  o.commit_interval = commit_interval;
  o.snapshot_every = snapshot_every;
  o.snapshot_in_child = true;  // the turn holder stalls for a fork, not for Save
  o.on_durable = [cb = std::move(on_durable)](Seq) { cb(); };
  o.on_commit = std::move(on_commit);
  auto store = Store::Open(std::move(o));
  if (!store.ok()) return store.status();
  std::unique_ptr<Persistence> p(new Persistence());
  p->store_ = std::move(store.value());
  return p;
}

Persistence::~Persistence() = default;

StatusOr<Recovered> Persistence::Recover() { return store_->Recover(); }

Status Persistence::Append(Seq seq, const Command& c, const Events& ev, const Engine& engine,
                           const std::string* member_key) {
  AppendExtras extras;
  if (member_key) extras.member_secret = *member_key;
  return store_->Append(seq, c, ev, engine, member_key ? &extras : nullptr);
}

Seq Persistence::durable_seq() const { return store_->durable_seq(); }
Status Persistence::Close(const Engine* engine) { return store_->Close(engine); }
StoreStats Persistence::stats() const { return store_->stats(); }

StatusOr<TradePage> Persistence::Trades(const TradeQuery& q) const { return store_->Trades(q); }
StatusOr<VoucherReport> Persistence::Vouchers(const std::string& program) const {
  return store_->Vouchers(program);
}
StatusOr<std::vector<ClaimRecord>> Persistence::Claims(const std::string& program,
                                                       const ClaimStatus* status) const {
  return store_->Claims(program, status);
}
StatusOr<DeliveryPage> Persistence::Deliveries(const DeliveryQuery& q) const {
  return store_->Deliveries(q);
}
StatusOr<std::string> Persistence::MemberKey(const std::string& member) const {
  return store_->MemberSecret(member);
}

Status Persistence::ReadJournal(Seq after, const std::function<bool(Seq, std::string_view)>& fn) const {
  return store_->ReadJournal(after, fn);
}

}  // namespace corpex::gw
