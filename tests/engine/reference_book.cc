// reference_book.cc — see reference_book.h. Slow on purpose; obvious first.
//
// Interpretations where SPEC + README leave a choice (the differential test
// holds the real engine to these):
//  1. An order that left the book (canceled / expired) keeps in `open` the
//     quantity that was still open when it left, so `canceled_qty` can be read
//     off it; a filled order has open 0.
//  2. Mass cancels (kill, suspend, attestation revoke) cancel every live order
//     they cover with their own reason, also one already due to expire that no
//     tick has removed yet: README's "touching ... expires it first" is read as
//     a rule of matching, cancel and replace (the paragraph it stands in).
//  3. Cancel / replace of an order that is due to expire: the order leaves the
//     book (reported in `done`), the command answers UNKNOWN_ORDER.
//  4. A fill's `program` is the buy order's program whenever the fill is
//     eligible, also when the offset rounds / caps to 0 (README "Vouchers");
//     only a non-zero offset opens a claim.
//  5. Inside a walk the incoming order's after-state is `partially_filled`
//     while it still has open quantity, `filled` once complete.
//  6. Cancel / replace check: unknown member, (replace) both fields absent,
//     the order lookup (live and the caller's), halted instrument, qty,
//     price, size, and only then whether the order is due to expire (so a
//     bad input changes nothing, not even a lazy expiry). A suspended
//     member has no live order, so it gets UNKNOWN_ORDER (README names no
//     other error for cancel / replace).
//  7. An order that re-enters on replace keeps its id, its filled quantity,
//     tif, min_qty, expire_at, attestation and program; its client order id
//     stays reserved.
//  8. An order due to expire that no tick or touch has removed still holds
//     its client order id (DUPLICATE_CLIENT_ORDER_ID): the duplicate check
//     is validation, and validation changes nothing.
//  9. A FOK that cannot fill changes nothing at all, also no lazy expiry of
//     the due orders its dry run passed over.
// 10. Only buyers can be enrolled in a program (else BAD_REQUEST).
#include "reference_book.h"

#include <algorithm>
#include <chrono>

namespace corpex::ref {
namespace {

constexpr bool kTerminalKeepsOpen = true;  // Interpretation 1

bool MulOverflows(int64_t a, int64_t b, int64_t* out) { return __builtin_mul_overflow(a, b, out); }

bool Crosses(const OrderView& in, Price rest_price) {
  return in.side == Side::kBuy ? rest_price <= in.price : rest_price >= in.price;
}

// Better price first; ties keep their place in book_ (time priority).
bool BetterPrice(Side resting_side, Price a, Price b) {
  return resting_side == Side::kBuy ? a > b : a < b;
}

Output Fail(ErrorCode code) {
  Output out;
  out.code = code;
  return out;
}

}  // namespace

int CstYear(TimeNs ts) {
  using namespace std::chrono;
  const sys_time<nanoseconds> utc{nanoseconds{ts}};
  const auto cst = utc + hours{8};
  const year_month_day ymd{floor<days>(cst)};
  return static_cast<int>(ymd.year());
}

// ---------------------------------------------------------------- lookups --

InstrumentId ReferenceBook::FindInstrument(std::string_view s) const {
  for (size_t i = 0; i < instruments_.size(); ++i)
    if (instruments_[i].symbol == s) return static_cast<InstrumentId>(i);
  return kNone;
}
MemberId ReferenceBook::FindMember(std::string_view s) const {
  for (size_t i = 0; i < members_.size(); ++i)
    if (members_[i].member == s) return static_cast<MemberId>(i);
  return kNone;
}
AttestationId ReferenceBook::FindAttestation(std::string_view s) const {
  for (size_t i = 0; i < attestations_.size(); ++i)
    if (attestations_[i].attestation == s) return static_cast<AttestationId>(i);
  return kNone;
}
ProgramId ReferenceBook::FindProgram(std::string_view s) const {
  for (size_t i = 0; i < programs_.size(); ++i)
    if (programs_[i].program == s) return static_cast<ProgramId>(i);
  return kNone;
}

bool ReferenceBook::Enrolled(ProgramId p, MemberId m) const {
  return std::find(enrolments_.begin(), enrolments_.end(), std::make_pair(p, m)) !=
         enrolments_.end();
}

Fen ReferenceBook::Reserved(ProgramId p, MemberId m) const {
  int64_t sum = 0;
  for (const Claim& c : claims_)
    if (c.program == p && c.member == m && c.status != ClaimStatus::kRejected) sum += c.amount.v;
  return Fen{sum};
}

Fen ReferenceBook::BudgetLeft(ProgramId p) const {
  int64_t used = 0;
  for (const Claim& c : claims_)
    if (c.program == p && c.status != ClaimStatus::kRejected) used += c.amount.v;
  return Fen{programs_[p].budget.v - used};
}

std::optional<Ledger> ReferenceBook::FindLedger(ProgramId p, MemberId m) const {
  if (!Enrolled(p, m)) return std::nullopt;
  Ledger l;
  for (const Claim& c : claims_) {
    if (c.program != p || c.member != m) continue;
    switch (c.status) {
      case ClaimStatus::kReserved:
        l.reserved.v += c.amount.v;
        break;
      case ClaimStatus::kApproved:
        l.reserved.v += c.amount.v;
        l.approved.v += c.amount.v;
        break;
      case ClaimStatus::kPaid:
        l.reserved.v += c.amount.v;
        l.paid.v += c.amount.v;
        break;
      case ClaimStatus::kRejected:
        l.rejected.v += c.amount.v;
        break;
    }
  }
  return l;
}

std::vector<Claim> ReferenceBook::Claims(ProgramId p) const {
  std::vector<Claim> out;
  for (const Claim& c : claims_)
    if (c.program == p) out.push_back(c);
  std::sort(out.begin(), out.end(),
            [](const Claim& a, const Claim& b) { return a.trade_id < b.trade_id; });
  return out;
}

std::vector<OrderView> ReferenceBook::AllOrders() const {
  std::vector<OrderView> out = book_;
  std::sort(out.begin(), out.end(),
            [](const OrderView& a, const OrderView& b) { return a.id < b.id; });
  return out;
}

BookDepth ReferenceBook::Depth(InstrumentId instrument) const {
  BookDepth d;
  for (Side side : {Side::kBuy, Side::kSell}) {
    std::vector<BookLevel>& levels = side == Side::kBuy ? d.bids : d.asks;
    for (const OrderView& o : book_) {
      if (o.instrument != instrument || o.side != side) continue;
      auto it = std::find_if(levels.begin(), levels.end(),
                             [&](const BookLevel& l) { return l.price == o.price; });
      if (it == levels.end()) {
        levels.push_back(BookLevel{o.price, o.open, 1});
      } else {
        it->qty.v += o.open.v;
        it->orders += 1;
      }
    }
    std::sort(levels.begin(), levels.end(), [side](const BookLevel& a, const BookLevel& b) {
      return BetterPrice(side, a.price, b.price);
    });
  }
  return d;
}

// ------------------------------------------------------------ book basics --

long ReferenceBook::IndexOf(OrderId id) const {
  for (size_t i = 0; i < book_.size(); ++i)
    if (book_[i].id == id) return static_cast<long>(i);
  return -1;
}

std::optional<ReferenceBook::Due> ReferenceBook::DueNow(const OrderView& o) const {
  if (o.tif == Tif::kGtd && o.expire_at <= now_)
    return Due{OrderStatus::kExpired, Reason::kGtdExpired};
  if (o.side == Side::kSell && attestations_[o.attestation].expires_at <= now_)
    return Due{OrderStatus::kCanceled, Reason::kAttestationExpired};
  return std::nullopt;
}

OrderView ReferenceBook::Remove(OrderId id, OrderStatus status, Reason reason) {
  const long i = IndexOf(id);
  OrderView o = book_[static_cast<size_t>(i)];
  book_.erase(book_.begin() + i);
  o.status = status;
  o.reason = reason;
  if (!kTerminalKeepsOpen) o.open = Qty{0};
  return o;
}

template <typename Pred>
uint64_t ReferenceBook::MassCancel(Pred pred, Reason reason, Output& out) {
  std::vector<OrderView> victims;
  for (const OrderView& o : book_)
    if (pred(o)) victims.push_back(o);
  std::sort(victims.begin(), victims.end(),
            [](const OrderView& a, const OrderView& b) { return a.id < b.id; });
  for (const OrderView& o : victims)  // Interpretation 2: no expiry check
    out.done.push_back(Remove(o.id, OrderStatus::kCanceled, reason));
  return victims.size();
}

// --------------------------------------------------------------- matching --

Trade ReferenceBook::MakeTrade(OrderView& in, OrderView& rest, Qty f) {
  OrderView& buy = in.side == Side::kBuy ? in : rest;
  OrderView& sell = in.side == Side::kBuy ? rest : in;
  Trade t;
  t.id = next_trade_++;
  t.ts = now_;
  t.instrument = in.instrument;
  t.price = rest.price;
  t.qty = f;
  MulOverflows(rest.price.v, f.v, &t.notional.v);  // within the order's checked qty x price
  t.aggressor = in.side;
  t.buy_order = buy.id;
  t.sell_order = sell.id;
  t.buyer = buy.member;
  t.seller = sell.member;
  t.affiliated = members_[buy.member].group == members_[sell.member].group;
  t.attestation = sell.attestation;

  in.filled.v += f.v;
  in.open.v -= f.v;
  rest.filled.v += f.v;
  rest.open.v -= f.v;
  for (OrderView* o : {&in, &rest})
    o->status = o->open.v == 0 ? OrderStatus::kFilled : OrderStatus::kPartiallyFilled;

  int64_t offset = 0;
  if (buy.voucher != kNone && !t.affiliated) {
    const Program& p = programs_[buy.voucher];
    const Instrument& inst = instruments_[in.instrument];
    const bool domain_ok = p.domains.empty() || std::find(p.domains.begin(), p.domains.end(),
                                                          inst.domain) != p.domains.end();
    if (domain_ok && CstYear(now_) == p.year) {
      t.program = buy.voucher;  // Interpretation 4
      const int64_t by_rate =
          static_cast<int64_t>(static_cast<__int128>(t.notional.v) * p.rate_bps / 10000);
      const int64_t cap_left = p.member_cap.v - Reserved(buy.voucher, buy.member).v;
      offset = std::min({by_rate, cap_left, BudgetLeft(buy.voucher).v});
      if (offset < 0) offset = 0;
      if (offset > 0) {
        Claim c;
        c.trade_id = t.id;
        c.program = buy.voucher;
        c.member = buy.member;
        c.amount = Fen{offset};
        c.status = ClaimStatus::kReserved;
        c.ts = now_;
        claims_.push_back(c);
      }
    }
  }
  t.voucher_offset = Fen{offset};
  t.net_cost = Fen{t.notional.v - offset};
  t.buy_after = OrderAfter{buy.status, buy.filled, buy.open, buy.client_order_id};
  t.sell_after = OrderAfter{sell.status, sell.filled, sell.open, sell.client_order_id};
  return t;
}

bool ReferenceBook::Walk(OrderView& in, bool simulate, Output& out) {
  const Side rest_side = in.side == Side::kBuy ? Side::kSell : Side::kBuy;
  std::vector<OrderView> candidates;
  for (const OrderView& o : book_)
    if (o.instrument == in.instrument && o.side == rest_side && Crosses(in, o.price))
      candidates.push_back(o);
  std::stable_sort(candidates.begin(), candidates.end(),
                   [rest_side](const OrderView& a, const OrderView& b) {
                     return BetterPrice(rest_side, a.price, b.price);
                   });

  Qty remaining = in.open;
  for (const OrderView& cand : candidates) {
    if (remaining.v == 0) break;
    if (auto due = DueNow(cand)) {
      if (!simulate) out.done.push_back(Remove(cand.id, due->status, due->reason));
      continue;
    }
    const Qty f{std::min(remaining.v, cand.open.v)};
    if (f < cand.min_qty && f != cand.open) continue;  // skipped, keeps its place
    if (f < in.min_qty && f != remaining) continue;
    if (cand.member == in.member) return simulate ? false : true;
    remaining.v -= f.v;
    if (simulate) continue;
    OrderView& rest = book_[static_cast<size_t>(IndexOf(cand.id))];
    out.trades.push_back(MakeTrade(in, rest, f));
    if (rest.open.v == 0) book_.erase(book_.begin() + IndexOf(rest.id));
  }
  return simulate ? remaining.v == 0 : false;
}

void ReferenceBook::Run(OrderView& in, Output& out) {
  if (in.tif == Tif::kFok) {
    Output scratch;
    if (!Walk(in, /*simulate=*/true, scratch)) {
      in.status = OrderStatus::kExpired;
      in.reason = Reason::kFokUnfilled;
      if (!kTerminalKeepsOpen) in.open = Qty{0};
      return;
    }
  }
  const bool stp = Walk(in, /*simulate=*/false, out);
  if (in.open.v == 0) {
    in.status = OrderStatus::kFilled;
    in.reason = Reason::kNone;
    return;
  }
  if (stp) {
    in.status = OrderStatus::kCanceled;
    in.reason = Reason::kSelfTradePrevented;
  } else if (in.tif == Tif::kIoc || in.tif == Tif::kFok) {
    in.status = OrderStatus::kExpired;
    in.reason = in.tif == Tif::kIoc ? Reason::kIocRemainder : Reason::kFokUnfilled;
  } else {
    in.status = in.filled.v == 0 ? OrderStatus::kNew : OrderStatus::kPartiallyFilled;
    in.reason = Reason::kNone;
    book_.push_back(in);  // joins the back of its level
    return;
  }
  if (!kTerminalKeepsOpen) in.open = Qty{0};
}

// ------------------------------------------------------------- member ops --

Output ReferenceBook::DoNew(const NewOrder& c) {
  const MemberId m = FindMember(c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember);
  const Member& member = members_[m];
  if (member.suspended) return Fail(ErrorCode::kMemberSuspended);
  const InstrumentId i = FindInstrument(c.instrument.view());
  if (i == kNone) return Fail(ErrorCode::kUnknownInstrument);
  const Instrument& inst = instruments_[i];
  const bool buy = c.side == Side::kBuy;
  if (buy && !(member.roles & kRoleBuyer)) return Fail(ErrorCode::kForbidden);
  if (!buy && !(member.roles & kRoleSeller)) return Fail(ErrorCode::kForbidden);
  if (c.tif == Tif::kGtd) {
    if (c.expire_at == kNever || c.expire_at <= now_) return Fail(ErrorCode::kInvalidTif);
  } else if (c.expire_at != kNever) {
    return Fail(ErrorCode::kInvalidTif);
  }
  if (c.qty.v <= 0 || c.qty.v % inst.lot.v != 0) return Fail(ErrorCode::kInvalidQty);
  if (c.min_qty.v < 0 || c.min_qty > c.qty || c.min_qty.v % inst.lot.v != 0)
    return Fail(ErrorCode::kInvalidQty);
  if (c.price.v <= 0 || c.price.v % inst.tick.v != 0) return Fail(ErrorCode::kInvalidPrice);
  int64_t product;
  if (MulOverflows(c.qty.v, c.price.v, &product)) return Fail(ErrorCode::kTooLarge);
  if (c.client_order_id.empty()) return Fail(ErrorCode::kBadRequest);
  for (const OrderView& o : book_)
    if (o.member == m && o.client_order_id.view() == c.client_order_id.view())
      return Fail(ErrorCode::kDuplicateClientOrderId);
  if (inst.halted) return Fail(ErrorCode::kInstrumentHalted);

  AttestationId att = kNone;
  ProgramId program = kNone;
  if (buy) {
    if (!c.attestation.empty()) return Fail(ErrorCode::kBadRequest);
    if (inst.tier > member.tier) return Fail(ErrorCode::kTierNotQualified);
    if (!c.voucher.empty()) {
      program = FindProgram(c.voucher.view());
      if (program == kNone || !Enrolled(program, m)) return Fail(ErrorCode::kVoucherInvalid);
    }
  } else {
    if (!c.voucher.empty()) return Fail(ErrorCode::kBadRequest);
    att = FindAttestation(c.attestation.view());
    if (att == kNone) return Fail(ErrorCode::kAttestationInvalid);  // also: missing
    const Attestation& a = attestations_[att];
    if (a.revoked || a.issued_at > now_ || a.expires_at <= now_ || a.member != m ||
        !(a.licences & (1u << static_cast<unsigned>(inst.licence))) || a.tier > inst.tier)
      return Fail(ErrorCode::kAttestationInvalid);
  }

  OrderView in;
  in.id = next_order_++;
  in.member = m;
  in.instrument = i;
  in.side = c.side;
  in.tif = c.tif;
  in.status = OrderStatus::kNew;
  in.reason = Reason::kNone;
  in.price = c.price;
  in.filled = Qty{0};
  in.open = c.qty;
  in.min_qty = c.min_qty;
  in.expire_at = c.expire_at;
  in.attestation = att;
  in.voucher = program;
  in.client_order_id = c.client_order_id;

  Output out;
  Run(in, out);
  out.has_order = true;
  out.order = in;
  return out;
}

Output ReferenceBook::DoCancel(const CancelOrder& c) {
  const MemberId m = FindMember(c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember);
  long idx = -1;
  for (size_t k = 0; k < book_.size(); ++k) {
    const OrderView& o = book_[k];
    if (o.member != m) continue;
    const bool hit = c.order_id != 0 ? o.id == c.order_id
                                     : (!c.client_order_id.empty() &&
                                        o.client_order_id.view() == c.client_order_id.view());
    if (hit) idx = static_cast<long>(k);
  }
  if (idx < 0) return Fail(ErrorCode::kUnknownOrder);
  const OrderView o = book_[static_cast<size_t>(idx)];
  if (auto due = DueNow(o)) {  // Interpretation 3
    Output out = Fail(ErrorCode::kUnknownOrder);
    out.done.push_back(Remove(o.id, due->status, due->reason));
    return out;
  }
  Output out;
  out.has_order = true;
  out.order = Remove(o.id, OrderStatus::kCanceled, c.reason);
  return out;
}

Output ReferenceBook::DoReplace(const ReplaceOrder& c) {
  const MemberId m = FindMember(c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember);
  if (c.qty.v == 0 && c.price.v == 0) return Fail(ErrorCode::kBadRequest);
  const long idx = c.order_id == 0 ? -1 : IndexOf(c.order_id);
  if (idx < 0 || book_[static_cast<size_t>(idx)].member != m) return Fail(ErrorCode::kUnknownOrder);
  OrderView o = book_[static_cast<size_t>(idx)];
  const Instrument& inst = instruments_[o.instrument];
  if (inst.halted) return Fail(ErrorCode::kInstrumentHalted);
  if (c.qty.v < 0 || c.qty.v % inst.lot.v != 0) return Fail(ErrorCode::kInvalidQty);
  if (c.price.v < 0 || c.price.v % inst.tick.v != 0) return Fail(ErrorCode::kInvalidPrice);
  const Qty qty = c.qty.v == 0 ? o.open : c.qty;
  const Price price = c.price.v == 0 ? o.price : c.price;
  int64_t product;
  if (MulOverflows(qty.v, price.v, &product)) return Fail(ErrorCode::kTooLarge);
  if (auto due = DueNow(o)) {  // Interpretation 3, after every input check (6)
    Output out = Fail(ErrorCode::kUnknownOrder);
    out.done.push_back(Remove(o.id, due->status, due->reason));
    return out;
  }

  Output out;
  out.has_order = true;
  if (price == o.price && qty <= o.open) {  // keeps its place
    book_[static_cast<size_t>(idx)].open = qty;
    out.order = book_[static_cast<size_t>(idx)];
    return out;
  }
  book_.erase(book_.begin() + idx);  // loses priority, re-enters as aggressor
  o.price = price;
  o.open = qty;
  Run(o, out);
  out.order = o;
  return out;
}

// ----------------------------------------------------------- operator ops --

Output ReferenceBook::DoMemberCreate(const MemberCreate& c) {
  if (c.member.empty()) return Fail(ErrorCode::kBadRequest);
  if (FindMember(c.member.view()) != kNone) return Fail(ErrorCode::kAlreadyExists);
  Member m;
  m.member = c.member.str();
  m.name = c.name.str();
  m.group = c.group.str();
  m.roles = c.roles;
  m.tier = c.tier;
  members_.push_back(m);
  return Output{};
}

Output ReferenceBook::DoMemberSetStatus(const MemberSetStatus& c) {
  const MemberId m = FindMember(c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember);
  members_[m].suspended = c.suspend;
  Output out;
  if (c.suspend)
    out.count = MassCancel([m](const OrderView& o) { return o.member == m; },
                           Reason::kMemberSuspended, out);
  return out;
}

Output ReferenceBook::DoKill(const MemberKill& c) {
  const MemberId m = FindMember(c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember);
  Output out;
  out.count =
      MassCancel([m](const OrderView& o) { return o.member == m; }, Reason::kByOperator, out);
  return out;
}

Output ReferenceBook::DoInstrumentCreate(const InstrumentCreate& c) {
  if (c.symbol.empty()) return Fail(ErrorCode::kBadRequest);
  if (FindInstrument(c.symbol.view()) != kNone) return Fail(ErrorCode::kAlreadyExists);
  Instrument i;
  i.symbol = c.symbol.str();
  i.domain = c.domain.str();
  i.language = c.language.str();
  i.modality = c.modality;
  i.licence = c.licence;
  i.term_months = c.term_months;
  i.tier = c.tier;
  i.unit = c.unit;
  i.tick = c.tick;
  i.lot = c.lot;
  instruments_.push_back(i);
  return Output{};
}

Output ReferenceBook::DoInstrumentSetStatus(const InstrumentSetStatus& c) {
  const InstrumentId i = FindInstrument(c.symbol.view());
  if (i == kNone) return Fail(ErrorCode::kUnknownInstrument);
  instruments_[i].halted = c.halt;
  return Output{};
}

Output ReferenceBook::DoAttestationRegister(const AttestationRegister& c) {
  if (c.attestation.empty() || c.tier < 1 || c.tier > 4 || c.licences == 0 || c.licences > 0xF ||
      c.expires_at <= c.issued_at)
    return Fail(ErrorCode::kBadRequest);
  if (FindAttestation(c.attestation.view()) != kNone) return Fail(ErrorCode::kAlreadyExists);
  const MemberId m = FindMember(c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember);
  Attestation a;
  a.attestation = c.attestation.str();
  a.member = m;
  a.dataset = c.dataset.str();
  a.assessor = c.assessor.str();
  a.licences = c.licences;
  a.tier = c.tier;
  a.issued_at = c.issued_at;
  a.expires_at = c.expires_at;
  attestations_.push_back(a);
  return Output{};
}

Output ReferenceBook::DoRevoke(const AttestationRevoke& c) {
  const AttestationId a = FindAttestation(c.attestation.view());
  if (a == kNone || attestations_[a].revoked) return Fail(ErrorCode::kAttestationInvalid);
  attestations_[a].revoked = true;
  attestations_[a].revoke_reason = c.reason.str();
  Output out;
  out.count =
      MassCancel([a](const OrderView& o) { return o.side == Side::kSell && o.attestation == a; },
                 Reason::kAttestationRevoked, out);
  return out;
}

Output ReferenceBook::DoProgramCreate(const ProgramCreate& c) {
  if (c.program.empty()) return Fail(ErrorCode::kBadRequest);
  if (FindProgram(c.program.view()) != kNone) return Fail(ErrorCode::kAlreadyExists);
  Program p;
  p.program = c.program.str();
  p.rate_bps = c.rate_bps;
  p.member_cap = c.member_cap;
  p.budget = c.budget;
  p.budget_left = c.budget;
  p.year = c.year;
  for (size_t k = 0; k < c.domain_count; ++k) p.domains.push_back(c.domains[k].str());
  programs_.push_back(p);
  return Output{};
}

Output ReferenceBook::DoEnrol(const Enrol& c) {
  const ProgramId p = FindProgram(c.program.view());
  if (p == kNone) return Fail(ErrorCode::kVoucherInvalid);
  const MemberId m = FindMember(c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember);
  if (!(members_[m].roles & kRoleBuyer)) return Fail(ErrorCode::kBadRequest);  // buys only
  if (Enrolled(p, m)) return Fail(ErrorCode::kAlreadyExists);
  enrolments_.emplace_back(p, m);
  return Output{};
}

Output ReferenceBook::DoSettle(const ClaimSettle& c) {
  for (Claim& claim : claims_) {
    if (claim.trade_id != c.trade_id) continue;
    const ClaimStatus from = claim.status, to = c.status;
    const bool legal = (from == ClaimStatus::kReserved && to == ClaimStatus::kApproved) ||
                       (from == ClaimStatus::kApproved && to == ClaimStatus::kPaid) ||
                       ((from == ClaimStatus::kReserved || from == ClaimStatus::kApproved) &&
                        to == ClaimStatus::kRejected);
    if (!legal) return Fail(ErrorCode::kBadRequest);
    claim.status = to;
    return Output{};
  }
  return Fail(ErrorCode::kBadRequest);
}

Output ReferenceBook::DoTick() {
  Output out;
  std::vector<OrderView> due_orders;
  for (const OrderView& o : book_)
    if (DueNow(o)) due_orders.push_back(o);
  std::sort(due_orders.begin(), due_orders.end(),
            [](const OrderView& a, const OrderView& b) { return a.id < b.id; });
  for (const OrderView& o : due_orders) {
    const Due due = *DueNow(o);
    out.done.push_back(Remove(o.id, due.status, due.reason));
  }
  return out;
}

// --------------------------------------------------------------- dispatch --

Output ReferenceBook::Execute(const Command& command) {
  now_ = std::max(now_, command.ts);
  Output out = std::visit(
      [this](const auto& c) -> Output {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, NewOrder>)
          return DoNew(c);
        else if constexpr (std::is_same_v<T, CancelOrder>)
          return DoCancel(c);
        else if constexpr (std::is_same_v<T, ReplaceOrder>)
          return DoReplace(c);
        else if constexpr (std::is_same_v<T, MemberCreate>)
          return DoMemberCreate(c);
        else if constexpr (std::is_same_v<T, MemberSetStatus>)
          return DoMemberSetStatus(c);
        else if constexpr (std::is_same_v<T, MemberKill>)
          return DoKill(c);
        else if constexpr (std::is_same_v<T, InstrumentCreate>)
          return DoInstrumentCreate(c);
        else if constexpr (std::is_same_v<T, InstrumentSetStatus>)
          return DoInstrumentSetStatus(c);
        else if constexpr (std::is_same_v<T, AttestationRegister>)
          return DoAttestationRegister(c);
        else if constexpr (std::is_same_v<T, AttestationRevoke>)
          return DoRevoke(c);
        else if constexpr (std::is_same_v<T, ProgramCreate>)
          return DoProgramCreate(c);
        else if constexpr (std::is_same_v<T, Enrol>)
          return DoEnrol(c);
        else if constexpr (std::is_same_v<T, ClaimSettle>)
          return DoSettle(c);
        else
          return DoTick();
      },
      command.body);
  return out;
}

}  // namespace corpex::ref
