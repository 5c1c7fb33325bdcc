// The op table: each op's decoder, echo and result encoder, side by side so
// they cannot drift apart (the echo of what a decoder accepted must give back
// the frame; tests/gateway/echo_check.h).
#include <array>
#include <cstring>

#include "gateway/protocol/op_table.h"
#include "gateway/protocol/wire_encode.h"

namespace corpex::gw {
namespace {

constexpr int64_t kMaxI64 = INT64_MAX;
constexpr int64_t kMaxMs = INT64_MAX / 1'000'000 - 1;  // ms that still fit in ns
constexpr int64_t kNsPerMs = 1'000'000;
constexpr uint8_t kMember = RoleBit(Role::kMember);
constexpr uint8_t kOperator = RoleBit(Role::kOperator);
constexpr uint8_t kRegulator = RoleBit(Role::kRegulator);

// An enumerated value, spelled exactly as SPEC does: no case folding, no
// trimming. `what` lists the spellings for the message.
template <typename E>
Status Enum(Params& p, std::string_view key, E* out, const char* what,
            ErrorCode code = ErrorCode::kBadRequest) {
  std::string_view s;
  Status st = p.View(key, 32, &s, true);
  if (!st.ok()) return p.Has(key) ? Status(code, st.message()) : st;  // given, but not a spelling
  if (!parse(s, out)) return Status(code, "\"" + std::string(key) + "\" must be " + what);
  return Status::Ok();
}

template <typename T>
T& Body(Request* r) {
  return r->command.body.emplace<T>();
}
template <typename T>
const T& Body(const Request& r) {
  return std::get<T>(r.command.body);
}

template <size_t N>
void OptStr(JsonOut& j, JsonKey k, const FixedStr<N>& s) {
  if (!s.empty()) j.KStr(k, s.view());
}
void OptStr(JsonOut& j, JsonKey k, const std::string& s) {
  if (!s.empty()) j.KStr(k, s);
}

// ---- member ops -------------------------------------------------------------

Status DecodeNewOrder(Params& p, Request* r) {
  NewOrder& o = Body<NewOrder>(r);
  int64_t qty = 0, price = 0, min_qty = 0, expire = 0;
  bool has_expire = false, has_min = false;
  CPX_TRY(p.Fixed("instrument", &o.instrument, true));
  CPX_TRY(Enum(p, "side", &o.side, "\"buy\" or \"sell\""));
  CPX_TRY(p.Int("qty", INT64_MIN, kMaxI64, &qty, true));
  CPX_TRY(p.Int("price", INT64_MIN, kMaxI64, &price, true));
  CPX_TRY(Enum(p, "tif", &o.tif, "\"GTC\", \"GTD\", \"IOC\" or \"FOK\"", ErrorCode::kInvalidTif));
  CPX_TRY(p.Fixed("client_order_id", &o.client_order_id, true));
  CPX_TRY(p.Int("expire_at", 0, kMaxMs, &expire, false, &has_expire));
  CPX_TRY(p.Int("min_qty", INT64_MIN, kMaxI64, &min_qty, false, &has_min));
  CPX_TRY(p.Fixed("attestation", &o.attestation, false));
  CPX_TRY(p.Fixed("voucher", &o.voucher, false));
  // The command's 0 means "no minimum", so a given min_qty must be one.
  if (has_min && min_qty <= 0) return Status(ErrorCode::kInvalidQty, "min_qty must be > 0 when given");
  o.qty = Qty(qty);
  o.price = Price(price);
  o.min_qty = Qty(min_qty);
  o.expire_at = has_expire ? expire * kNsPerMs : kNever;
  return Status::Ok();
}
void EchoNewOrder(const Request& r, JsonOut& j) {
  const NewOrder& o = Body<NewOrder>(r);
  j.KStr("instrument", o.instrument.view()).KStr("side", to_string(o.side));
  j.KInt("qty", o.qty.v).KInt("price", o.price.v).KStr("tif", to_string(o.tif));
  j.KStr("client_order_id", o.client_order_id.view());
  if (o.expire_at != kNever) j.KInt("expire_at", o.expire_at / kNsPerMs);
  if (o.min_qty.v != 0) j.KInt("min_qty", o.min_qty.v);
  OptStr(j, "attestation", o.attestation);
  OptStr(j, "voucher", o.voucher);
}

Status DecodeCancel(Params& p, Request* r) {
  CancelOrder& c = Body<CancelOrder>(r);
  int64_t id = 0;
  bool has_id = false;
  CPX_TRY(p.Int("order_id", 1, kMaxI64, &id, false, &has_id));
  CPX_TRY(p.Fixed("client_order_id", &c.client_order_id, false));
  if (has_id == !c.client_order_id.empty())
    return BadRequest("order.cancel takes \"order_id\" or \"client_order_id\", one of them");
  c.order_id = static_cast<OrderId>(id);
  return Status::Ok();
}
void EchoCancel(const Request& r, JsonOut& j) {
  const CancelOrder& c = Body<CancelOrder>(r);
  if (c.order_id != 0) j.KUInt("order_id", c.order_id);
  OptStr(j, "client_order_id", c.client_order_id);
}

Status DecodeReplace(Params& p, Request* r) {
  ReplaceOrder& o = Body<ReplaceOrder>(r);
  int64_t id = 0, qty = 0, price = 0;
  bool has_qty = false, has_price = false;
  CPX_TRY(p.Int("order_id", 1, kMaxI64, &id, true));
  CPX_TRY(p.Int("qty", INT64_MIN, kMaxI64, &qty, false, &has_qty));
  CPX_TRY(p.Int("price", INT64_MIN, kMaxI64, &price, false, &has_price));
  if (!has_qty && !has_price) return BadRequest("order.replace needs \"qty\" and/or \"price\"");
  // 0 means "leave it" to the engine, so an explicit 0 or less is invalid here.
  if (has_qty && qty <= 0) return Status(ErrorCode::kInvalidQty, "qty must be > 0");
  if (has_price && price <= 0) return Status(ErrorCode::kInvalidPrice, "price must be > 0");
  o.order_id = static_cast<OrderId>(id);
  o.qty = Qty(qty);
  o.price = Price(price);
  return Status::Ok();
}
void EchoReplace(const Request& r, JsonOut& j) {
  const ReplaceOrder& o = Body<ReplaceOrder>(r);
  j.KUInt("order_id", o.order_id);
  if (o.qty.v != 0) j.KInt("qty", o.qty.v);
  if (o.price.v != 0) j.KInt("price", o.price.v);
}

Status DecodeOrdersOpen(Params& p, Request* r) {
  return p.Str("instrument", kMaxNameLen, &r->query.instrument, false);
}
void EchoOrdersOpen(const Request& r, JsonOut& j) { OptStr(j, "instrument", r.query.instrument); }

// ---- any role -----------------------------------------------------------------

Status DecodeLogin(Params& p, Request* r) {
  LoginParams& l = r->login;
  bool cod = false, has_cod = false;
  CPX_TRY(p.Str("user", kMaxMemberLen, &l.user, true));
  CPX_TRY(p.Int("ts", 0, kMaxMs, &l.ts_ms, true));
  CPX_TRY(p.Str("nonce", 128, &l.nonce, true));
  CPX_TRY(p.Str("sig", 64, &l.sig, true));
  CPX_TRY(p.Bool("cancel_on_disconnect", &cod, &has_cod));
  if (has_cod) l.cancel_on_disconnect = cod;
  return Status::Ok();
}
void EchoLogin(const Request& r, JsonOut& j) {
  const LoginParams& l = r.login;
  j.KStr("user", l.user).KInt("ts", l.ts_ms).KStr("nonce", l.nonce).KStr("sig", l.sig);
  if (l.cancel_on_disconnect) j.KBool("cancel_on_disconnect", *l.cancel_on_disconnect);
}

Status DecodeNothing(Params&, Request*) { return Status::Ok(); }
void EchoNothing(const Request&, JsonOut&) {}

constexpr std::array<std::string_view, 3> kChannels = {"book", "trades", "executions"};

Status DecodeSubscribe(Params& p, Request* r) {
  QueryParams& q = r->query;
  std::string_view channel;
  CPX_TRY(p.View("channel", 16, &channel, true));
  size_t c = 0;
  while (c < kChannels.size() && kChannels[c] != channel) ++c;
  if (c == kChannels.size()) return BadRequest("\"channel\" must be \"book\", \"trades\" or \"executions\"");
  q.channel = static_cast<Channel>(c);
  if (q.channel == Channel::kExecutions) {
    // A member's executions are not per instrument: an instrument here is a
    // client's mistake worth telling, not a filter to ignore.
    if (p.Has("instrument")) return BadRequest("\"instrument\" is not taken by the executions channel");
    return Status::Ok();
  }
  return p.Str("instrument", kMaxNameLen, &q.instrument, true);
}
void EchoSubscribe(const Request& r, JsonOut& j) {
  j.KStr("channel", kChannels[static_cast<size_t>(r.query.channel)]);
  OptStr(j, "instrument", r.query.instrument);
}

Status DecodeTradesRecent(Params& p, Request* r) {
  QueryParams& q = r->query;
  int64_t limit = 0;
  bool has_limit = false;
  CPX_TRY(p.Str("instrument", kMaxNameLen, &q.instrument, false));
  CPX_TRY(p.Int("limit", 1, kRecentTrades, &limit, false, &has_limit));
  if (has_limit) q.limit = limit;
  return Status::Ok();
}
void EchoTradesRecent(const Request& r, JsonOut& j) {
  OptStr(j, "instrument", r.query.instrument);
  if (r.query.limit) j.KInt("limit", *r.query.limit);
}

// ---- operator ops ---------------------------------------------------------------

Status DecodeMemberCreate(Params& p, Request* r) {
  MemberCreate& m = Body<MemberCreate>(r);
  std::vector<std::string> roles;
  int64_t tier = 0;
  CPX_TRY(p.Fixed("member", &m.member, true));
  CPX_TRY(p.Fixed("name", &m.name, true));
  CPX_TRY(p.Fixed("group", &m.group, true));
  CPX_TRY(p.StrList("roles", 2, 16, &roles, true));
  CPX_TRY(p.Int("tier", 1, 4, &tier, true));
  for (const std::string& role : roles) {
    if (role == "buyer") m.roles |= kRoleBuyer;
    else if (role == "seller") m.roles |= kRoleSeller;
    else return BadRequest("\"roles\" are \"buyer\" and/or \"seller\"");
  }
  m.tier = static_cast<uint8_t>(tier);
  return Status::Ok();
}
void EchoMemberCreate(const Request& r, JsonOut& j) {
  const MemberCreate& m = Body<MemberCreate>(r);
  j.KStr("member", m.member.view()).KStr("name", m.name.view()).KStr("group", m.group.view());
  j.Key("roles").BeginArr();
  if (m.roles & kRoleBuyer) j.Str("buyer");
  if (m.roles & kRoleSeller) j.Str("seller");
  j.EndArr().KInt("tier", m.tier);
}

template <bool kSuspend>
Status DecodeMemberStatus(Params& p, Request* r) {
  MemberSetStatus& m = Body<MemberSetStatus>(r);
  m.suspend = kSuspend;
  return p.Fixed("member", &m.member, true);
}
void EchoMemberStatus(const Request& r, JsonOut& j) {
  j.KStr("member", Body<MemberSetStatus>(r).member.view());
}

Status DecodeMemberKill(Params& p, Request* r) {
  return p.Fixed("member", &Body<MemberKill>(r).member, true);
}
void EchoMemberKill(const Request& r, JsonOut& j) { j.KStr("member", Body<MemberKill>(r).member.view()); }

Status DecodeInstrumentCreate(Params& p, Request* r) {
  InstrumentCreate& c = Body<InstrumentCreate>(r);
  int64_t term = 0, tier = 0, tick = 0, lot = 0;
  CPX_TRY(p.Fixed("symbol", &c.symbol, true));
  CPX_TRY(p.Fixed("domain", &c.domain, true));
  CPX_TRY(p.Fixed("language", &c.language, true));
  CPX_TRY(Enum(p, "modality", &c.modality, "\"text\", \"speech\", \"image\", \"video\" or \"multimodal\""));
  CPX_TRY(Enum(p, "licence", &c.licence, "\"training\", \"finetune\", \"evaluation\" or \"commercial\""));
  CPX_TRY(p.Int("term_months", 1, 1200, &term, true));
  CPX_TRY(p.Int("tier", 1, 4, &tier, true));
  CPX_TRY(Enum(p, "unit", &c.unit, "\"mtok\", \"hour\", \"image\" or \"record\""));
  CPX_TRY(p.Int("tick", 1, kMaxI64, &tick, true));
  CPX_TRY(p.Int("lot", 1, kMaxI64, &lot, true));
  c.term_months = static_cast<int32_t>(term);
  c.tier = static_cast<uint8_t>(tier);
  c.tick = Price(tick);
  c.lot = Qty(lot);
  return Status::Ok();
}
void EchoInstrumentCreate(const Request& r, JsonOut& j) {
  const InstrumentCreate& c = Body<InstrumentCreate>(r);
  j.KStr("symbol", c.symbol.view()).KStr("domain", c.domain.view()).KStr("language", c.language.view());
  j.KStr("modality", to_string(c.modality)).KStr("licence", to_string(c.licence));
  j.KInt("term_months", c.term_months).KInt("tier", c.tier).KStr("unit", to_string(c.unit));
  j.KInt("tick", c.tick.v).KInt("lot", c.lot.v);
}

template <bool kHalt>
Status DecodeInstrumentStatus(Params& p, Request* r) {
  InstrumentSetStatus& s = Body<InstrumentSetStatus>(r);
  s.halt = kHalt;
  return p.Fixed("symbol", &s.symbol, true);
}
void EchoInstrumentStatus(const Request& r, JsonOut& j) {
  j.KStr("symbol", Body<InstrumentSetStatus>(r).symbol.view());
}

Status DecodeAttestation(Params& p, Request* r) {
  AttestationRegister& a = Body<AttestationRegister>(r);
  std::vector<std::string> licences;
  int64_t tier = 0, issued = 0, expires = 0;
  CPX_TRY(p.Fixed("attestation", &a.attestation, true));
  CPX_TRY(p.Fixed("member", &a.member, true));
  CPX_TRY(p.Fixed("dataset", &a.dataset, true));
  CPX_TRY(p.Fixed("assessor", &a.assessor, true));
  CPX_TRY(p.StrList("licences", 4, 16, &licences, true));
  CPX_TRY(p.Int("tier", 1, 4, &tier, true));
  CPX_TRY(p.Int("issued_at", 0, kMaxMs, &issued, true));
  CPX_TRY(p.Int("expires_at", 0, kMaxMs, &expires, true));
  for (const std::string& l : licences) {
    Licence lic;
    if (!parse(l, &lic)) return BadRequest("unknown licence \"" + l + "\" in \"licences\"");
    a.licences |= static_cast<uint8_t>(1u << static_cast<unsigned>(lic));
  }
  a.tier = static_cast<uint8_t>(tier);
  a.issued_at = issued * kNsPerMs;
  a.expires_at = expires * kNsPerMs;
  return Status::Ok();
}
void EchoAttestation(const Request& r, JsonOut& j) {
  const AttestationRegister& a = Body<AttestationRegister>(r);
  j.KStr("attestation", a.attestation.view()).KStr("member", a.member.view());
  j.KStr("dataset", a.dataset.view()).KStr("assessor", a.assessor.view());
  j.Key("licences").BeginArr();
  for (unsigned l = 0; l < 8; ++l)
    if (a.licences & (1u << l)) j.Str(to_string(static_cast<Licence>(l)));
  j.EndArr().KInt("tier", a.tier);
  j.KInt("issued_at", a.issued_at / kNsPerMs).KInt("expires_at", a.expires_at / kNsPerMs);
}

Status DecodeRevoke(Params& p, Request* r) {
  AttestationRevoke& a = Body<AttestationRevoke>(r);
  CPX_TRY(p.Fixed("attestation", &a.attestation, true));
  return p.Fixed("reason", &a.reason, false);
}
void EchoRevoke(const Request& r, JsonOut& j) {
  const AttestationRevoke& a = Body<AttestationRevoke>(r);
  j.KStr("attestation", a.attestation.view());
  OptStr(j, "reason", a.reason);
}

Status DecodeProgram(Params& p, Request* r) {
  ProgramCreate& c = Body<ProgramCreate>(r);
  std::vector<std::string> domains;
  int64_t rate = 0, cap = 0, budget = 0, year = 0;
  CPX_TRY(p.Fixed("program", &c.program, true));
  CPX_TRY(p.Int("rate_bps", 0, 10000, &rate, true));
  CPX_TRY(p.Int("member_cap", 0, kMaxI64, &cap, true));
  CPX_TRY(p.Int("budget", 0, kMaxI64, &budget, true));
  CPX_TRY(p.Int("year", 1970, 9999, &year, true));
  CPX_TRY(p.StrList("domains", kMaxProgramDomains, DomainName::capacity(), &domains, false));
  CPX_TRY(p.Bool("delivery_required", &c.delivery_required, &r->flag_given));
  c.rate_bps = static_cast<int32_t>(rate);
  c.member_cap = Fen(cap);
  c.budget = Fen(budget);
  c.year = static_cast<int32_t>(year);
  for (const std::string& d : domains) c.domains[c.domain_count++].assign(d);
  return Status::Ok();
}
void EchoProgram(const Request& r, JsonOut& j) {
  const ProgramCreate& c = Body<ProgramCreate>(r);
  j.KStr("program", c.program.view()).KInt("rate_bps", c.rate_bps);
  j.KInt("member_cap", c.member_cap.v).KInt("budget", c.budget.v).KInt("year", c.year);
  if (r.flag_given) j.KBool("delivery_required", c.delivery_required);
  if (c.domain_count == 0) return;
  j.Key("domains").BeginArr();
  for (size_t i = 0; i < c.domain_count; ++i) j.Str(c.domains[i].view());
  j.EndArr();
}

Status DecodeEnrol(Params& p, Request* r) {
  Enrol& e = Body<Enrol>(r);
  CPX_TRY(p.Fixed("program", &e.program, true));
  return p.Fixed("member", &e.member, true);
}
void EchoEnrol(const Request& r, JsonOut& j) {
  const Enrol& e = Body<Enrol>(r);
  j.KStr("program", e.program.view()).KStr("member", e.member.view());
}

Status DecodeSettle(Params& p, Request* r) {
  ClaimSettle& c = Body<ClaimSettle>(r);
  int64_t id = 0;
  CPX_TRY(p.Int("trade_id", 1, kMaxI64, &id, true));
  CPX_TRY(Enum(p, "status", &c.status, "\"approved\", \"paid\" or \"rejected\""));
  if (c.status == ClaimStatus::kReserved)
    return BadRequest("\"status\" must be \"approved\", \"paid\" or \"rejected\"");
  c.trade_id = static_cast<TradeId>(id);
  return Status::Ok();
}
void EchoSettle(const Request& r, JsonOut& j) {
  const ClaimSettle& c = Body<ClaimSettle>(r);
  j.KUInt("trade_id", c.trade_id).KStr("status", to_string(c.status));
}

// ---- deliveries (docs/PROTOCOL.md) --------------------------------------------------

// A required positive id: trade_id, rfq_id, quote_id.
Status IdParam(Params& p, std::string_view key, uint64_t* out) {
  int64_t id = 0;
  CPX_TRY(p.Int(key, 1, kMaxI64, &id, true));
  *out = static_cast<uint64_t>(id);
  return Status::Ok();
}

Status DecodeGrant(Params& p, Request* r) {
  DeliveryGrant& g = Body<DeliveryGrant>(r);
  int64_t from = 0, until = 0;
  CPX_TRY(IdParam(p, "trade_id", &g.trade_id));
  CPX_TRY(p.Fixed("access_ref", &g.access_ref, true));
  CPX_TRY(p.Fixed("dataset", &g.dataset, true));
  CPX_TRY(p.Int("access_from", 0, kMaxMs, &from, true));
  CPX_TRY(p.Int("access_until", 0, kMaxMs, &until, true));
  if (until <= from) return BadRequest("\"access_until\" must be after \"access_from\"");
  g.access_from = from * kNsPerMs;
  g.access_until = until * kNsPerMs;
  return Status::Ok();
}
void EchoGrant(const Request& r, JsonOut& j) {
  const DeliveryGrant& g = Body<DeliveryGrant>(r);
  j.KUInt("trade_id", g.trade_id).KStr("access_ref", g.access_ref.view()).KStr("dataset", g.dataset.view());
  j.KInt("access_from", g.access_from / kNsPerMs).KInt("access_until", g.access_until / kNsPerMs);
}

Status DecodeConfirm(Params& p, Request* r) { return IdParam(p, "trade_id", &Body<DeliveryConfirm>(r).trade_id); }
void EchoConfirm(const Request& r, JsonOut& j) { j.KUInt("trade_id", Body<DeliveryConfirm>(r).trade_id); }

Status DecodeDispute(Params& p, Request* r) {
  DeliveryDispute& d = Body<DeliveryDispute>(r);
  CPX_TRY(IdParam(p, "trade_id", &d.trade_id));
  return p.Fixed("reason", &d.reason, true);
}
void EchoDispute(const Request& r, JsonOut& j) {
  const DeliveryDispute& d = Body<DeliveryDispute>(r);
  j.KUInt("trade_id", d.trade_id).KStr("reason", d.reason.view());
}

Status DecodeResolve(Params& p, Request* r) {
  DeliveryResolve& d = Body<DeliveryResolve>(r);
  CPX_TRY(IdParam(p, "trade_id", &d.trade_id));
  CPX_TRY(Enum(p, "outcome", &d.outcome, "\"confirmed\" or \"failed\""));
  if (d.outcome != DeliveryState::kConfirmed && d.outcome != DeliveryState::kFailed)
    return BadRequest("\"outcome\" must be \"confirmed\" or \"failed\"");
  return p.Fixed("note", &d.note, false);
}
void EchoResolve(const Request& r, JsonOut& j) {
  const DeliveryResolve& d = Body<DeliveryResolve>(r);
  j.KUInt("trade_id", d.trade_id).KStr("outcome", to_string(d.outcome));
  OptStr(j, "note", d.note);
}

// deliveries (a member's own) and report.deliveries (any member's).
template <bool kAnyMember>
Status DecodeDeliveries(Params& p, Request* r) {
  QueryParams& q = r->query;
  int64_t limit = 0;
  bool has_limit = false;
  if (p.Has("state")) {
    DeliveryState s;
    CPX_TRY(Enum(p, "state", &s, "\"pending\", \"granted\", \"confirmed\", \"disputed\" or \"failed\""));
    q.delivery_state = s;
  }
  if (kAnyMember) CPX_TRY(p.Str("member", kMaxMemberLen, &q.member, false));
  CPX_TRY(p.Str("cursor", 256, &q.cursor, false));
  CPX_TRY(p.Int("limit", 1, 10'000, &limit, false, &has_limit));
  if (has_limit) q.limit = limit;
  return Status::Ok();
}
void EchoDeliveries(const Request& r, JsonOut& j) {
  const QueryParams& q = r.query;
  if (q.delivery_state) j.KStr("state", to_string(*q.delivery_state));
  OptStr(j, "member", q.member);
  OptStr(j, "cursor", q.cursor);
  if (q.limit) j.KInt("limit", *q.limit);
}

// ---- negotiated deals (docs/PROTOCOL.md) ---------------------------------------------

Status DecodeRfqNew(Params& p, Request* r) {
  RfqNew& q = Body<RfqNew>(r);
  int64_t qty = 0, expire = 0;
  CPX_TRY(p.Fixed("instrument", &q.instrument, true));
  CPX_TRY(p.Int("qty", INT64_MIN, kMaxI64, &qty, true));
  CPX_TRY(p.Fixed("voucher", &q.voucher, false));
  CPX_TRY(p.Int("expire_at", 0, kMaxMs, &expire, true));
  q.qty = Qty(qty);
  q.expire_at = expire * kNsPerMs;
  return Status::Ok();
}
void EchoRfqNew(const Request& r, JsonOut& j) {
  const RfqNew& q = Body<RfqNew>(r);
  j.KStr("instrument", q.instrument.view()).KInt("qty", q.qty.v);
  OptStr(j, "voucher", q.voucher);
  j.KInt("expire_at", q.expire_at / kNsPerMs);
}

Status DecodeRfqCancel(Params& p, Request* r) { return IdParam(p, "rfq_id", &Body<RfqCancel>(r).rfq_id); }
void EchoRfqCancel(const Request& r, JsonOut& j) { j.KUInt("rfq_id", Body<RfqCancel>(r).rfq_id); }

constexpr std::string_view kConsiderationKeys[] = {"type", "company", "shares", "valuation_fen"};

// {"type":"equity","company":USCC,"shares":n,"valuation_fen":n}: data for equity.
Status DecodeEquity(simdjson::dom::object o, QuoteNew* q) {
  Params p(o);
  std::string_view type, company;
  int64_t shares = 0, valuation = 0;
  CPX_TRY(p.Shape());
  CPX_TRY(p.Unknown(kConsiderationKeys));
  CPX_TRY(p.View("type", 16, &type, true));
  if (type != "equity") return BadRequest("\"type\" must be \"equity\" (cash is a price)");
  CPX_TRY(p.View("company", kUsccLen, &company, true));
  CPX_TRY(p.Int("shares", 1, kMaxI64, &shares, true));
  CPX_TRY(p.Int("valuation_fen", 1, kMaxI64, &valuation, true));
  if (company.size() != kUsccLen) return BadRequest("\"company\" must be an 18-character unified social credit code");
  q->consideration = Consideration::kEquity;
  std::memcpy(q->equity.company, company.data(), kUsccLen);
  q->equity.shares = shares;
  q->equity.valuation = valuation;
  return Status::Ok();
}

Status DecodeQuoteNew(Params& p, Request* r) {
  QuoteNew& q = Body<QuoteNew>(r);
  int64_t price = 0, until = 0;
  bool has_price = false, has_equity = false;
  simdjson::dom::object equity;
  CPX_TRY(IdParam(p, "rfq_id", &q.rfq_id));
  CPX_TRY(p.Int("price", INT64_MIN, kMaxI64, &price, false, &has_price));
  CPX_TRY(p.Fixed("attestation", &q.attestation, true));
  CPX_TRY(p.Int("valid_until", 0, kMaxMs, &until, true));
  CPX_TRY(p.Object("consideration", &equity, false, &has_equity));
  if (has_price == has_equity) return BadRequest("quote.new takes \"price\" (cash) or \"consideration\" (equity), one of them");
  if (has_equity) {
    Status st = DecodeEquity(equity, &q);
    if (!st.ok()) return BadRequest("consideration: " + st.message());
  }
  q.price = Price(price);
  q.valid_until = until * kNsPerMs;
  return Status::Ok();
}
void EchoQuoteNew(const Request& r, JsonOut& j) {
  const QuoteNew& q = Body<QuoteNew>(r);
  j.KUInt("rfq_id", q.rfq_id);
  if (q.consideration == Consideration::kCash) j.KInt("price", q.price.v);
  j.KStr("attestation", q.attestation.view()).KInt("valid_until", q.valid_until / kNsPerMs);
  if (q.consideration != Consideration::kEquity) return;
  j.Key("consideration").Begin().KStr("type", "equity").KStr("company", q.equity.company_view());
  j.KInt("shares", q.equity.shares).KInt("valuation_fen", q.equity.valuation).End();
}

template <typename T>
Status DecodeQuoteRef(Params& p, Request* r) {
  return IdParam(p, "quote_id", &Body<T>(r).quote_id);
}
template <typename T>
void EchoQuoteRef(const Request& r, JsonOut& j) {
  j.KUInt("quote_id", Body<T>(r).quote_id);
}

// ---- regulator (and operator) reads -----------------------------------------------

Status DecodeReportTrades(Params& p, Request* r) {
  QueryParams& q = r->query;
  int64_t limit = 0;
  bool has_limit = false;
  CPX_TRY(p.Int("from", INT64_MIN / 2, kMaxMs, &q.from_ms, true));
  CPX_TRY(p.Int("to", INT64_MIN / 2, kMaxMs, &q.to_ms, true));
  CPX_TRY(p.Str("member", kMaxMemberLen, &q.member, false));
  CPX_TRY(p.Str("instrument", kMaxNameLen, &q.instrument, false));
  CPX_TRY(p.Str("cursor", 256, &q.cursor, false));
  CPX_TRY(p.Int("limit", 1, 10'000, &limit, false, &has_limit));
  if (has_limit) q.limit = limit;
  return Status::Ok();
}
void EchoReportTrades(const Request& r, JsonOut& j) {
  const QueryParams& q = r.query;
  j.KInt("from", q.from_ms).KInt("to", q.to_ms);
  OptStr(j, "member", q.member);
  OptStr(j, "instrument", q.instrument);
  OptStr(j, "cursor", q.cursor);
  if (q.limit) j.KInt("limit", *q.limit);
}

Status DecodeReportVouchers(Params& p, Request* r) {
  return p.Str("program", kMaxNameLen, &r->query.program, true);
}
void EchoReportVouchers(const Request& r, JsonOut& j) { j.KStr("program", r.query.program); }

Status DecodeReportClaims(Params& p, Request* r) {
  QueryParams& q = r->query;
  CPX_TRY(p.Str("program", kMaxNameLen, &q.program, true));
  if (!p.Has("status")) return Status::Ok();
  ClaimStatus s;
  CPX_TRY(Enum(p, "status", &s, "\"reserved\", \"approved\", \"paid\" or \"rejected\""));
  q.status = s;
  return Status::Ok();
}
void EchoReportClaims(const Request& r, JsonOut& j) {
  j.KStr("program", r.query.program);
  if (r.query.status) j.KStr("status", to_string(*r.query.status));
}

// The parameters of each op (OpSpec::params).
constexpr std::string_view kLoginKeys[] = {"user", "ts", "nonce", "sig", "cancel_on_disconnect"};
constexpr std::span<const std::string_view> kNoKeys;
constexpr std::string_view kOrderNewKeys[] = {"instrument", "side", "qty", "price", "tif", "client_order_id", "expire_at", "min_qty", "attestation", "voucher"};
constexpr std::string_view kOrderCancelKeys[] = {"order_id", "client_order_id"};
constexpr std::string_view kOrderReplaceKeys[] = {"order_id", "qty", "price"};
constexpr std::string_view kOrdersOpenKeys[] = {"instrument"};
constexpr std::string_view kSubscribeKeys[] = {"channel", "instrument"};
constexpr std::string_view kMemberCreateKeys[] = {"member", "name", "group", "roles", "tier"};
constexpr std::string_view kMemberKeys[] = {"member"};
constexpr std::string_view kInstrumentCreateKeys[] = {"symbol", "domain", "language", "modality", "licence", "term_months", "tier", "unit", "tick", "lot"};
constexpr std::string_view kSymbolKeys[] = {"symbol"};
constexpr std::string_view kAttestationRegisterKeys[] = {"attestation", "member", "dataset", "assessor", "licences", "tier", "issued_at", "expires_at"};
constexpr std::string_view kAttestationRevokeKeys[] = {"attestation", "reason"};
constexpr std::string_view kVoucherProgramCreateKeys[] = {"program", "rate_bps", "member_cap", "budget", "year", "domains", "delivery_required"};
constexpr std::string_view kVoucherEnrolKeys[] = {"program", "member"};
constexpr std::string_view kVoucherClaimSettleKeys[] = {"trade_id", "status"};
constexpr std::string_view kReportTradesKeys[] = {"from", "to", "member", "instrument", "cursor", "limit"};
constexpr std::string_view kProgramKeys[] = {"program"};
constexpr std::string_view kReportClaimsKeys[] = {"program", "status"};
constexpr std::string_view kTradesRecentKeys[] = {"instrument", "limit"};
constexpr std::string_view kDeliveryGrantKeys[] = {"trade_id", "access_ref", "dataset", "access_from", "access_until"};
constexpr std::string_view kTradeIdKeys[] = {"trade_id"};
constexpr std::string_view kDeliveryDisputeKeys[] = {"trade_id", "reason"};
constexpr std::string_view kDeliveryResolveKeys[] = {"trade_id", "outcome", "note"};
constexpr std::string_view kDeliveriesKeys[] = {"state", "cursor", "limit"};
constexpr std::string_view kReportDeliveriesKeys[] = {"member", "state", "cursor", "limit"};
constexpr std::string_view kRfqNewKeys[] = {"instrument", "qty", "voucher", "expire_at"};
constexpr std::string_view kRfqIdKeys[] = {"rfq_id"};
constexpr std::string_view kQuoteNewKeys[] = {"rfq_id", "price", "attestation", "valid_until", "consideration"};
constexpr std::string_view kQuoteIdKeys[] = {"quote_id"};

// ---- results of engine commands -------------------------------------------------

// order.new and order.replace: the order after the command, with its fills.
void OrderResult(const CommandResult& c, JsonOut& j) {
  OrderObject(j, c.engine, c.events.order, c.events.trades);
}
void CancelResult(const CommandResult& c, JsonOut& j) {
  OrderObject(j, c.engine, c.events.order, c.events.trades, c.events.order.open.v);
}
void MemberCreateResult(const CommandResult& c, JsonOut& j) {
  j.Begin().KStr("member", std::get<MemberCreate>(c.command.body).member.view()).KStr("secret", c.secret).End();
}
void CanceledCountResult(const CommandResult& c, JsonOut& j) { j.Begin().KUInt("canceled", c.events.count).End(); }
void SettleResult(const CommandResult& c, JsonOut& j) {
  const ClaimSettle& s = std::get<ClaimSettle>(c.command.body);
  j.Begin().KUInt("trade_id", s.trade_id).KStr("status", to_string(s.status)).End();
}
void EmptyResult(const CommandResult&, JsonOut& j) { j.Begin().End(); }
void RfqResult(const CommandResult& c, JsonOut& j) {
  RfqObject(j, c.engine, c.events.rfqs.front(), true);
}
void QuoteResult(const CommandResult& c, JsonOut& j) { QuoteObject(j, c.engine, c.events.quotes.front()); }
// quote.accept: the accepted quote and the trade, from the buyer's side.
void AcceptResult(const CommandResult& c, JsonOut& j) {
  const QuoteView& q = c.events.quotes.front();
  j.Begin().KUInt("quote_id", q.id).KUInt("rfq_id", q.rfq_id).KStr("status", to_string(q.status));
  j.Key("fills").BeginArr();
  for (const Trade& t : c.events.trades) {
    j.Begin();
    FillFields(j, c.engine, t, Side::kBuy);
    j.End();
  }
  j.EndArr();
  ConsiderationFields(j, q.consideration, q.equity);
  j.End();
}
void DeliveryResult(const CommandResult& c, JsonOut& j) {
  const DeliveryView& d = c.events.delivery;
  j.Begin().KUInt("trade_id", d.trade_id).KStr("state", to_string(d.state)).End();
}

constexpr uint8_t kReaders = kRegulator | kOperator;

constexpr std::array<OpSpec, 43> kOps = {{
    {"login", OpKind::kLogin, 0, kLoginKeys, DecodeLogin, EchoLogin, nullptr},
    {"logout", OpKind::kLogout, kAnyRole, kNoKeys, DecodeNothing, EchoNothing, nullptr},
    {"order.new", OpKind::kCommand, kMember, kOrderNewKeys, DecodeNewOrder, EchoNewOrder, OrderResult},
    {"order.cancel", OpKind::kCommand, kMember, kOrderCancelKeys, DecodeCancel, EchoCancel, CancelResult},
    {"order.replace", OpKind::kCommand, kMember, kOrderReplaceKeys, DecodeReplace, EchoReplace, OrderResult},
    {"orders.open", OpKind::kOrdersOpen, kMember, kOrdersOpenKeys, DecodeOrdersOpen, EchoOrdersOpen, nullptr},
    {"subscribe", OpKind::kSubscribe, kAnyRole, kSubscribeKeys, DecodeSubscribe, EchoSubscribe, nullptr},
    {"unsubscribe", OpKind::kUnsubscribe, kAnyRole, kSubscribeKeys, DecodeSubscribe, EchoSubscribe, nullptr},
    {"member.create", OpKind::kCommand, kOperator, kMemberCreateKeys, DecodeMemberCreate, EchoMemberCreate, MemberCreateResult},
    {"member.suspend", OpKind::kCommand, kOperator, kMemberKeys, DecodeMemberStatus<true>, EchoMemberStatus, EmptyResult},
    {"member.resume", OpKind::kCommand, kOperator, kMemberKeys, DecodeMemberStatus<false>, EchoMemberStatus, EmptyResult},
    {"member.kill", OpKind::kCommand, kOperator, kMemberKeys, DecodeMemberKill, EchoMemberKill, CanceledCountResult},
    {"instrument.create", OpKind::kCommand, kOperator, kInstrumentCreateKeys, DecodeInstrumentCreate, EchoInstrumentCreate, EmptyResult},
    {"instrument.halt", OpKind::kCommand, kOperator, kSymbolKeys, DecodeInstrumentStatus<true>, EchoInstrumentStatus, EmptyResult},
    {"instrument.resume", OpKind::kCommand, kOperator, kSymbolKeys, DecodeInstrumentStatus<false>, EchoInstrumentStatus, EmptyResult},
    {"attestation.register", OpKind::kCommand, kOperator, kAttestationRegisterKeys, DecodeAttestation, EchoAttestation, EmptyResult},
    {"attestation.revoke", OpKind::kCommand, kOperator, kAttestationRevokeKeys, DecodeRevoke, EchoRevoke, CanceledCountResult},
    {"voucher.program.create", OpKind::kCommand, kOperator, kVoucherProgramCreateKeys, DecodeProgram, EchoProgram, EmptyResult},
    {"voucher.enrol", OpKind::kCommand, kOperator, kVoucherEnrolKeys, DecodeEnrol, EchoEnrol, EmptyResult},
    {"voucher.claim.settle", OpKind::kCommand, kOperator, kVoucherClaimSettleKeys, DecodeSettle, EchoSettle, SettleResult},
    {"status", OpKind::kStatus, kOperator, kNoKeys, DecodeNothing, EchoNothing, nullptr},
    {"cluster", OpKind::kCluster, kOperator, kNoKeys, DecodeNothing, EchoNothing, nullptr},
    {"report.trades", OpKind::kReportTrades, kRegulator, kReportTradesKeys, DecodeReportTrades, EchoReportTrades, nullptr},
    // Operators read ledgers and claims too: they settle the claims.
    {"report.vouchers", OpKind::kReportVouchers, kReaders, kProgramKeys, DecodeReportVouchers, EchoReportVouchers, nullptr},
    {"report.claims", OpKind::kReportClaims, kReaders, kReportClaimsKeys, DecodeReportClaims, EchoReportClaims, nullptr},
    {"instruments.list", OpKind::kInstrumentsList, kAnyRole, kNoKeys, DecodeNothing, EchoNothing, nullptr},
    {"members.list", OpKind::kMembersList, kReaders, kNoKeys, DecodeNothing, EchoNothing, nullptr},
    {"attestations.list", OpKind::kAttestationsList, kAnyRole, kNoKeys, DecodeNothing, EchoNothing, nullptr},
    {"voucher.programs", OpKind::kProgramsList, kAnyRole, kNoKeys, DecodeNothing, EchoNothing, nullptr},
    {"voucher.usage", OpKind::kVoucherUsage, kMember, kNoKeys, DecodeNothing, EchoNothing, nullptr},
    {"trades.recent", OpKind::kTradesRecent, kAnyRole, kTradesRecentKeys, DecodeTradesRecent, EchoTradesRecent, nullptr},
    // A trade's sandbox delivery: the seller (or an operator) grants, the buyer confirms or disputes.
    {"delivery.grant", OpKind::kCommand, kMember | kOperator, kDeliveryGrantKeys, DecodeGrant, EchoGrant, DeliveryResult},
    {"delivery.confirm", OpKind::kCommand, kMember, kTradeIdKeys, DecodeConfirm, EchoConfirm, DeliveryResult},
    {"delivery.dispute", OpKind::kCommand, kMember, kDeliveryDisputeKeys, DecodeDispute, EchoDispute, DeliveryResult},
    {"delivery.resolve", OpKind::kCommand, kOperator, kDeliveryResolveKeys, DecodeResolve, EchoResolve, DeliveryResult},
    {"deliveries", OpKind::kDeliveries, kMember, kDeliveriesKeys, DecodeDeliveries<false>, EchoDeliveries, nullptr},
    {"report.deliveries", OpKind::kReportDeliveries, kReaders, kReportDeliveriesKeys, DecodeDeliveries<true>, EchoDeliveries, nullptr},
    // Negotiated deals: a buyer asks for quotes, sellers quote, the buyer accepts one.
    {"rfq.new", OpKind::kCommand, kMember, kRfqNewKeys, DecodeRfqNew, EchoRfqNew, RfqResult},
    {"rfq.cancel", OpKind::kCommand, kMember, kRfqIdKeys, DecodeRfqCancel, EchoRfqCancel, RfqResult},
    {"quote.new", OpKind::kCommand, kMember, kQuoteNewKeys, DecodeQuoteNew, EchoQuoteNew, QuoteResult},
    {"quote.cancel", OpKind::kCommand, kMember, kQuoteIdKeys, DecodeQuoteRef<QuoteCancel>, EchoQuoteRef<QuoteCancel>, QuoteResult},
    {"quote.accept", OpKind::kCommand, kMember, kQuoteIdKeys, DecodeQuoteRef<QuoteAccept>, EchoQuoteRef<QuoteAccept>, AcceptResult},
    {"rfqs.open", OpKind::kRfqsOpen, kMember, kNoKeys, DecodeNothing, EchoNothing, nullptr},
}};

}  // namespace

std::span<const OpSpec> Ops() { return kOps; }

const OpSpec* FindOp(std::string_view name) {
  for (const OpSpec& e : kOps)
    if (e.name == name) return &e;
  return nullptr;
}

}  // namespace corpex::gw
