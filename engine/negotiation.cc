// Negotiated deals: a buyer's request for quote, sellers' quotes, and the
// buyer's acceptance, which makes a trade with every check and effect of a
// book trade (tier, attestation, voucher offset and claim, affiliation,
// delivery) but no order ids. Rules and codes: docs/PROTOCOL.md
// "Negotiated deals". A refused command changes nothing; what is due to
// expire leaves at the next tick.
#include "engine/checked_math.h"
#include "engine/engine_impl.h"

namespace corpex {

void Engine::Impl::EmitRfq(uint64_t id, const OpenRfq& r, RfqStatus status) {
  rare_events_ = true;
  ev_.rfqs.push_back(RfqView{id, r.buyer, r.instrument, Qty(r.qty), r.voucher, r.expire_at, status});
}

void Engine::Impl::EmitQuote(uint64_t id, const OpenQuote& q, QuoteStatus status) {
  auto rfq = rfqs_.find(q.rfq);
  const OpenRfq none;
  const OpenRfq& r = rfq == rfqs_.end() ? none : rfq->second;
  rare_events_ = true;
  ev_.quotes.push_back(QuoteView{id, q.rfq, q.seller, r.buyer, r.instrument, Price(q.price), Qty(r.qty),
                                 q.attestation, q.valid_until, status, q.consideration, q.equity});
}

void Engine::Impl::CloseRfq(std::map<uint64_t, OpenRfq>::iterator it, RfqStatus status) {
  EmitRfq(it->first, it->second, status);
  for (auto q = quotes_.begin(); q != quotes_.end();) {
    if (q->second.rfq != it->first) {
      ++q;
      continue;
    }
    EmitQuote(q->first, q->second, QuoteStatus::kRfqClosed);
    q = quotes_.erase(q);
  }
  rfqs_.erase(it);
}

// A quote is an offer to sell under its attestation: when that is revoked
// the offer goes, as resting sell orders do, rather than wait for an
// acceptance to be refused.
void Engine::Impl::CloseQuotesCiting(AttestationId a) {
  for (auto q = quotes_.begin(); q != quotes_.end();) {
    if (q->second.attestation != a) {
      ++q;
      continue;
    }
    EmitQuote(q->first, q->second, QuoteStatus::kAttestationRevoked);
    q = quotes_.erase(q);
  }
}

void Engine::Impl::ExpireDeals() {
  for (auto q = quotes_.begin(); q != quotes_.end();) {
    if (q->second.valid_until > clock_) {
      ++q;
      continue;
    }
    EmitQuote(q->first, q->second, QuoteStatus::kExpired);
    q = quotes_.erase(q);
  }
  for (auto r = rfqs_.begin(); r != rfqs_.end();) {
    auto next = std::next(r);
    if (r->second.expire_at <= clock_) CloseRfq(r, RfqStatus::kExpired);
    r = next;
  }
}

void Engine::Impl::OnRfqNew(const RfqNew& c) {
  const MemberId m = FindName(member_by_name_, c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember, "unknown member " + c.member.str());
  const Member& member = members_[m];
  if (member.suspended) return Fail(ErrorCode::kMemberSuspended, "member is suspended");
  if (!(member.roles & kRoleBuyer)) return Fail(ErrorCode::kForbidden, "member has no buyer role");
  const InstrumentId i = FindName(instrument_by_symbol_, c.instrument.view());
  if (i == kNone) return Fail(ErrorCode::kUnknownInstrument, "unknown instrument " + c.instrument.str());
  const Instrument& inst = instruments_[i];
  if (inst.halted) return Fail(ErrorCode::kInstrumentHalted, "instrument is halted");
  if (inst.tier > member.tier)
    return Fail(ErrorCode::kTierNotQualified, "instrument tier " + std::to_string(inst.tier) +
                                                  " is above the member's tier " + std::to_string(member.tier));
  if (c.qty.v <= 0 || c.qty.v % inst.lot.v != 0)
    return Fail(ErrorCode::kInvalidQty, "qty must be a positive multiple of lot " + std::to_string(inst.lot.v));
  ProgramId program = kNone;
  if (!c.voucher.empty()) {
    program = FindName(program_by_name_, c.voucher.view());
    if (program == kNone) return Fail(ErrorCode::kVoucherInvalid, "unknown voucher program");
    if (!ledgers_.contains(LedgerKey(program, m)))
      return Fail(ErrorCode::kVoucherInvalid, "member is not enrolled in the program");
  }
  if (c.expire_at <= clock_) return Fail(ErrorCode::kBadRequest, "expire_at must be in the future");
  const uint64_t id = next_rfq_id_++;
  const OpenRfq& r = rfqs_[id] = OpenRfq{m, i, c.qty.v, program, c.expire_at};
  EmitRfq(id, r, RfqStatus::kOpen);
}

void Engine::Impl::OnRfqCancel(const RfqCancel& c) {
  const MemberId m = FindName(member_by_name_, c.member.view());
  auto it = rfqs_.find(c.rfq_id);
  // Another member's RFQ is answered as none at all.
  if (m == kNone || it == rfqs_.end() || it->second.buyer != m || it->second.expire_at <= clock_)
    return Fail(ErrorCode::kUnknownRfq, "no open rfq " + std::to_string(c.rfq_id) + " of yours");
  CloseRfq(it, RfqStatus::kCanceled);
}

void Engine::Impl::OnQuoteNew(const QuoteNew& c) {
  const MemberId m = FindName(member_by_name_, c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember, "unknown member " + c.member.str());
  const Member& member = members_[m];
  if (member.suspended) return Fail(ErrorCode::kMemberSuspended, "member is suspended");
  if (!(member.roles & kRoleSeller)) return Fail(ErrorCode::kForbidden, "member has no seller role");
  auto rfq = rfqs_.find(c.rfq_id);
  if (rfq == rfqs_.end() || rfq->second.expire_at <= clock_)
    return Fail(ErrorCode::kUnknownRfq, "no open rfq " + std::to_string(c.rfq_id));
  const OpenRfq& r = rfq->second;
  if (r.buyer == m) return Fail(ErrorCode::kForbidden, "a member does not quote its own rfq");
  const Instrument& inst = instruments_[r.instrument];
  if (inst.halted) return Fail(ErrorCode::kInstrumentHalted, "instrument is halted");
  const AttestationId a = FindName(attestation_by_name_, c.attestation.view());
  if (c.attestation.empty()) return Fail(ErrorCode::kAttestationInvalid, "a quote must cite an attestation");
  if (a == kNone) return Fail(ErrorCode::kAttestationInvalid, "unknown attestation");
  if (!AttestationLets(a, m, inst)) return;
  int64_t price = c.price.v;
  if (c.consideration == Consideration::kEquity) {
    // Data for equity: the notional is the valuation; the unit price is implied.
    const Equity& e = c.equity;
    if (c.price.v != 0) return Fail(ErrorCode::kBadRequest, "an equity consideration takes no price");
    if (!ValidUscc(e.company_view()))
      return Fail(ErrorCode::kBadRequest, "company must be a valid unified social credit code");
    if (e.shares <= 0) return Fail(ErrorCode::kBadRequest, "shares must be > 0");
    if (e.valuation <= 0) return Fail(ErrorCode::kInvalidPrice, "valuation_fen must be > 0");
    if (r.voucher != kNone)
      return Fail(ErrorCode::kVoucherInvalid,
                  "an equity consideration is not voucher-eligible: the rfq names program " +
                      programs_[r.voucher].program);
    price = e.valuation / r.qty;
  } else if (c.consideration != Consideration::kCash) {
    return Fail(ErrorCode::kBadRequest, "unknown consideration");
  } else {
    if (c.price.v <= 0 || c.price.v % inst.tick.v != 0)
      return Fail(ErrorCode::kInvalidPrice, "price must be a positive multiple of tick " + std::to_string(inst.tick.v));
    if (!CheckedMul(r.qty, c.price.v)) return Fail(ErrorCode::kTooLarge, "qty x price does not fit in int64 fen");
  }
  if (c.valid_until <= clock_) return Fail(ErrorCode::kBadRequest, "valid_until must be in the future");
  const uint64_t id = next_quote_id_++;
  const Equity cash;
  const bool equity = c.consideration == Consideration::kEquity;
  const OpenQuote& q = quotes_[id] =
      OpenQuote{c.rfq_id, m, price, a, c.valid_until, c.consideration, equity ? c.equity : cash};
  EmitQuote(id, q, QuoteStatus::kOpen);
  // A seller has one live quote an RFQ: the new one replaces the old.
  for (auto old = quotes_.begin(); old != quotes_.end(); ++old) {
    if (old->first == id || old->second.rfq != c.rfq_id || old->second.seller != m) continue;
    EmitQuote(old->first, old->second, QuoteStatus::kSuperseded);
    quotes_.erase(old);
    break;
  }
}

void Engine::Impl::OnQuoteCancel(const QuoteCancel& c) {
  const MemberId m = FindName(member_by_name_, c.member.view());
  auto it = quotes_.find(c.quote_id);
  if (m == kNone || it == quotes_.end() || it->second.seller != m || it->second.valid_until <= clock_)
    return Fail(ErrorCode::kUnknownQuote, "no open quote " + std::to_string(c.quote_id) + " of yours");
  EmitQuote(it->first, it->second, QuoteStatus::kWithdrawn);
  quotes_.erase(it);
}

void Engine::Impl::OnQuoteAccept(const QuoteAccept& c) {
  const MemberId m = FindName(member_by_name_, c.member.view());
  auto qit = quotes_.find(c.quote_id);
  auto rit = qit == quotes_.end() ? rfqs_.end() : rfqs_.find(qit->second.rfq);
  // Only the RFQ's buyer sees its quotes.
  if (m == kNone || rit == rfqs_.end() || rit->second.buyer != m || qit->second.valid_until <= clock_)
    return Fail(ErrorCode::kUnknownQuote, "no open quote " + std::to_string(c.quote_id) + " on an rfq of yours");
  const OpenQuote q = qit->second;
  const OpenRfq r = rit->second;
  if (r.expire_at <= clock_) return Fail(ErrorCode::kUnknownRfq, "the rfq has expired");
  const Member& buyer = members_[m];
  if (buyer.suspended) return Fail(ErrorCode::kMemberSuspended, "member is suspended");
  if (members_[q.seller].suspended) return Fail(ErrorCode::kMemberSuspended, "the seller is suspended");
  const Instrument& inst = instruments_[r.instrument];
  if (inst.halted) return Fail(ErrorCode::kInstrumentHalted, "instrument is halted");
  if (inst.tier > buyer.tier)
    return Fail(ErrorCode::kTierNotQualified, "instrument tier " + std::to_string(inst.tier) +
                                                  " is above the member's tier " + std::to_string(buyer.tier));
  // The attestation may have been revoked or have expired since the quote.
  if (!AttestationLets(q.attestation, q.seller, inst)) return;

  Trade& t = ev_.trades.emplace_back();
  t.id = next_trade_id_++;
  t.ts = clock_;
  t.instrument = r.instrument;
  t.price = Price(q.price);
  t.qty = Qty(r.qty);
  // Checked when quoted; an equity deal's notional is its valuation.
  t.notional = Fen(q.consideration == Consideration::kEquity ? q.equity.valuation
                                                            : CheckedMul(r.qty, q.price).value_or(0));
  t.aggressor = Side::kBuy;  // the acceptance takes the seller's price
  t.buyer = m;
  t.seller = q.seller;
  t.attestation = q.attestation;
  t.affiliated = buyer.group_id == members_[q.seller].group_id;
  t.buy_after = OrderAfter{OrderStatus::kFilled, Qty(r.qty), Qty(0), {}};
  t.sell_after = t.buy_after;
  ApplyVoucher(t, q.consideration == Consideration::kEquity ? kNone : r.voucher, m, q.seller, r.instrument);
  deliveries_.push_back(DeliveryRow{m, q.seller, q.attestation, r.instrument, DeliveryState::kPending});
  EmitQuote(qit->first, q, QuoteStatus::kAccepted);
  quotes_.erase(qit);
  CloseRfq(rit, RfqStatus::kFilled);
}

std::vector<RfqView> Engine::OpenRfqs() const {
  std::vector<RfqView> out;
  for (const auto& [id, r] : impl_->rfqs_)
    out.push_back(RfqView{id, r.buyer, r.instrument, Qty(r.qty), r.voucher, r.expire_at, RfqStatus::kOpen});
  return out;
}

std::vector<QuoteView> Engine::OpenQuotes() const {
  std::vector<QuoteView> out;
  for (const auto& [id, q] : impl_->quotes_) {
    auto r = impl_->rfqs_.find(q.rfq);
    if (r == impl_->rfqs_.end()) continue;
    out.push_back(QuoteView{id, q.rfq, q.seller, r->second.buyer, r->second.instrument, Price(q.price),
                            Qty(r->second.qty), q.attestation, q.valid_until, QuoteStatus::kOpen,
                            q.consideration, q.equity});
  }
  return out;
}

bool Engine::MaySell(MemberId member, InstrumentId instrument) const {
  const Impl& e = *impl_;
  if (member >= e.members_.size() || instrument >= e.instruments_.size()) return false;
  if (!(e.members_[member].roles & kRoleSeller)) return false;
  const Instrument& inst = e.instruments_[instrument];
  for (const Attestation& a : e.attestations_) {
    if (a.member == member && !a.revoked && a.issued_at <= e.clock_ && a.expires_at > e.clock_ &&
        (a.licences & (1u << static_cast<unsigned>(inst.licence))) && a.tier <= inst.tier)
      return true;
  }
  return false;
}

}  // namespace corpex
