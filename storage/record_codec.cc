// Encodings of the owned records (codec.h): trades, ledgers, claims, programs.
#include "storage/codec.h"
#include "storage/wire.h"

namespace corpex {
namespace {

using wire::ByteReader;
using wire::ByteWriter;

Status Corrupt(const char* what) {
  return Status(ErrorCode::kCorruption, std::string("corrupt ") + what + " record");
}

// Reads the version byte; false when it is not ours.
bool Version(ByteReader& r) { return r.u8() == kRecordCodecVersion && r.ok(); }

std::string Str16(ByteReader& r) { return std::string(r.str16()); }

}  // namespace

// Trades: version 2 adds the consideration after net_cost; 1 is still read.
constexpr uint8_t kTradeCodecVersion = 2;

void EncodeTrade(const TradeRecord& t, std::string* out) {
  ByteWriter w(out);
  w.u8(kTradeCodecVersion);
  w.u64(t.id);
  w.i64(t.ts);
  w.str16(t.instrument);
  w.i64(t.price.v);
  w.i64(t.qty.v);
  w.i64(t.notional.v);
  w.u8(static_cast<uint8_t>(t.aggressor));
  w.u64(t.buy_order);
  w.u64(t.sell_order);
  w.str16(t.buyer);
  w.str16(t.seller);
  w.boolean(t.affiliated);
  w.str16(t.attestation);
  w.str16(t.dataset);
  w.str16(t.voucher_program);
  w.i64(t.voucher_offset.v);
  w.i64(t.net_cost.v);
  w.u8(static_cast<uint8_t>(t.consideration));
  w.str16(t.company);
  w.i64(t.shares);
  w.str16(t.prev_hash);
  w.str16(t.hash);
}

Status DecodeTrade(std::string_view in, TradeRecord* t) {
  ByteReader r(in);
  const uint8_t version = r.u8();
  if (!r.ok() || (version != 1 && version != kTradeCodecVersion)) return Corrupt("trade");
  t->id = r.u64();
  t->ts = r.i64();
  t->instrument = Str16(r);
  t->price = Price(r.i64());
  t->qty = Qty(r.i64());
  t->notional = Fen(r.i64());
  uint8_t aggressor = r.u8();
  if (aggressor > 1) r.fail();
  t->aggressor = static_cast<Side>(aggressor);
  t->buy_order = r.u64();
  t->sell_order = r.u64();
  t->buyer = Str16(r);
  t->seller = Str16(r);
  t->affiliated = r.boolean();
  t->attestation = Str16(r);
  t->dataset = Str16(r);
  t->voucher_program = Str16(r);
  t->voucher_offset = Fen(r.i64());
  t->net_cost = Fen(r.i64());
  t->consideration = Consideration::kCash;
  t->company.clear();
  t->shares = 0;
  if (version >= 2) {
    const uint8_t c = r.u8();
    if (c > static_cast<uint8_t>(Consideration::kEquity)) r.fail();
    t->consideration = static_cast<Consideration>(c);
    t->company = Str16(r);
    t->shares = r.i64();
  }
  t->prev_hash = Str16(r);
  t->hash = Str16(r);
  return r.done() ? Status::Ok() : Corrupt("trade");
}

void EncodeLedger(const LedgerRecord& l, std::string* out) {
  ByteWriter w(out);
  w.u8(kRecordCodecVersion);
  w.str16(l.program);
  w.str16(l.member);
  w.i64(l.reserved.v);
  w.i64(l.approved.v);
  w.i64(l.paid.v);
  w.i64(l.rejected.v);
}

Status DecodeLedger(std::string_view in, LedgerRecord* l) {
  ByteReader r(in);
  if (!Version(r)) return Corrupt("ledger");
  l->program = Str16(r);
  l->member = Str16(r);
  l->reserved = Fen(r.i64());
  l->approved = Fen(r.i64());
  l->paid = Fen(r.i64());
  l->rejected = Fen(r.i64());
  return r.done() ? Status::Ok() : Corrupt("ledger");
}

void EncodeClaim(const ClaimRecord& c, std::string* out) {
  ByteWriter w(out);
  w.u8(kRecordCodecVersion);
  w.u64(c.trade_id);
  w.str16(c.program);
  w.str16(c.member);
  w.i64(c.amount.v);
  w.u8(static_cast<uint8_t>(c.status));
  w.i64(c.ts);
}

Status DecodeClaim(std::string_view in, ClaimRecord* c) {
  ByteReader r(in);
  if (!Version(r)) return Corrupt("claim");
  c->trade_id = r.u64();
  c->program = Str16(r);
  c->member = Str16(r);
  c->amount = Fen(r.i64());
  uint8_t status = r.u8();
  if (status > static_cast<uint8_t>(ClaimStatus::kRejected)) r.fail();
  c->status = static_cast<ClaimStatus>(status);
  c->ts = r.i64();
  return r.done() ? Status::Ok() : Corrupt("claim");
}

void EncodeDeliveryEvent(const DeliveryEventRecord& d, std::string* out) {
  ByteWriter w(out);
  w.u8(kRecordCodecVersion);
  w.u64(d.trade_id);
  w.u64(d.seq);
  w.i64(d.ts);
  w.u8(static_cast<uint8_t>(d.state));
  w.str16(d.by);
  w.str16(d.access_ref);
  w.str16(d.dataset);
  w.i64(d.access_from);
  w.i64(d.access_until);
  w.str16(d.text);
}

Status DecodeDeliveryEvent(std::string_view in, DeliveryEventRecord* d) {
  ByteReader r(in);
  if (!Version(r)) return Corrupt("delivery");
  d->trade_id = r.u64();
  d->seq = r.u64();
  d->ts = r.i64();
  uint8_t state = r.u8();
  if (state > static_cast<uint8_t>(DeliveryState::kFailed)) r.fail();
  d->state = static_cast<DeliveryState>(state);
  d->by = Str16(r);
  d->access_ref = Str16(r);
  d->dataset = Str16(r);
  d->access_from = r.i64();
  d->access_until = r.i64();
  d->text = Str16(r);
  return r.done() ? Status::Ok() : Corrupt("delivery");
}

void EncodeProgram(const ProgramRecord& p, std::string* out) {
  ByteWriter w(out);
  w.u8(kRecordCodecVersion);
  w.str16(p.program);
  w.i32(p.rate_bps);
  w.i64(p.member_cap.v);
  w.i64(p.budget.v);
  w.i64(p.budget_left.v);
  w.i32(p.year);
  w.u16(static_cast<uint16_t>(p.domains.size()));
  for (const std::string& d : p.domains) w.str16(d);
}

Status DecodeProgram(std::string_view in, ProgramRecord* p) {
  ByteReader r(in);
  if (!Version(r)) return Corrupt("program");
  p->program = Str16(r);
  p->rate_bps = r.i32();
  p->member_cap = Fen(r.i64());
  p->budget = Fen(r.i64());
  p->budget_left = Fen(r.i64());
  p->year = r.i32();
  uint16_t n = r.u16();
  p->domains.clear();
  for (uint16_t i = 0; i < n && r.ok(); ++i) p->domains.push_back(Str16(r));
  return r.done() ? Status::Ok() : Corrupt("program");
}

}  // namespace corpex
