// The turn holder's handling of each op: login, roles, commands, queries.
#include <algorithm>
#include <unordered_set>

#include "gateway/sequencer/exchange.h"
#include "gateway/protocol/lists.h"
#include "gateway/protocol/op_table.h"
#include "gateway/protocol/wire_encode.h"

namespace corpex::gw {
namespace {

bool IsOrderOp(const Command& c) {
  return std::holds_alternative<NewOrder>(c.body) || std::holds_alternative<CancelOrder>(c.body) ||
         std::holds_alternative<ReplaceOrder>(c.body);
}

}  // namespace

void Exchange::HandleRequest(uint64_t sid, SessionState& s, Request& r) {
  if (!r.known_op) return ReplyError(sid, r.id, r.error);
  if (r.kind == OpKind::kLogin) return Login(sid, s, r);
  if (s.role == Role::kNone)
    return ReplyError(sid, r.id, Status(ErrorCode::kNotLoggedIn, "log in first"));
  if (!(r.roles & RoleBit(s.role)))
    return ReplyError(sid, r.id,
                      Status(ErrorCode::kForbidden, "the " + std::string(RoleName(s.role)) +
                                                        " role may not use " + r.op));
  if (!r.error.ok()) return ReplyError(sid, r.id, r.error);
  if (r.kind == OpKind::kCommand) return RunCommand(sid, s, r);
  return Query(sid, s, r);
}

void Exchange::Login(uint64_t sid, SessionState& s, Request& r) {
  if (!r.error.ok()) return ReplyError(sid, r.id, r.error);
  if (s.role != Role::kNone)
    return ReplyError(sid, r.id, Status(ErrorCode::kBadRequest, "already logged in"));
  const LoginParams& l = r.login;
  auto role = auth_.Verify(l.user, l.ts_ms, l.nonce, l.sig, NowNs() / 1'000'000);
  if (!role.ok()) return ReplyError(sid, r.id, role.status());
  MemberId member = kNone;
  if (role.value() == Role::kMember) {
    member = engine_->FindMember(l.user);
    if (member == kNone) return ReplyError(sid, r.id, Status(ErrorCode::kAuthFailed, "login failed"));
    if (engine_->members()[member].suspended)
      return ReplyError(sid, r.id, Status(ErrorCode::kMemberSuspended, "member is suspended"));
    member_sessions_[member].push_back(sid);
  }
  s.role = role.value();
  s.user = l.user;
  s.member = member;
  s.cancel_on_disconnect = l.cancel_on_disconnect.value_or(false) && member != kNone;
  if (auto out = s.outlet.lock()) out->LoggedIn();
  JsonOut j;
  j.Begin().KStr("user", s.user).KStr("role", RoleName(s.role)).End();
  ReplyNow(sid, r.id, j.Take());
}

void Exchange::RunCommand(uint64_t sid, SessionState& s, Request& r) {
  if (failed_) return ReplyError(sid, r.id, Status(ErrorCode::kInternal, "storage failed"));
  Command& c = r.command;
  if (IsOrderOp(c)) {
    Status admitted = limits_.Admit(s.member, std::holds_alternative<NewOrder>(c.body), NowNs());
    if (!admitted.ok()) return ReplyError(sid, r.id, admitted);
    std::visit([&](auto& body) {
      using T = std::decay_t<decltype(body)>;
      if constexpr (std::is_same_v<T, NewOrder> || std::is_same_v<T, CancelOrder> ||
                    std::is_same_v<T, ReplaceOrder>) {
        body.member.assign(s.user);
        // Hints the engine checks against the names (Handles): set on every
        // command, so none outlives the request it was made for.
        body.handles = Handles{s.member, kNone, kNone};
        if constexpr (std::is_same_v<T, NewOrder>) {
          body.handles.instrument = s.last_instrument;
          body.handles.attestation = s.last_attestation;
        }
      }
    }, c.body);
  }
  // A member acts on a delivery as itself; an operator's command names nobody.
  if (s.role == Role::kMember) {
    std::visit([&](auto& body) {
      using T = std::decay_t<decltype(body)>;
      if constexpr (std::is_same_v<T, DeliveryGrant> || std::is_same_v<T, DeliveryConfirm> ||
                    std::is_same_v<T, DeliveryDispute> || std::is_same_v<T, RfqNew> ||
                    std::is_same_v<T, RfqCancel> || std::is_same_v<T, QuoteNew> ||
                    std::is_same_v<T, QuoteCancel> || std::is_same_v<T, QuoteAccept>)
        body.member.assign(s.user);
    }, c.body);
  }
  std::string secret, key;
  if (auto* mc = std::get_if<MemberCreate>(&c.body)) {
    if (auth_.IsAccount(mc->member.str()))
      return ReplyError(sid, r.id, Status(ErrorCode::kAlreadyExists, "an account has that name"));
    secret = NewMemberSecret();
    if (secret.empty()) return ReplyError(sid, r.id, Status(ErrorCode::kInternal, "no randomness"));
    key = MemberKeyHex(secret);
  }
  const Events& ev = Execute(c, key.empty() ? nullptr : &key);
  OrderTiming timing;
  if (r.read_ns != 0 && IsOrderOp(c)) timing = OrderTiming{r.read_ns, r.decoded_ns, SteadyNowNs()};
  if (!ev.status.ok()) {
    Emit(sid, std::make_shared<const std::string>(ErrorFrame(r.id, ev.status)), timing);
    return;
  }
  // The result is written straight into the response frame (no second
  // string and copy per order) by the op table's encoder.
  JsonOut j;
  BeginOkFrame(j, r.id);
  r.spec->result(CommandResult{*engine_, c, ev, secret}, j);
  if (std::holds_alternative<NewOrder>(c.body)) {
    s.last_instrument = ev.order.instrument;
    if (ev.order.side == Side::kSell) s.last_attestation = ev.order.attestation;
  }
  if (std::holds_alternative<NewOrder>(c.body) || std::holds_alternative<ReplaceOrder>(c.body)) {
    bool live = ev.order.status == OrderStatus::kNew ||
                ev.order.status == OrderStatus::kPartiallyFilled;
    if (s.cancel_on_disconnect && live &&
        std::find(s.placed.begin(), s.placed.end(), ev.order.id) == s.placed.end())
      s.placed.push_back(ev.order.id);
    if (s.placed.size() >= s.prune_at) {  // forget orders that are no longer live
      std::unordered_set<OrderId> live;
      for (const OrderView& o : engine_->OpenOrders(s.member)) live.insert(o.id);
      std::erase_if(s.placed, [&live](OrderId id) { return live.count(id) == 0; });
      s.prune_at = std::max<size_t>(4096, 2 * s.placed.size());
    }
  } else if (auto* mc = std::get_if<MemberCreate>(&c.body)) {
    auth_.SetMemberKey(mc->member.str(), key);
  }
  j.End();
  Emit(sid, std::make_shared<const std::string>(j.Take()), timing);
  if (auto* ms = std::get_if<MemberSetStatus>(&c.body); ms && ms->suspend) {
    MemberId m = engine_->FindMember(ms->member.view());
    auto it = member_sessions_.find(m);
    if (it != member_sessions_.end())
      for (uint64_t other : it->second) EmitClose(other);
  }
}

void Exchange::Query(uint64_t sid, SessionState& s, Request& r) {
  const QueryParams& q = r.query;
  JsonOut j;
  switch (r.kind) {
    case OpKind::kLogout:
      s.cancel_on_disconnect = false;  // a clean logout keeps the orders
      Reply(sid, r.id, "{}");
      return EmitClose(sid);
    case OpKind::kSubscribe:
    case OpKind::kUnsubscribe:
      return Subscribe(sid, s, r);
    case OpKind::kOrdersOpen: {
      InstrumentId inst = kNone;
      if (!q.instrument.empty()) {
        inst = engine_->FindInstrument(q.instrument);
        if (inst == kNone)
          return ReplyError(sid, r.id, Status(ErrorCode::kUnknownInstrument, "unknown instrument"));
      }
      static const std::vector<Trade> kNoFills;
      j.Begin().Key("orders").BeginArr();
      for (const OrderView& o : engine_->OpenOrders(s.member, inst)) OrderObject(j, *engine_, o, kNoFills);
      j.EndArr().End();
      return Reply(sid, r.id, j.Take());
    }
    case OpKind::kStatus: {
      EngineCounters c = engine_->counters();
      j.Begin().KInt("uptime_ms", (NowNs() - started_ns_) / 1'000'000);
      j.KUInt("members", engine_->members().size()).KUInt("instruments", engine_->instruments().size());
      j.KUInt("attestations", engine_->attestations().size()).KUInt("programs", engine_->programs().size());
      j.KUInt("resting_orders", c.resting_orders).KUInt("next_order_id", c.next_order_id);
      j.KUInt("next_trade_id", c.next_trade_id).KUInt("commands", c.commands);
      j.KInt("clock", ToMillis(c.clock)).KUInt("seq", seq_).KUInt("durable_seq", store_->durable_seq());
      const StoreStats st = store_->stats();
      j.KUInt("snapshots", st.snapshots).KUInt("snapshot_failures", st.snapshot_failures);
      j.KUInt("sessions", sessions_.size()).KBool("durable_storage", Persistence::durable()).End();
      return Reply(sid, r.id, j.Take());
    }
    case OpKind::kCluster:
      return ClusterAnswer(sid, r);
    case OpKind::kInstrumentsList:
      return Reply(sid, r.id, InstrumentsList(*engine_, market_.stats()));
    case OpKind::kMembersList:
      return Reply(sid, r.id, MembersList(*engine_));
    case OpKind::kAttestationsList:  // a member sees its own only
      return Reply(sid, r.id, AttestationsList(*engine_, s.member, last_ts_));
    case OpKind::kProgramsList:
      return Reply(sid, r.id, ProgramsList(*engine_));
    case OpKind::kVoucherUsage:
      return Reply(sid, r.id, VoucherUsage(*engine_, s.member));
    case OpKind::kTradesRecent: {
      InstrumentId inst = kNone;
      if (!q.instrument.empty() && (inst = engine_->FindInstrument(q.instrument)) == kNone)
        return ReplyError(sid, r.id, Status(ErrorCode::kUnknownInstrument, "unknown instrument"));
      return Reply(sid, r.id, RecentTrades(*engine_, market_.recent(), inst, static_cast<size_t>(q.limit.value_or(kRecentTradesDefault))));
    }
    case OpKind::kRfqsOpen: {  // the RFQs it asked or may quote, the quotes it made or was given
      j.Begin().Key("rfqs").BeginArr();
      for (const RfqView& q : engine_->OpenRfqs())
        if (q.buyer == s.member || engine_->MaySell(s.member, q.instrument))
          RfqObject(j, *engine_, q, q.buyer == s.member);
      j.EndArr().Key("quotes").BeginArr();
      for (const QuoteView& q : engine_->OpenQuotes())
        if (q.buyer == s.member || q.seller == s.member) QuoteObject(j, *engine_, q);
      j.EndArr().End();
      return Reply(sid, r.id, j.Take());
    }
    case OpKind::kDeliveries:  // a member's own, whoever it names
      r.query.member = s.user;
      return Report(sid, r);
    case OpKind::kReportTrades:
    case OpKind::kReportVouchers:
    case OpKind::kReportClaims:
    case OpKind::kReportDeliveries:
      return Report(sid, r);
    default:
      return ReplyError(sid, r.id, Status(ErrorCode::kInternal, "unhandled op"));
  }
}

void Exchange::Subscribe(uint64_t sid, SessionState& s, Request& r) {
  const QueryParams& q = r.query;
  const bool on = r.kind == OpKind::kSubscribe;
  if (q.channel == Channel::kExecutions) {
    // Executions always reach the member's sessions; the channel is accepted
    // for clients that ask for it.
    if (s.role != Role::kMember)
      return ReplyError(sid, r.id, Status(ErrorCode::kForbidden, "executions are for members"));
    return Reply(sid, r.id, "{}");
  }
  InstrumentId inst = engine_->FindInstrument(q.instrument);
  if (inst == kNone)
    return ReplyError(sid, r.id, Status(ErrorCode::kUnknownInstrument, "unknown instrument"));
  market_.Subscribe(sid, q.channel, inst, on);
  Reply(sid, r.id, "{}");
  if (on && q.channel == Channel::kBook) Emit(sid, market_.BookSnapshot(*engine_, inst));
}

void Exchange::Report(uint64_t sid, Request& r) {
  std::weak_ptr<Outlet> out = sessions_[sid].outlet;
  reports_->Submit([this, out, r = std::move(r)] {
    auto frame = std::make_shared<const std::string>(ReportFrame(r));
    if (auto o = out.lock()) o->Send(std::move(frame));
  });
}

std::string Exchange::ReportFrame(const Request& r) const {
  const QueryParams& q = r.query;
  JsonOut j;
  if (r.kind == OpKind::kReportTrades) {
    TradeQuery tq;
    tq.from_ms = q.from_ms;
    tq.to_ms = q.to_ms;
    tq.member = q.member;
    tq.instrument = q.instrument;
    tq.cursor = q.cursor;
    tq.limit = static_cast<size_t>(q.limit.value_or(kReportPageDefault));
    auto page = store_->Trades(tq);
    if (!page.ok()) return ErrorFrame(r.id, page.status());
    j.Begin().Key("trades").BeginArr();
    for (const TradeRecord& t : page->trades) TradeRecordObject(j, t);
    j.EndArr().Key("next_cursor");
    if (page->next_cursor.empty()) j.Null();
    else j.Str(page->next_cursor);
    j.End();
  } else if (r.kind == OpKind::kDeliveries || r.kind == OpKind::kReportDeliveries) {
    DeliveryQuery dq;
    dq.member = q.member;
    dq.has_state = q.delivery_state.has_value();
    if (dq.has_state) dq.state = *q.delivery_state;
    dq.cursor = q.cursor;
    dq.limit = static_cast<size_t>(q.limit.value_or(kReportPageDefault));
    auto page = store_->Deliveries(dq);
    if (!page.ok()) return ErrorFrame(r.id, page.status());
    j.Begin().Key("deliveries").BeginArr();
    for (const DeliveryRecord& d : page->deliveries) DeliveryRecordObject(j, d);
    j.EndArr().Key("next_cursor");
    if (page->next_cursor.empty()) j.Null();
    else j.Str(page->next_cursor);
    j.End();
  } else if (r.kind == OpKind::kReportVouchers) {
    auto rep = store_->Vouchers(q.program);
    if (!rep.ok()) return ErrorFrame(r.id, rep.status());
    const ProgramRecord& p = rep->program;
    j.Begin().KStr("program", p.program).KInt("rate_bps", p.rate_bps).KInt("year", p.year);
    j.KInt("member_cap", p.member_cap.v).KInt("budget", p.budget.v).KInt("budget_left", p.budget_left.v);
    j.Key("members").BeginArr();
    for (const LedgerRecord& l : rep->members) {
      j.Begin().KStr("member", l.member).KInt("reserved", l.reserved.v).KInt("approved", l.approved.v);
      j.KInt("paid", l.paid.v).KInt("rejected", l.rejected.v);
      j.KInt("left", p.member_cap.v - l.reserved.v).End();
    }
    j.EndArr().End();
  } else {
    const ClaimStatus* st = q.status ? &*q.status : nullptr;
    auto claims = store_->Claims(q.program, st);
    if (!claims.ok()) return ErrorFrame(r.id, claims.status());
    j.Begin().KStr("program", q.program).Key("claims").BeginArr();
    for (const ClaimRecord& c : claims.value()) ClaimRecordObject(j, c);
    j.EndArr().End();
  }
  return OkFrame(r.id, j.Take());
}

}  // namespace corpex::gw
