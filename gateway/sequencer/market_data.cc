#include "gateway/sequencer/market_data.h"

namespace corpex::gw {

namespace {
void Erase(std::vector<uint64_t>& v, uint64_t sid) { v.erase(std::remove(v.begin(), v.end(), sid), v.end()); }
}  // namespace

void MarketData::Subscribe(uint64_t sid, Channel channel, InstrumentId inst, bool on) {
  auto& subs = (channel == Channel::kBook ? book_subs_ : trade_subs_)[inst];
  const bool present = std::find(subs.begin(), subs.end(), sid) != subs.end();
  if (on && !present) subs.push_back(sid);
  if (!on) Erase(subs, sid);
}

MarketData::Frame MarketData::BookSnapshot(const Engine& e, InstrumentId inst) {
  if (inst >= book_seq_.size()) book_seq_.resize(inst + 1, 0);
  return std::make_shared<const std::string>(
      BookSnapshotEvent(e.instruments()[inst].symbol, book_seq_[inst], e.Depth(inst)));
}

void MarketData::Forget(uint64_t sid) {
  for (auto& [inst, subs] : book_subs_) Erase(subs, sid);
  for (auto& [inst, subs] : trade_subs_) Erase(subs, sid);
}

uint64_t MarketData::NextBookSeq(InstrumentId inst) {
  if (inst >= book_seq_.size()) book_seq_.resize(inst + 1, 0);
  return ++book_seq_[inst];
}

void MarketData::Record(const Trade& t) {
  if (t.instrument >= stats_.size()) stats_.resize(t.instrument + 1);
  InstrumentStats& st = stats_[t.instrument];
  st.last_price = t.price.v;
  st.last_qty = t.qty.v;
  if (__builtin_add_overflow(st.volume, t.qty.v, &st.volume)) st.volume = INT64_MAX;
  ++st.trades;
  recent_.push_back(t);
  if (recent_.size() > static_cast<size_t>(kRecentTrades)) recent_.pop_front();
}

}  // namespace corpex::gw
