// Time: GTD orders and attestations that fall due leave the book on the next
// Tick (the gateway sends one at least every few hundred ms), and sooner if
// matching or a cancel touches them first (see ExpireIfDue).
#include <algorithm>
#include <functional>

#include "engine/engine_impl.h"

namespace corpex {

void Engine::Impl::PushGtd(TimeNs expire_at, OrderId id) {
  // Entries are lazy: canceled or filled orders stay until their time comes.
  // Compact when they outnumber live orders, so the heap stays bounded.
  if (gtd_heap_.size() > 2 * resting_ + 4096) {
    std::erase_if(gtd_heap_, [this](const auto& e) { return FindLive(e.second) == kNoSlot; });
    std::make_heap(gtd_heap_.begin(), gtd_heap_.end(), std::greater<>());
  }
  gtd_heap_.emplace_back(expire_at, id);
  std::push_heap(gtd_heap_.begin(), gtd_heap_.end(), std::greater<>());
}

void Engine::Impl::OnTick() {
  scratch_.clear();
  while (!gtd_heap_.empty() && gtd_heap_.front().first <= clock_) {
    std::pop_heap(gtd_heap_.begin(), gtd_heap_.end(), std::greater<>());
    const auto [expire_at, id] = gtd_heap_.back();
    gtd_heap_.pop_back();
    const Slot s = FindLive(id);
    if (s != kNoSlot && pool_.cold(s).gtd_expire == expire_at) scratch_.emplace_back(id, s);
  }
  while (!attestation_expiries_.empty() && attestation_expiries_.begin()->first <= clock_) {
    const AttestationId a = attestation_expiries_.begin()->second;
    attestation_expiries_.erase(attestation_expiries_.begin());
    for (Slot s = 0; s < pool_.slots(); ++s) {
      const OrderNode& n = pool_.hot(s);
      const OrderCold& c = pool_.cold(s);
      if (n.id != 0 && c.side == Side::kSell && c.ref == a) scratch_.emplace_back(n.id, s);
    }
  }
  std::sort(scratch_.begin(), scratch_.end());
  scratch_.erase(std::unique(scratch_.begin(), scratch_.end()), scratch_.end());
  for (const auto& entry : scratch_) ExpireIfDue(entry.second);
  ev_.count = scratch_.size();
  ExpireDeals();
}

}  // namespace corpex
