#include "gateway/request.h"

#include <array>
#include <cctype>

#include "gateway/json_out.h"
#include "gateway/params.h"

namespace corpex::gw {
namespace {

namespace dom = simdjson::dom;

constexpr int64_t kMaxI64 = INT64_MAX;
constexpr int64_t kMaxMs = INT64_MAX / 1'000'000 - 1;  // ms that still fit in ns
constexpr uint8_t kMember = RoleBit(Role::kMember);
constexpr uint8_t kOperator = RoleBit(Role::kOperator);
constexpr uint8_t kRegulator = RoleBit(Role::kRegulator);

Status Enum(Params& p, std::string_view key, std::string* s) {
  return p.Str(key, 32, s, true);
}

Status DecodeNewOrder(Params& p, Request* r) {
  NewOrder o;
  std::string side, tif;
  int64_t qty = 0, price = 0, min_qty = 0, expire = 0;
  bool has_expire = false;
  CPX_TRY(p.Fixed("instrument", &o.instrument, true));
  CPX_TRY(Enum(p, "side", &side));
  CPX_TRY(p.Int("qty", INT64_MIN, kMaxI64, &qty, true));
  CPX_TRY(p.Int("price", INT64_MIN, kMaxI64, &price, true));
  CPX_TRY(Enum(p, "tif", &tif));
  CPX_TRY(p.Fixed("client_order_id", &o.client_order_id, true));
  CPX_TRY(p.Int("expire_at", 0, kMaxMs, &expire, false, &has_expire));
  CPX_TRY(p.Int("min_qty", INT64_MIN, kMaxI64, &min_qty, false));
  CPX_TRY(p.Fixed("attestation", &o.attestation, false));
  CPX_TRY(p.Fixed("voucher", &o.voucher, false));
  if (!parse(side, &o.side)) return BadRequest("\"side\" must be \"buy\" or \"sell\"");
  for (char& c : tif) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!parse(tif, &o.tif))
    return Status(ErrorCode::kInvalidTif, "\"tif\" must be GTC, GTD, IOC or FOK");
  o.qty = Qty(qty);
  o.price = Price(price);
  o.min_qty = Qty(min_qty);
  o.expire_at = has_expire ? expire * 1'000'000 : kNever;
  r->command.body = o;
  return Status::Ok();
}

Status DecodeCancel(Params& p, Request* r) {
  CancelOrder c;
  int64_t id = 0;
  bool has_id = false;
  CPX_TRY(p.Int("order_id", 1, kMaxI64, &id, false, &has_id));
  CPX_TRY(p.Fixed("client_order_id", &c.client_order_id, false));
  if (!has_id && c.client_order_id.empty())
    return BadRequest("order.cancel needs \"order_id\" or \"client_order_id\"");
  c.order_id = static_cast<OrderId>(id);
  r->command.body = c;
  return Status::Ok();
}

Status DecodeReplace(Params& p, Request* r) {
  ReplaceOrder o;
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
  r->command.body = o;
  return Status::Ok();
}

Status DecodeMemberCreate(Params& p, Request* r) {
  MemberCreate m;
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
  r->command.body = m;
  return Status::Ok();
}

Status DecodeInstrumentCreate(Params& p, Request* r) {
  InstrumentCreate c;
  std::string modality, licence, unit;
  int64_t term = 0, tier = 0, tick = 0, lot = 0;
  CPX_TRY(p.Fixed("symbol", &c.symbol, true));
  CPX_TRY(p.Fixed("domain", &c.domain, true));
  CPX_TRY(p.Fixed("language", &c.language, true));
  CPX_TRY(Enum(p, "modality", &modality));
  CPX_TRY(Enum(p, "licence", &licence));
  CPX_TRY(p.Int("term_months", 1, 1200, &term, true));
  CPX_TRY(p.Int("tier", 1, 4, &tier, true));
  CPX_TRY(Enum(p, "unit", &unit));
  CPX_TRY(p.Int("tick", 1, kMaxI64, &tick, true));
  CPX_TRY(p.Int("lot", 1, kMaxI64, &lot, true));
  if (!parse(modality, &c.modality)) return BadRequest("unknown \"modality\"");
  if (!parse(licence, &c.licence)) return BadRequest("unknown \"licence\"");
  if (!parse(unit, &c.unit)) return BadRequest("unknown \"unit\"");
  c.term_months = static_cast<int32_t>(term);
  c.tier = static_cast<uint8_t>(tier);
  c.tick = Price(tick);
  c.lot = Qty(lot);
  r->command.body = c;
  return Status::Ok();
}

Status DecodeAttestation(Params& p, Request* r) {
  AttestationRegister a;
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
    if (!parse(l, &lic)) return BadRequest("unknown licence \"" + l + "\"");
    a.licences |= static_cast<uint8_t>(1u << static_cast<unsigned>(lic));
  }
  a.tier = static_cast<uint8_t>(tier);
  a.issued_at = issued * 1'000'000;
  a.expires_at = expires * 1'000'000;
  r->command.body = a;
  return Status::Ok();
}

Status DecodeProgram(Params& p, Request* r) {
  ProgramCreate c;
  std::vector<std::string> domains;
  int64_t rate = 0, cap = 0, budget = 0, year = 0;
  CPX_TRY(p.Fixed("program", &c.program, true));
  CPX_TRY(p.Int("rate_bps", 0, 10000, &rate, true));
  CPX_TRY(p.Int("member_cap", 0, kMaxI64, &cap, true));
  CPX_TRY(p.Int("budget", 0, kMaxI64, &budget, true));
  CPX_TRY(p.Int("year", 1970, 9999, &year, true));
  CPX_TRY(p.StrList("domains", kMaxProgramDomains, DomainName::capacity(), &domains, false));
  c.rate_bps = static_cast<int32_t>(rate);
  c.member_cap = Fen(cap);
  c.budget = Fen(budget);
  c.year = static_cast<int32_t>(year);
  for (const std::string& d : domains) c.domains[c.domain_count++].assign(d);
  r->command.body = c;
  return Status::Ok();
}

Status DecodeBody(std::string_view op, Params& p, Request* r) {
  if (op == "order.new") return DecodeNewOrder(p, r);
  if (op == "order.cancel") return DecodeCancel(p, r);
  if (op == "order.replace") return DecodeReplace(p, r);
  if (op == "member.create") return DecodeMemberCreate(p, r);
  if (op == "member.suspend" || op == "member.resume") {
    MemberSetStatus m;
    m.suspend = op == "member.suspend";
    CPX_TRY(p.Fixed("member", &m.member, true));
    r->command.body = m;
    return Status::Ok();
  }
  if (op == "member.kill") {
    MemberKill m;
    CPX_TRY(p.Fixed("member", &m.member, true));
    r->command.body = m;
    return Status::Ok();
  }
  if (op == "instrument.create") return DecodeInstrumentCreate(p, r);
  if (op == "instrument.halt" || op == "instrument.resume") {
    InstrumentSetStatus s;
    s.halt = op == "instrument.halt";
    CPX_TRY(p.Fixed("symbol", &s.symbol, true));
    r->command.body = s;
    return Status::Ok();
  }
  if (op == "attestation.register") return DecodeAttestation(p, r);
  if (op == "attestation.revoke") {
    AttestationRevoke a;
    CPX_TRY(p.Fixed("attestation", &a.attestation, true));
    CPX_TRY(p.Fixed("reason", &a.reason, false));
    r->command.body = a;
    return Status::Ok();
  }
  if (op == "voucher.program.create") return DecodeProgram(p, r);
  if (op == "voucher.enrol") {
    Enrol e;
    CPX_TRY(p.Fixed("program", &e.program, true));
    CPX_TRY(p.Fixed("member", &e.member, true));
    r->command.body = e;
    return Status::Ok();
  }
  if (op == "voucher.claim.settle") {
    ClaimSettle c;
    int64_t id = 0;
    std::string status;
    CPX_TRY(p.Int("trade_id", 1, kMaxI64, &id, true));
    CPX_TRY(Enum(p, "status", &status));
    if (!parse(status, &c.status) || c.status == ClaimStatus::kReserved)
      return BadRequest("\"status\" must be approved, paid or rejected");
    c.trade_id = static_cast<TradeId>(id);
    r->command.body = c;
    return Status::Ok();
  }
  return Status(ErrorCode::kUnknownOp, "unknown op \"" + std::string(op) + "\"");
}

Status DecodeQuery(std::string_view op, Params& p, Request* r) {
  QueryParams& q = r->query;
  switch (r->kind) {
    case OpKind::kLogin: {
      LoginParams& l = r->login;
      CPX_TRY(p.Str("user", kMaxMemberLen, &l.user, true));
      CPX_TRY(p.Int("ts", 0, kMaxMs, &l.ts_ms, true));
      CPX_TRY(p.Str("nonce", 128, &l.nonce, true));
      CPX_TRY(p.Str("sig", 64, &l.sig, true));
      return p.Bool("cancel_on_disconnect", &l.cancel_on_disconnect);
    }
    case OpKind::kOrdersOpen:
      return p.Str("instrument", kMaxNameLen, &q.instrument, false);
    case OpKind::kSubscribe:
    case OpKind::kUnsubscribe: {
      std::string channel;
      CPX_TRY(Enum(p, "channel", &channel));
      if (channel == "book") q.channel = Channel::kBook;
      else if (channel == "trades") q.channel = Channel::kTrades;
      else if (channel == "executions") q.channel = Channel::kExecutions;
      else return BadRequest("\"channel\" must be book, trades or executions");
      bool need = q.channel != Channel::kExecutions;
      CPX_TRY(p.Str("instrument", kMaxNameLen, &q.instrument, need));
      return Status::Ok();
    }
    case OpKind::kReportTrades:
      CPX_TRY(p.Int("from", INT64_MIN / 2, kMaxMs, &q.from_ms, true));
      CPX_TRY(p.Int("to", INT64_MIN / 2, kMaxMs, &q.to_ms, true));
      CPX_TRY(p.Str("member", kMaxMemberLen, &q.member, false));
      CPX_TRY(p.Str("instrument", kMaxNameLen, &q.instrument, false));
      CPX_TRY(p.Str("cursor", 256, &q.cursor, false));
      return p.Int("limit", 1, 10'000, &q.limit, false);
    case OpKind::kReportVouchers:
      return p.Str("program", kMaxNameLen, &q.program, true);
    case OpKind::kTradesRecent:
      q.limit = 50;
      CPX_TRY(p.Str("instrument", kMaxNameLen, &q.instrument, false));
      return p.Int("limit", 1, kRecentTrades, &q.limit, false);
    case OpKind::kReportClaims: {
      std::string status;
      CPX_TRY(p.Str("program", kMaxNameLen, &q.program, true));
      CPX_TRY(p.Str("status", 16, &status, false));
      if (!status.empty()) {
        ClaimStatus s;
        if (!parse(status, &s)) return BadRequest("unknown claim \"status\"");
        q.status = s;
      }
      return Status::Ok();
    }
    case OpKind::kLogout:
    case OpKind::kStatus:
    case OpKind::kInstrumentsList:
    case OpKind::kMembersList:
    case OpKind::kAttestationsList:
    case OpKind::kProgramsList:
    case OpKind::kVoucherUsage:
      return Status::Ok();
    case OpKind::kCommand:
      return DecodeBody(op, p, r);
  }
  return Status::Ok();
}

struct OpEntry {
  std::string_view name;
  OpKind kind;
  uint8_t roles;
};

constexpr std::array<OpEntry, 30> kOps = {{
    {"login", OpKind::kLogin, 0},
    {"logout", OpKind::kLogout, kAnyRole},
    {"order.new", OpKind::kCommand, kMember},
    {"order.cancel", OpKind::kCommand, kMember},
    {"order.replace", OpKind::kCommand, kMember},
    {"orders.open", OpKind::kOrdersOpen, kMember},
    {"subscribe", OpKind::kSubscribe, kAnyRole},
    {"unsubscribe", OpKind::kUnsubscribe, kAnyRole},
    {"member.create", OpKind::kCommand, kOperator},
    {"member.suspend", OpKind::kCommand, kOperator},
    {"member.resume", OpKind::kCommand, kOperator},
    {"member.kill", OpKind::kCommand, kOperator},
    {"instrument.create", OpKind::kCommand, kOperator},
    {"instrument.halt", OpKind::kCommand, kOperator},
    {"instrument.resume", OpKind::kCommand, kOperator},
    {"attestation.register", OpKind::kCommand, kOperator},
    {"attestation.revoke", OpKind::kCommand, kOperator},
    {"voucher.program.create", OpKind::kCommand, kOperator},
    {"voucher.enrol", OpKind::kCommand, kOperator},
    {"voucher.claim.settle", OpKind::kCommand, kOperator},
    {"status", OpKind::kStatus, kOperator},
    {"report.trades", OpKind::kReportTrades, kRegulator},
    // Operators read ledgers and claims too: they settle the claims.
    {"report.vouchers", OpKind::kReportVouchers, kRegulator | kOperator},
    {"report.claims", OpKind::kReportClaims, kRegulator | kOperator},
    {"instruments.list", OpKind::kInstrumentsList, kAnyRole},
    {"members.list", OpKind::kMembersList, kOperator | kRegulator},
    {"attestations.list", OpKind::kAttestationsList, kAnyRole},
    {"voucher.programs", OpKind::kProgramsList, kAnyRole},
    {"voucher.usage", OpKind::kVoucherUsage, kMember},
    {"trades.recent", OpKind::kTradesRecent, kAnyRole},
}};

}  // namespace

Request RequestDecoder::Decode(std::string_view frame) {
  Request r;
  r.frame_bytes = frame.size();
  if (frame.size() > max_frame_bytes_) {
    r.error = Status(ErrorCode::kTooLarge,
                     "frame of " + std::to_string(frame.size()) + " bytes is over the limit of " +
                         std::to_string(max_frame_bytes_));
    return r;
  }
  dom::element root;
  if (parser_.parse(frame.data(), frame.size(), true).get(root)) {
    r.error = Status(ErrorCode::kBadJson, "the frame is not valid JSON");
    return r;
  }
  dom::object o;
  if (root.get_object().get(o)) {
    r.error = BadRequest("a request must be a JSON object");
    return r;
  }
  dom::element id;
  if (!o.at_key("id").get(id)) {
    std::string_view s;
    int64_t i = 0;
    if (id.is_int64() && !id.get_int64().get(i)) {
      r.id = std::to_string(i);
    } else if (!id.get_string().get(s) && s.size() <= 64) {
      r.id = JsonOut::Quoted(s);
    } else {
      r.error = BadRequest("\"id\" must be an integer or a string of at most 64 characters");
      return r;
    }
  }
  std::string_view op;
  dom::element ope;
  if (o.at_key("op").get(ope) || ope.get_string().get(op)) {
    r.error = BadRequest("missing \"op\"");
    r.id = "null";
    return r;
  }
  r.op = std::string(op);
  const OpEntry* entry = nullptr;
  for (const OpEntry& e : kOps)
    if (e.name == op) entry = &e;
  if (!entry) {
    r.error = Status(ErrorCode::kUnknownOp, "unknown op \"" + r.op + "\"");
    return r;
  }
  r.kind = entry->kind;
  r.known_op = true;
  r.roles = entry->roles;
  Params p(o);
  Status st = DecodeQuery(op, p, &r);
  Status unknown = p.Unknown();
  if (!unknown.ok()) st = unknown;  // naming a stray key helps more than "missing x"
  r.error = st;
  return r;
}

}  // namespace corpex::gw
