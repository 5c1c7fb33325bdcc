// Member order commands: validation of order.new, cancel and replace.
// Every check runs before anything changes, so a rejected command leaves the
// state exactly as it was.
#include <string>

#include "engine/checked_math.h"
#include "engine/engine_impl.h"

namespace corpex {
namespace {

std::string Num(int64_t v) { return std::to_string(v); }

// One text, whether the order is gone, never was, or is another member's:
// a cancel reveals nothing about orders not the caller's.
constexpr char kNoLiveOrder[] = "no live order of yours with that id";

}  // namespace

bool Engine::Impl::AttestationRefused(AttestationId ref, MemberId m, const Instrument& inst) {
  const Attestation& a = attestations_[ref];
  if (a.revoked) return Fail(ErrorCode::kAttestationInvalid, "attestation is revoked"), false;
  if (a.issued_at > clock_) return Fail(ErrorCode::kAttestationInvalid, "attestation not yet issued"), false;
  if (a.expires_at <= clock_) return Fail(ErrorCode::kAttestationInvalid, "attestation expired"), false;
  if (a.member != m)
    return Fail(ErrorCode::kAttestationInvalid, "attestation belongs to another member"), false;
  if (!(a.licences & (1u << static_cast<unsigned>(inst.licence))))
    return Fail(ErrorCode::kAttestationInvalid,
                "attestation does not cover licence " + std::string(to_string(inst.licence))),
           false;
  return Fail(ErrorCode::kAttestationInvalid, "attestation tier is above the instrument's"), false;
}

void Engine::Impl::OnNewOrder(const NewOrder& c) {
  const MemberId m = member_by_name_.Resolve(c.handles.member, c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember, "unknown member " + c.member.str());
  const Member& member = members_[m];
  if (member.suspended) return Fail(ErrorCode::kMemberSuspended, "member is suspended");
  const InstrumentId i = instrument_by_symbol_.Resolve(c.handles.instrument, c.instrument.view());
  if (i == kNone)
    return Fail(ErrorCode::kUnknownInstrument, "unknown instrument " + c.instrument.str());
  const Instrument& inst = instruments_[i];
  if (c.side != Side::kBuy && c.side != Side::kSell)
    return Fail(ErrorCode::kBadRequest, "side must be buy or sell");
  if (static_cast<unsigned>(c.tif) > static_cast<unsigned>(Tif::kFok))
    return Fail(ErrorCode::kInvalidTif, "tif must be GTC, GTD, IOC or FOK");
  const bool buy = c.side == Side::kBuy;
  if (buy && !(member.roles & kRoleBuyer))
    return Fail(ErrorCode::kForbidden, "member has no buyer role");
  if (!buy && !(member.roles & kRoleSeller))
    return Fail(ErrorCode::kForbidden, "member has no seller role");
  if (c.tif == Tif::kGtd) {
    if (c.expire_at == kNever || c.expire_at <= clock_)
      return Fail(ErrorCode::kInvalidTif, "GTD needs an expire_at in the future");
  } else if (c.expire_at != kNever) {
    return Fail(ErrorCode::kInvalidTif, "expire_at is only for GTD orders");
  }
  // A division is on the sampled path (`perf annotate`, tiny book), so none
  // is asked where the answer is known: any quantity is a multiple of a lot
  // of 1, and a min_qty of 0 of any lot.
  const int64_t lot = inst.lot.v;
  if (c.qty.v <= 0 || (lot != 1 && c.qty.v % lot != 0))
    return Fail(ErrorCode::kInvalidQty, "qty must be a positive multiple of lot " + Num(lot));
  if (c.min_qty.v < 0 || c.min_qty.v > c.qty.v || (c.min_qty.v != 0 && c.min_qty.v % lot != 0))
    return Fail(ErrorCode::kInvalidQty,
                "min_qty must be a multiple of lot " + Num(lot) + " and at most qty");
  const int64_t tick = inst.tick.v;
  if (c.price.v <= 0 || c.price.v % tick != 0)
    return Fail(ErrorCode::kInvalidPrice, "price must be a positive multiple of tick " + Num(tick));
  if (!CheckedMul(c.qty.v, c.price.v))
    return Fail(ErrorCode::kTooLarge, "qty x price does not fit in int64 fen");
  if (c.client_order_id.empty())
    return Fail(ErrorCode::kBadRequest, "client_order_id is required");
  const uint64_t coid_key = CoidKey(m, c.client_order_id.view());
  size_t coid_end;  // one probe run serves the check and the insert
  if (FindByCoid(m, c.client_order_id.view(), coid_key, &coid_end) != kNoSlot)
    return Fail(ErrorCode::kDuplicateClientOrderId,
                "client_order_id " + c.client_order_id.str() + " is in use by a live order");
  if (inst.halted) return Fail(ErrorCode::kInstrumentHalted, "instrument is halted");

  uint32_t ref = kNone;
  TimeNs expire = c.tif == Tif::kGtd ? c.expire_at : kNever;
  if (buy) {
    if (!c.attestation.empty())
      return Fail(ErrorCode::kBadRequest, "attestation is only for sell orders");
    if (inst.tier > member.tier)
      return Fail(ErrorCode::kTierNotQualified, "instrument tier " + Num(inst.tier) +
                                                    " is above the member's tier " +
                                                    Num(member.tier));
    if (!c.voucher.empty()) {
      ref = FindName(program_by_name_, c.voucher.view());
      if (ref == kNone) return Fail(ErrorCode::kVoucherInvalid, "unknown voucher program");
      if (!ledgers_.contains(LedgerKey(ref, m)))
        return Fail(ErrorCode::kVoucherInvalid, "member is not enrolled in the program");
    }
  } else {
    if (!c.voucher.empty()) return Fail(ErrorCode::kBadRequest, "voucher is only for buy orders");
    if (c.attestation.empty())
      return Fail(ErrorCode::kAttestationInvalid, "a sell order must cite an attestation");
    ref = attestation_by_name_.Resolve(c.handles.attestation, c.attestation.view());
    if (ref == kNone) return Fail(ErrorCode::kAttestationInvalid, "unknown attestation");
    if (!AttestationLets(ref, m, inst)) return;
    expire = std::min(expire, attestations_[ref].expires_at);
  }

  const Slot s = pool_.Allocate();
  OrderNode& n = pool_.hot(s);
  n.id = next_order_id_++;
  n.price = c.price.v;
  n.open = c.qty.v;
  n.min_qty = c.min_qty.v;
  n.expire_at = expire;
  n.member = m;
  OrderCold& cold = pool_.cold(s);
  cold.gtd_expire = c.tif == Tif::kGtd ? c.expire_at : kNever;
  cold.instrument = i;
  cold.ref = ref;
  cold.side = c.side;
  cold.tif = c.tif;
  cold.coid = c.client_order_id;
  cold.coid_key = coid_key;
  ids_.Insert(n.id, s);
  coids_.InsertAt(coid_end, coid_key, s);  // nothing touched coids_ since the check
  if (c.tif == Tif::kGtd) PushGtd(c.expire_at, n.id);
  MatchAndRest(s);
}

void Engine::Impl::OnCancel(const CancelOrder& c) {
  const MemberId m = member_by_name_.Resolve(c.handles.member, c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember, "unknown member " + c.member.str());
  const Slot s = c.order_id != 0 ? FindLive(c.order_id) : FindByCoid(m, c.client_order_id.view());
  if (s != kNoSlot) pool_.PrefetchCold(s);
  // Most cancels on a busy book name an order already gone: a repeated reject.
  if (s == kNoSlot || pool_.hot(s).member != m || ExpireIfDue(s))
    return FailRepeated(ErrorCode::kUnknownOrder, kNoLiveOrder);
  const Reason reason =
      c.reason == Reason::kCancelOnDisconnect ? Reason::kCancelOnDisconnect : Reason::kByMember;
  // The subject order is the answer, not a side effect.
  TakeOut(s, OrderStatus::kCanceled, reason, &ev_.order);
  ev_.has_order = true;
}

void Engine::Impl::OnReplace(const ReplaceOrder& c) {
  const MemberId m = member_by_name_.Resolve(c.handles.member, c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember, "unknown member " + c.member.str());
  if (c.qty.v == 0 && c.price.v == 0)
    return Fail(ErrorCode::kBadRequest, "replace needs qty and/or price");
  const Slot s = FindLive(c.order_id);
  if (s != kNoSlot) pool_.PrefetchCold(s);
  if (s == kNoSlot || pool_.hot(s).member != m)
    return Fail(ErrorCode::kUnknownOrder, kNoLiveOrder);
  const InstrumentId i = pool_.cold(s).instrument;
  const Instrument& inst = instruments_[i];
  if (inst.halted) return Fail(ErrorCode::kInstrumentHalted, "instrument is halted");
  if (c.qty.v < 0 || c.qty.v % inst.lot.v != 0)
    return Fail(ErrorCode::kInvalidQty, "qty must be a positive multiple of lot " + Num(inst.lot.v));
  if (c.price.v < 0 || c.price.v % inst.tick.v != 0)
    return Fail(ErrorCode::kInvalidPrice,
                "price must be a positive multiple of tick " + Num(inst.tick.v));
  OrderNode& n = pool_.hot(s);
  const int64_t qty = c.qty.v != 0 ? c.qty.v : n.open;
  const int64_t price = c.price.v != 0 ? c.price.v : n.price;
  if (!CheckedMul(qty, price)) return Fail(ErrorCode::kTooLarge, "qty x price does not fit in int64 fen");
  // Filled plus new open must stay countable.
  if (n.filled > INT64_MAX - qty)
    return Fail(ErrorCode::kTooLarge, "filled + qty does not fit in int64");
  if (ExpireIfDue(s)) return Fail(ErrorCode::kUnknownOrder, kNoLiveOrder);

  ev_.has_order = true;
  if (price == n.price && qty <= n.open) {
    // Same price, not more: the order keeps its place.
    Level& lv = levels_[n.level];
    lv.qty -= n.open - qty;
    n.open = qty;
    EmitLevel(n.level);
    ViewInto(s, &ev_.order);
    return;
  }
  Unlink(s);
  --resting_;
  n.price = price;
  n.open = qty;
  MatchAndRest(s);
}

}  // namespace corpex
