// A trade's sandbox delivery: the seller (or an operator) registers the grant,
// the buyer confirms or disputes it, an operator settles what is disputed.
// Only a confirmed delivery lets a delivery-gated program's claim be paid
// (voucher.cc). Rules and codes: docs/PROTOCOL.md "Deliveries".
#include "engine/engine_impl.h"

namespace corpex {

Engine::Impl::DeliveryRow* Engine::Impl::DeliveryFor(TradeId id, std::string_view member,
                                                     bool buyer_may, bool seller_may) {
  // Another member's trade is answered as no trade at all: ids are never confirmed.
  if (id < delivery_base_ || id - delivery_base_ >= deliveries_.size()) {
    Fail(ErrorCode::kUnknownTrade, "unknown trade");
    return nullptr;
  }
  DeliveryRow& row = deliveries_[id - delivery_base_];
  if (member.empty()) return &row;  // an operator
  const MemberId m = FindName(member_by_name_, member);
  const bool buyer = m != kNone && m == row.buyer;
  const bool seller = m != kNone && m == row.seller;
  if (!buyer && !seller) {
    Fail(ErrorCode::kUnknownTrade, "unknown trade");
    return nullptr;
  }
  if ((buyer && !buyer_may) || (seller && !seller_may)) {
    Fail(ErrorCode::kForbidden, buyer ? "the buyer may not do this to a delivery"
                                      : "the seller may not do this to a delivery");
    return nullptr;
  }
  return &row;
}

void Engine::Impl::EmitDelivery(TradeId id, const DeliveryRow& row) {
  ev_.has_delivery = true;
  ev_.delivery = DeliveryView{id, row.instrument, row.buyer, row.seller, row.state};
}

void Engine::Impl::OnDeliveryGrant(const DeliveryGrant& c) {
  DeliveryRow* row = DeliveryFor(c.trade_id, c.member.view(), false, true);
  if (row == nullptr) return;
  if (row->state == DeliveryState::kConfirmed || row->state == DeliveryState::kFailed)
    return Fail(ErrorCode::kBadRequest,
                "delivery is " + std::string(to_string(row->state)) + ": it cannot be granted again");
  if (c.access_ref.empty()) return Fail(ErrorCode::kBadRequest, "access_ref must not be empty");
  if (c.access_until <= c.access_from)
    return Fail(ErrorCode::kBadRequest, "access_until must be after access_from");
  if (c.access_until <= clock_) return Fail(ErrorCode::kBadRequest, "access_until is in the past");
  // The data handed over must be the data the compliance assessment covered.
  const Attestation* a = row->attestation < attestations_.size() ? &attestations_[row->attestation] : nullptr;
  if (a == nullptr || a->dataset != c.dataset.view())
    return Fail(ErrorCode::kAttestationInvalid, "dataset is not the one the trade's attestation covers");
  row->state = DeliveryState::kGranted;
  EmitDelivery(c.trade_id, *row);
}

void Engine::Impl::OnDeliveryConfirm(const DeliveryConfirm& c) {
  DeliveryRow* row = DeliveryFor(c.trade_id, c.member.view(), true, false);
  if (row == nullptr) return;
  if (c.member.empty()) return Fail(ErrorCode::kForbidden, "only the buyer confirms a delivery");
  // Confirming a disputed delivery withdraws the dispute.
  if (row->state != DeliveryState::kGranted && row->state != DeliveryState::kDisputed)
    return Fail(ErrorCode::kBadRequest,
                "delivery is " + std::string(to_string(row->state)) + ", not granted");
  row->state = DeliveryState::kConfirmed;
  EmitDelivery(c.trade_id, *row);
}

void Engine::Impl::OnDeliveryDispute(const DeliveryDispute& c) {
  DeliveryRow* row = DeliveryFor(c.trade_id, c.member.view(), true, false);
  if (row == nullptr) return;
  if (c.member.empty()) return Fail(ErrorCode::kForbidden, "only the buyer disputes a delivery");
  if (c.reason.empty()) return Fail(ErrorCode::kBadRequest, "a dispute needs a reason");
  if (row->state != DeliveryState::kGranted)
    return Fail(ErrorCode::kBadRequest,
                "delivery is " + std::string(to_string(row->state)) + ", not granted");
  row->state = DeliveryState::kDisputed;
  EmitDelivery(c.trade_id, *row);
}

void Engine::Impl::OnDeliveryResolve(const DeliveryResolve& c) {
  DeliveryRow* row = DeliveryFor(c.trade_id, {}, false, false);
  if (row == nullptr) return;
  if (c.outcome != DeliveryState::kConfirmed && c.outcome != DeliveryState::kFailed)
    return Fail(ErrorCode::kBadRequest, "outcome must be \"confirmed\" or \"failed\"");
  if (row->state == DeliveryState::kConfirmed || row->state == DeliveryState::kFailed)
    return Fail(ErrorCode::kBadRequest,
                "delivery is already " + std::string(to_string(row->state)));
  row->state = c.outcome;
  EmitDelivery(c.trade_id, *row);
}

bool Engine::FindDelivery(TradeId id, DeliveryView* out) const {
  const Impl& e = *impl_;
  if (id < e.delivery_base_ || id - e.delivery_base_ >= e.deliveries_.size()) return false;
  const Impl::DeliveryRow& row = e.deliveries_[id - e.delivery_base_];
  *out = DeliveryView{id, row.instrument, row.buyer, row.seller, row.state};
  return true;
}

}  // namespace corpex
