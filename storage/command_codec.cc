// The journal encoding of a Command (codec.h): version, kind, ts, then the
// body's fields in declaration order.
#include <cstring>
#include <type_traits>

#include "storage/codec.h"
#include "storage/wire.h"

namespace corpex {
namespace {

using wire::ByteReader;
using wire::ByteWriter;

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

template <size_t N>
void Put(ByteWriter& w, const FixedStr<N>& s) {
  w.str8(s.view());
}
template <size_t N>
void Get(ByteReader& r, FixedStr<N>* s) {
  std::string_view v = r.str8();
  if (!r.ok() || v.size() > N) {
    r.fail();
    return;
  }
  // An empty view may carry a null data(); FixedStr::assign memcpy's from it.
  s->assign(v.empty() ? std::string_view("") : v);
}

// Enums are one byte; a value above `max` marks the input corrupt.
template <typename E>
void PutEnum(ByteWriter& w, E e) {
  w.u8(static_cast<uint8_t>(e));
}
template <typename E>
void GetEnum(ByteReader& r, E* e, E max) {
  uint8_t v = r.u8();
  if (v > static_cast<uint8_t>(max)) r.fail();
  *e = static_cast<E>(v);
}

void EncodeBody(ByteWriter& w, const NewOrder& c) {
  Put(w, c.member);
  Put(w, c.instrument);
  PutEnum(w, c.side);
  PutEnum(w, c.tif);
  w.i64(c.qty.v);
  w.i64(c.price.v);
  w.i64(c.min_qty.v);
  w.i64(c.expire_at);
  Put(w, c.client_order_id);
  Put(w, c.attestation);
  Put(w, c.voucher);
}
void DecodeBody(ByteReader& r, NewOrder* c) {
  Get(r, &c->member);
  Get(r, &c->instrument);
  GetEnum(r, &c->side, Side::kSell);
  GetEnum(r, &c->tif, Tif::kFok);
  c->qty = Qty(r.i64());
  c->price = Price(r.i64());
  c->min_qty = Qty(r.i64());
  c->expire_at = r.i64();
  Get(r, &c->client_order_id);
  Get(r, &c->attestation);
  Get(r, &c->voucher);
}

void EncodeBody(ByteWriter& w, const CancelOrder& c) {
  Put(w, c.member);
  w.u64(c.order_id);
  Put(w, c.client_order_id);
  PutEnum(w, c.reason);
}
void DecodeBody(ByteReader& r, CancelOrder* c) {
  Get(r, &c->member);
  c->order_id = r.u64();
  Get(r, &c->client_order_id);
  GetEnum(r, &c->reason, Reason::kGtdExpired);
}

void EncodeBody(ByteWriter& w, const ReplaceOrder& c) {
  Put(w, c.member);
  w.u64(c.order_id);
  w.i64(c.qty.v);
  w.i64(c.price.v);
}
void DecodeBody(ByteReader& r, ReplaceOrder* c) {
  Get(r, &c->member);
  c->order_id = r.u64();
  c->qty = Qty(r.i64());
  c->price = Price(r.i64());
}

void EncodeBody(ByteWriter& w, const MemberCreate& c) {
  Put(w, c.member);
  Put(w, c.name);
  Put(w, c.group);
  w.u8(c.roles);
  w.u8(c.tier);
}
void DecodeBody(ByteReader& r, MemberCreate* c) {
  Get(r, &c->member);
  Get(r, &c->name);
  Get(r, &c->group);
  c->roles = r.u8();
  c->tier = r.u8();
}

void EncodeBody(ByteWriter& w, const MemberSetStatus& c) {
  Put(w, c.member);
  w.boolean(c.suspend);
}
void DecodeBody(ByteReader& r, MemberSetStatus* c) {
  Get(r, &c->member);
  c->suspend = r.boolean();
}

void EncodeBody(ByteWriter& w, const MemberKill& c) { Put(w, c.member); }
void DecodeBody(ByteReader& r, MemberKill* c) { Get(r, &c->member); }

void EncodeBody(ByteWriter& w, const InstrumentCreate& c) {
  Put(w, c.symbol);
  Put(w, c.domain);
  Put(w, c.language);
  PutEnum(w, c.modality);
  PutEnum(w, c.licence);
  w.i32(c.term_months);
  w.u8(c.tier);
  PutEnum(w, c.unit);
  w.i64(c.tick.v);
  w.i64(c.lot.v);
}
void DecodeBody(ByteReader& r, InstrumentCreate* c) {
  Get(r, &c->symbol);
  Get(r, &c->domain);
  Get(r, &c->language);
  GetEnum(r, &c->modality, Modality::kMultimodal);
  GetEnum(r, &c->licence, Licence::kCommercial);
  c->term_months = r.i32();
  c->tier = r.u8();
  GetEnum(r, &c->unit, Unit::kRecord);
  c->tick = Price(r.i64());
  c->lot = Qty(r.i64());
}

void EncodeBody(ByteWriter& w, const InstrumentSetStatus& c) {
  Put(w, c.symbol);
  w.boolean(c.halt);
}
void DecodeBody(ByteReader& r, InstrumentSetStatus* c) {
  Get(r, &c->symbol);
  c->halt = r.boolean();
}

void EncodeBody(ByteWriter& w, const AttestationRegister& c) {
  Put(w, c.attestation);
  Put(w, c.member);
  Put(w, c.dataset);
  Put(w, c.assessor);
  w.u8(c.licences);
  w.u8(c.tier);
  w.i64(c.issued_at);
  w.i64(c.expires_at);
}
void DecodeBody(ByteReader& r, AttestationRegister* c) {
  Get(r, &c->attestation);
  Get(r, &c->member);
  Get(r, &c->dataset);
  Get(r, &c->assessor);
  c->licences = r.u8();
  c->tier = r.u8();
  c->issued_at = r.i64();
  c->expires_at = r.i64();
}

void EncodeBody(ByteWriter& w, const AttestationRevoke& c) {
  Put(w, c.attestation);
  Put(w, c.reason);
}
void DecodeBody(ByteReader& r, AttestationRevoke* c) {
  Get(r, &c->attestation);
  Get(r, &c->reason);
}

void EncodeBody(ByteWriter& w, const ProgramCreate& c) {
  Put(w, c.program);
  w.i32(c.rate_bps);
  w.i64(c.member_cap.v);
  w.i64(c.budget.v);
  w.i32(c.year);
  uint8_t n = c.domain_count <= kMaxProgramDomains ? c.domain_count : kMaxProgramDomains;
  w.u8(n);
  for (uint8_t i = 0; i < n; ++i) Put(w, c.domains[i]);
  w.boolean(c.delivery_required);  // since version 2
}
void DecodeBody(ByteReader& r, ProgramCreate* c) {
  Get(r, &c->program);
  c->rate_bps = r.i32();
  c->member_cap = Fen(r.i64());
  c->budget = Fen(r.i64());
  c->year = r.i32();
  c->domain_count = r.u8();
  if (c->domain_count > kMaxProgramDomains) {
    r.fail();
    return;
  }
  for (uint8_t i = 0; i < c->domain_count; ++i) Get(r, &c->domains[i]);
}

void EncodeBody(ByteWriter& w, const Enrol& c) {
  Put(w, c.program);
  Put(w, c.member);
}
void DecodeBody(ByteReader& r, Enrol* c) {
  Get(r, &c->program);
  Get(r, &c->member);
}

void EncodeBody(ByteWriter& w, const ClaimSettle& c) {
  w.u64(c.trade_id);
  PutEnum(w, c.status);
}
void DecodeBody(ByteReader& r, ClaimSettle* c) {
  c->trade_id = r.u64();
  GetEnum(r, &c->status, ClaimStatus::kRejected);
}

void EncodeBody(ByteWriter& w, const DeliveryGrant& c) {
  Put(w, c.member);
  w.u64(c.trade_id);
  Put(w, c.access_ref);
  Put(w, c.dataset);
  w.i64(c.access_from);
  w.i64(c.access_until);
}
void DecodeBody(ByteReader& r, DeliveryGrant* c) {
  Get(r, &c->member);
  c->trade_id = r.u64();
  Get(r, &c->access_ref);
  Get(r, &c->dataset);
  c->access_from = r.i64();
  c->access_until = r.i64();
}

void EncodeBody(ByteWriter& w, const DeliveryConfirm& c) {
  Put(w, c.member);
  w.u64(c.trade_id);
}
void DecodeBody(ByteReader& r, DeliveryConfirm* c) {
  Get(r, &c->member);
  c->trade_id = r.u64();
}

void EncodeBody(ByteWriter& w, const DeliveryDispute& c) {
  Put(w, c.member);
  w.u64(c.trade_id);
  Put(w, c.reason);
}
void DecodeBody(ByteReader& r, DeliveryDispute* c) {
  Get(r, &c->member);
  c->trade_id = r.u64();
  Get(r, &c->reason);
}

void EncodeBody(ByteWriter& w, const DeliveryResolve& c) {
  w.u64(c.trade_id);
  PutEnum(w, c.outcome);
  Put(w, c.note);
}
void DecodeBody(ByteReader& r, DeliveryResolve* c) {
  c->trade_id = r.u64();
  GetEnum(r, &c->outcome, DeliveryState::kFailed);
  Get(r, &c->note);
}

void EncodeBody(ByteWriter& w, const RfqNew& c) {
  Put(w, c.member);
  Put(w, c.instrument);
  w.i64(c.qty.v);
  Put(w, c.voucher);
  w.i64(c.expire_at);
}
void DecodeBody(ByteReader& r, RfqNew* c) {
  Get(r, &c->member);
  Get(r, &c->instrument);
  c->qty = Qty(r.i64());
  Get(r, &c->voucher);
  c->expire_at = r.i64();
}

void EncodeBody(ByteWriter& w, const RfqCancel& c) {
  Put(w, c.member);
  w.u64(c.rfq_id);
}
void DecodeBody(ByteReader& r, RfqCancel* c) {
  Get(r, &c->member);
  c->rfq_id = r.u64();
}

void EncodeBody(ByteWriter& w, const QuoteNew& c) {
  Put(w, c.member);
  w.u64(c.rfq_id);
  w.i64(c.price.v);
  Put(w, c.attestation);
  w.i64(c.valid_until);
  PutEnum(w, c.consideration);
  if (c.consideration == Consideration::kEquity) {
    w.str8(c.equity.company_view());
    w.i64(c.equity.shares);
    w.i64(c.equity.valuation);
  }
}
void DecodeBody(ByteReader& r, QuoteNew* c) {
  Get(r, &c->member);
  c->rfq_id = r.u64();
  c->price = Price(r.i64());
  Get(r, &c->attestation);
  c->valid_until = r.i64();
  GetEnum(r, &c->consideration, Consideration::kEquity);
  if (c->consideration == Consideration::kEquity) {
    std::string_view company = r.str8();
    if (company.size() != kUsccLen) return r.fail();
    std::memcpy(c->equity.company, company.data(), kUsccLen);
    c->equity.shares = r.i64();
    c->equity.valuation = r.i64();
  }
}

// quote.cancel and quote.accept: the member and the quote.
template <typename T>
void EncodeQuoteRef(ByteWriter& w, const T& c) {
  Put(w, c.member);
  w.u64(c.quote_id);
}
template <typename T>
void DecodeQuoteRef(ByteReader& r, T* c) {
  Get(r, &c->member);
  c->quote_id = r.u64();
}
void EncodeBody(ByteWriter& w, const QuoteCancel& c) { EncodeQuoteRef(w, c); }
void DecodeBody(ByteReader& r, QuoteCancel* c) { DecodeQuoteRef(r, c); }
void EncodeBody(ByteWriter& w, const QuoteAccept& c) { EncodeQuoteRef(w, c); }
void DecodeBody(ByteReader& r, QuoteAccept* c) { DecodeQuoteRef(r, c); }

void EncodeBody(ByteWriter&, const Tick&) {}
void DecodeBody(ByteReader&, Tick*) {}

template <typename T>
void DecodeAs(ByteReader& r, Command* out) {
  T body{};
  DecodeBody(r, &body);
  out->body = body;
}

}  // namespace

CommandKind KindOf(const Command& c) {
  return std::visit(
      Overloaded{
          [](const NewOrder&) { return CommandKind::kNewOrder; },
          [](const CancelOrder&) { return CommandKind::kCancelOrder; },
          [](const ReplaceOrder&) { return CommandKind::kReplaceOrder; },
          [](const MemberCreate&) { return CommandKind::kMemberCreate; },
          [](const MemberSetStatus&) { return CommandKind::kMemberSetStatus; },
          [](const MemberKill&) { return CommandKind::kMemberKill; },
          [](const InstrumentCreate&) { return CommandKind::kInstrumentCreate; },
          [](const InstrumentSetStatus&) { return CommandKind::kInstrumentSetStatus; },
          [](const AttestationRegister&) { return CommandKind::kAttestationRegister; },
          [](const AttestationRevoke&) { return CommandKind::kAttestationRevoke; },
          [](const ProgramCreate&) { return CommandKind::kProgramCreate; },
          [](const Enrol&) { return CommandKind::kEnrol; },
          [](const ClaimSettle&) { return CommandKind::kClaimSettle; },
          [](const Tick&) { return CommandKind::kTick; },
          [](const DeliveryGrant&) { return CommandKind::kDeliveryGrant; },
          [](const DeliveryConfirm&) { return CommandKind::kDeliveryConfirm; },
          [](const DeliveryDispute&) { return CommandKind::kDeliveryDispute; },
          [](const DeliveryResolve&) { return CommandKind::kDeliveryResolve; },
          [](const RfqNew&) { return CommandKind::kRfqNew; },
          [](const RfqCancel&) { return CommandKind::kRfqCancel; },
          [](const QuoteNew&) { return CommandKind::kQuoteNew; },
          [](const QuoteCancel&) { return CommandKind::kQuoteCancel; },
          [](const QuoteAccept&) { return CommandKind::kQuoteAccept; },
      },
      c.body);
}

void EncodeCommand(const Command& c, std::string* out) {
  ByteWriter w(out);
  w.u8(kCommandCodecVersion);
  w.u8(static_cast<uint8_t>(KindOf(c)));
  w.i64(c.ts);
  std::visit([&w](const auto& body) { EncodeBody(w, body); }, c.body);
}

Status DecodeCommand(std::string_view in, Command* out) {
  ByteReader r(in);
  uint8_t version = r.u8();
  if (r.ok() && version != 1 && version != kCommandCodecVersion) {
    return Status(ErrorCode::kCorruption,
                  "corrupt command: codec version " + std::to_string(version));
  }
  auto kind = static_cast<CommandKind>(r.u8());
  out->ts = r.i64();
  switch (kind) {
    case CommandKind::kNewOrder:
      DecodeAs<NewOrder>(r, out);
      break;
    case CommandKind::kCancelOrder:
      DecodeAs<CancelOrder>(r, out);
      break;
    case CommandKind::kReplaceOrder:
      DecodeAs<ReplaceOrder>(r, out);
      break;
    case CommandKind::kMemberCreate:
      DecodeAs<MemberCreate>(r, out);
      break;
    case CommandKind::kMemberSetStatus:
      DecodeAs<MemberSetStatus>(r, out);
      break;
    case CommandKind::kMemberKill:
      DecodeAs<MemberKill>(r, out);
      break;
    case CommandKind::kInstrumentCreate:
      DecodeAs<InstrumentCreate>(r, out);
      break;
    case CommandKind::kInstrumentSetStatus:
      DecodeAs<InstrumentSetStatus>(r, out);
      break;
    case CommandKind::kAttestationRegister:
      DecodeAs<AttestationRegister>(r, out);
      break;
    case CommandKind::kAttestationRevoke:
      DecodeAs<AttestationRevoke>(r, out);
      break;
    case CommandKind::kProgramCreate:
      DecodeAs<ProgramCreate>(r, out);
      if (version >= 2) std::get<ProgramCreate>(out->body).delivery_required = r.boolean();
      break;
    case CommandKind::kEnrol:
      DecodeAs<Enrol>(r, out);
      break;
    case CommandKind::kClaimSettle:
      DecodeAs<ClaimSettle>(r, out);
      break;
    case CommandKind::kTick:
      DecodeAs<Tick>(r, out);
      break;
    case CommandKind::kDeliveryGrant:
      DecodeAs<DeliveryGrant>(r, out);
      break;
    case CommandKind::kDeliveryConfirm:
      DecodeAs<DeliveryConfirm>(r, out);
      break;
    case CommandKind::kDeliveryDispute:
      DecodeAs<DeliveryDispute>(r, out);
      break;
    case CommandKind::kDeliveryResolve:
      DecodeAs<DeliveryResolve>(r, out);
      break;
    case CommandKind::kRfqNew:
      DecodeAs<RfqNew>(r, out);
      break;
    case CommandKind::kRfqCancel:
      DecodeAs<RfqCancel>(r, out);
      break;
    case CommandKind::kQuoteNew:
      DecodeAs<QuoteNew>(r, out);
      break;
    case CommandKind::kQuoteCancel:
      DecodeAs<QuoteCancel>(r, out);
      break;
    case CommandKind::kQuoteAccept:
      DecodeAs<QuoteAccept>(r, out);
      break;
    default:
      r.fail();
  }
  if (!r.done()) return Status(ErrorCode::kCorruption, "corrupt command encoding");
  return Status::Ok();
}

}  // namespace corpex
