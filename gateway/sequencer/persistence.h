// gateway/sequencer/persistence.h — the one place corpexd meets storage.
//
// Wraps corpex::Store (storage.h) with the options corpexd runs it with. The
// turn holder (docs/ARCHITECTURE.md) calls Recover/Append/Close; reads may
// come from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "corpex/engine.h"
#include "corpex/records.h"
#include "corpex/status.h"
#include "corpex/storage.h"

namespace corpex::gw {

class Persistence {
 public:
  // `on_durable` runs on the storage writer thread after each group commit,
  // `on_commit` just before it (StoreOptions::on_commit); group commits start
  // at least `commit_interval` apart; a forked child writes a snapshot every
  // `snapshot_every` commands.
  static StatusOr<std::unique_ptr<Persistence>> Open(
      const std::string& dir, std::chrono::microseconds commit_interval, uint64_t snapshot_every,
      std::function<void()> on_durable, std::function<void(Seq, int64_t, int64_t)> on_commit);
  ~Persistence();
  Persistence(const Persistence&) = delete;
  Persistence& operator=(const Persistence&) = delete;

  static bool durable() { return true; }  // reported by `status`: always RocksDB

  // The engine as the data dir left it, and the last journaled seq.
  StatusOr<Recovered> Recover();
  // `member_key`: hex SHA-256 of a new member's secret, written with its member.create.
  Status Append(Seq seq, const Command& c, const Events& ev, const Engine& engine,
                const std::string* member_key);
  Seq durable_seq() const;
  Status Close(const Engine* engine);
  StoreStats stats() const;  // group commits, snapshots written and failed

  StatusOr<TradePage> Trades(const TradeQuery& q) const;
  StatusOr<VoucherReport> Vouchers(const std::string& program) const;
  StatusOr<std::vector<ClaimRecord>> Claims(const std::string& program,
                                            const ClaimStatus* status) const;
  StatusOr<DeliveryPage> Deliveries(const DeliveryQuery& q) const;
  StatusOr<std::string> MemberKey(const std::string& member) const;
  // The journal after `after` (Store::ReadJournal): what a standby catching up is sent.
  Status ReadJournal(Seq after, const std::function<bool(Seq, std::string_view)>& fn) const;

 private:
  Persistence() = default;
  std::unique_ptr<Store> store_;
};

}  // namespace corpex::gw
