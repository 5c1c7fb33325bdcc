// gateway/sequencer/market_data.h — the book and trades channels (SPEC §5)
// and what the read ops keep of the market.
//
// Subscriptions per instrument and channel; a book sequence number per
// instrument that rises by exactly one per command that changed the book,
// whether or not anyone listens; per-instrument trade stats since start
// and the latest kRecentTrades trades (instruments.list, trades.recent).
// Frames are built once per command and shared by every subscriber.
//
// Thread: the turn holder (docs/ARCHITECTURE.md).
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "corpex/engine.h"
#include "gateway/protocol/lists.h"
#include "gateway/protocol/request.h"
#include "gateway/protocol/wire_encode.h"

namespace corpex::gw {

class MarketData {
 public:
  using Frame = std::shared_ptr<const std::string>;

  void Reset(size_t instruments) { book_seq_.assign(instruments, 0); }
  // Adds or removes `sid` on one instrument's book or trades channel.
  void Subscribe(uint64_t sid, Channel channel, InstrumentId inst, bool on);
  // The snapshot a new book subscriber gets first.
  Frame BookSnapshot(const Engine& e, InstrumentId inst);
  // A closed session leaves every channel.
  void Forget(uint64_t sid);

  // One command's book updates and trades, to every subscriber through
  // emit(sid, frame); the stats and the tape follow the trades.
  template <class EmitFn>
  void Publish(const Engine& e, const Events& ev, EmitFn&& emit);

  const std::vector<InstrumentStats>& stats() const { return stats_; }
  const std::deque<Trade>& recent() const { return recent_; }

 private:
  uint64_t NextBookSeq(InstrumentId inst);
  void Record(const Trade& t);

  std::unordered_map<InstrumentId, std::vector<uint64_t>> book_subs_, trade_subs_;
  std::vector<uint64_t> book_seq_;      // per instrument
  std::vector<InstrumentStats> stats_;  // per instrument, since start
  std::deque<Trade> recent_;            // the latest kRecentTrades trades, oldest first
};

template <class EmitFn>
void MarketData::Publish(const Engine& e, const Events& ev, EmitFn&& emit) {
  // Book updates: one frame per instrument per command, seq +1 each.
  std::vector<InstrumentId> seen;
  for (const LevelChange& c : ev.book)
    if (std::find(seen.begin(), seen.end(), c.instrument) == seen.end()) seen.push_back(c.instrument);
  for (InstrumentId i : seen) {
    const uint64_t seq = NextBookSeq(i);
    auto subs = book_subs_.find(i);
    if (subs == book_subs_.end() || subs->second.empty()) continue;
    std::vector<const LevelChange*> changes;
    for (const LevelChange& c : ev.book)
      if (c.instrument == i) changes.push_back(&c);
    auto frame = std::make_shared<const std::string>(BookUpdateEvent(e.instruments()[i].symbol, seq, changes));
    for (uint64_t sid : subs->second) emit(sid, frame);
  }
  for (const Trade& t : ev.trades) {
    Record(t);
    auto subs = trade_subs_.find(t.instrument);
    if (subs == trade_subs_.end() || subs->second.empty()) continue;
    auto frame = std::make_shared<const std::string>(TradeEvent(e, t));
    for (uint64_t sid : subs->second) emit(sid, frame);
  }
}

}  // namespace corpex::gw
