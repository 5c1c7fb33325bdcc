// JSON of negotiated deals: RFQs, quotes and the deal's execution reports
// (docs/PROTOCOL.md "Negotiated deals").
#include "gateway/protocol/wire_encode.h"

namespace corpex::gw {
namespace {

template <typename V>
std::string_view NameIn(const V& v, uint32_t id, std::string_view (*get)(const typename V::value_type&)) {
  return id < v.size() ? get(v[id]) : std::string_view();
}
std::string_view SymbolOf(const Instrument& i) { return i.symbol; }
std::string_view MemberOf(const Member& m) { return m.member; }
std::string_view AttestationOf(const Attestation& a) { return a.attestation; }
std::string_view ProgramOf(const Program& p) { return p.program; }

}  // namespace

void ConsiderationFields(JsonOut& j, Consideration c, const Equity& e) {
  if (c != Consideration::kEquity) return;
  j.Key("consideration").Begin().KStr("type", "equity").KStr("company", e.company_view());
  j.KInt("shares", e.shares).KInt("valuation_fen", e.valuation).End();
}

void RfqObject(JsonOut& j, const Engine& e, const RfqView& r, bool for_buyer) {
  j.Begin().KUInt("rfq_id", r.id).KStr("instrument", NameIn(e.instruments(), r.instrument, SymbolOf));
  j.KInt("qty", r.qty.v).KInt("expire_at", ToMillis(r.expire_at)).KStr("status", to_string(r.status));
  if (for_buyer) {
    j.KStr("buyer", NameIn(e.members(), r.buyer, MemberOf));
    if (r.voucher != kNone) j.KStr("voucher", NameIn(e.programs(), r.voucher, ProgramOf));
  }
  j.End();
}

void QuoteObject(JsonOut& j, const Engine& e, const QuoteView& q) {
  j.Begin().KUInt("quote_id", q.id).KUInt("rfq_id", q.rfq_id);
  j.KStr("instrument", NameIn(e.instruments(), q.instrument, SymbolOf));
  j.KStr("seller", NameIn(e.members(), q.seller, MemberOf)).KInt("price", q.price.v).KInt("qty", q.qty.v);
  j.KStr("attestation", NameIn(e.attestations(), q.attestation, AttestationOf));
  j.KInt("valid_until", ToMillis(q.valid_until)).KStr("status", to_string(q.status));
  ConsiderationFields(j, q.consideration, q.equity);
  j.End();
}

std::string RfqEvent(const Engine& e, const RfqView& r, bool for_buyer) {
  JsonOut j;
  j.Begin().KStr("event", "rfq").Key("rfq");
  RfqObject(j, e, r, for_buyer);
  j.End();
  return j.Take();
}

std::string QuoteEvent(const Engine& e, const QuoteView& q) {
  JsonOut j;
  j.Begin().KStr("event", "quote").Key("quote");
  QuoteObject(j, e, q);
  j.End();
  return j.Take();
}

std::string DealFillEvent(const Engine& e, const Trade& t, Side side, const QuoteView& accepted) {
  JsonOut j;
  j.Begin().KStr("event", "execution").KStr("venue", "negotiated");
  FillFields(j, e, t, side);
  j.KUInt("rfq_id", accepted.rfq_id).KUInt("quote_id", accepted.id).KStr("status", "filled");
  ConsiderationFields(j, accepted.consideration, accepted.equity);
  j.End();
  return j.Take();
}

}  // namespace corpex::gw
