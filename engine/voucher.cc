// Voucher offsets, reserved in the same step as the fill, and the claim
// lifecycle the paying bureau drives. The ledger never goes negative: an
// offset is capped by what the buyer's cap and the program budget have left.
#include <algorithm>

#include "engine/checked_math.h"
#include "engine/engine_impl.h"

namespace corpex {

void Engine::Impl::ApplyProgram(Trade& t, ProgramId program, MemberId buyer, MemberId seller,
                                InstrumentId instrument) {
  if (members_[buyer].group_id == members_[seller].group_id) return;
  Program& p = programs_[program];
  if (!p.domain_ids.empty() &&
      std::find(p.domain_ids.begin(), p.domain_ids.end(), instruments_[instrument].domain_id) ==
          p.domain_ids.end())
    return;
  if (CstYear(t.ts) != p.year) return;
  auto it = ledgers_.find(LedgerKey(program, buyer));
  if (it == ledgers_.end()) return;  // enrolment is checked at entry and never withdrawn
  Ledger& ledger = it->second;
  t.program = program;
  const int64_t by_rate = ApplyRateBps(t.notional.v, p.rate_bps);
  const int64_t cap_left = std::max<int64_t>(0, p.member_cap.v - ledger.reserved.v);
  const int64_t offset = std::min({by_rate, cap_left, p.budget_left.v});
  if (offset <= 0) return;
  t.voucher_offset = Fen(offset);
  t.net_cost = Fen(t.notional.v - offset);
  ledger.reserved.v += offset;
  p.budget_left.v -= offset;
  claims_.emplace(t.id, Claim{t.id, program, buyer, Fen(offset), ClaimStatus::kReserved, t.ts});
}

void Engine::Impl::OnClaimSettle(const ClaimSettle& c) {
  auto it = claims_.find(c.trade_id);
  if (it == claims_.end()) return Fail(ErrorCode::kBadRequest, "no claim for that trade");
  Claim& claim = it->second;
  const ClaimStatus from = claim.status;
  const ClaimStatus to = c.status;
  const bool legal = (from == ClaimStatus::kReserved && to == ClaimStatus::kApproved) ||
                     (from == ClaimStatus::kApproved && to == ClaimStatus::kPaid) ||
                     ((from == ClaimStatus::kReserved || from == ClaimStatus::kApproved) &&
                      to == ClaimStatus::kRejected);
  if (!legal) {
    return Fail(ErrorCode::kBadRequest, "claim cannot move from " + std::string(to_string(from)) +
                                            " to " + std::string(to_string(to)));
  }
  if (to == ClaimStatus::kPaid && programs_[claim.program].delivery_required) {
    const TradeId id = claim.trade_id;
    const bool known = id >= delivery_base_ && id - delivery_base_ < deliveries_.size();
    // A trade from before deliveries existed has none to wait for.
    const DeliveryState d = known ? deliveries_[id - delivery_base_].state : DeliveryState::kConfirmed;
    if (d != DeliveryState::kConfirmed)
      return Fail(ErrorCode::kDeliveryPending, "the trade's delivery is " + std::string(to_string(d)) +
                                                   ", not confirmed: the claim cannot be paid yet");
  }
  Ledger& ledger = ledgers_.at(LedgerKey(claim.program, claim.member));
  const int64_t amount = claim.amount.v;
  if (from == ClaimStatus::kApproved) ledger.approved.v -= amount;
  if (to == ClaimStatus::kApproved) ledger.approved.v += amount;
  if (to == ClaimStatus::kPaid) ledger.paid.v += amount;
  if (to == ClaimStatus::kRejected) {
    ledger.reserved.v -= amount;
    ledger.rejected.v += amount;
    programs_[claim.program].budget_left.v += amount;
  }
  claim.status = to;
}

}  // namespace corpex
