// tests/engine/engine_fixture.h — a small world to drive the engine with.
//
// The fixture builds an engine through commands only (exactly as the journal
// would), keeps time explicit (Unix ns, starting 2026-03-01T00:00:00Z) and
// offers one-line helpers for orders. Helpers return a copy of the Events so a
// test may keep several results at once.
//
// The standard world:
//   instrument kSym "ZH-MED-DIALOG.TRAIN.12M": domain medical, licence
//     training, tier 2, tick 100 fen, lot 10 units
//   buyers  B1 (group GB1), B2 (group GB2), B3 (group GB3)     tier 4
//   sellers S1 (group GS1), S2 (group GS2), S3 (group GS3)     tier 4
//   X1 buyer and seller (group GX1)
//   attestation "A-<seller>" for S1, S2, S3, X1: training licence, tier 2,
//     issued a day before kT0, expires a year after
// A sell without an explicit attestation cites "A-<member>".
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "corpex/command.h"
#include "corpex/engine.h"
#include "corpex/events.h"
#include "corpex/refdata.h"
#include "corpex/status.h"
#include "corpex/types.h"

namespace corpex::test {

inline constexpr TimeNs kSec = 1'000'000'000;
inline constexpr TimeNs kMs = 1'000'000;
inline constexpr TimeNs kDay = 86'400 * kSec;
inline constexpr TimeNs kT0 = 1'772'323'200 * kSec;  // 2026-03-01T00:00:00Z
inline constexpr const char* kSym = "ZH-MED-DIALOG.TRAIN.12M";

inline Price P(int64_t v) { return Price{v}; }
inline Qty Q(int64_t v) { return Qty{v}; }
inline Fen F(int64_t v) { return Fen{v}; }

// Optional fields of an order; defaults give a plain GTC limit order.
struct Opt {
  Tif tif = Tif::kGtc;
  int64_t min_qty = 0;
  TimeNs expire_at = kNever;
  std::string coid;             // empty: the fixture generates a unique one
  std::string attestation;      // sells; empty: "A-<member>"
  std::string voucher;          // buys
  std::string instrument;       // empty: kSym
  bool no_attestation = false;  // sells: send none at all
};

inline Opt Gtd(TimeNs expire_at) {
  Opt o;
  o.tif = Tif::kGtd;
  o.expire_at = expire_at;
  return o;
}
inline Opt Ioc() {
  Opt o;
  o.tif = Tif::kIoc;
  return o;
}
inline Opt Fok() {
  Opt o;
  o.tif = Tif::kFok;
  return o;
}
inline Opt MinQty(int64_t m, Tif tif = Tif::kGtc) {
  Opt o;
  o.tif = tif;
  o.min_qty = m;
  return o;
}
inline Opt Voucher(std::string program) {
  Opt o;
  o.voucher = std::move(program);
  return o;
}
inline Opt Coid(std::string coid) {
  Opt o;
  o.coid = std::move(coid);
  return o;
}
inline Opt On(std::string instrument) {
  Opt o;
  o.instrument = std::move(instrument);
  return o;
}

class EngineFixture {
 public:
  Engine engine;
  TimeNs now = kT0;

  explicit EngineFixture(bool standard_world = true) {
    if (standard_world) BuildStandardWorld();
  }

  // ---- raw execution -------------------------------------------------------
  Events ExecAt(TimeNs ts, const CommandBody& body) {
    Command c;
    c.ts = ts;
    c.body = body;
    if (ts > now) now = ts;
    return engine.Execute(c);  // copied
  }
  Events Exec(const CommandBody& body) { return ExecAt(now, body); }
  void Advance(TimeNs dt) { now += dt; }

  // ---- reference data ------------------------------------------------------
  Events CreateMember(const std::string& member, const std::string& group, uint8_t roles,
                      uint8_t tier = 4) {
    MemberCreate m;
    m.member.assign(member);
    std::string name("Member ");
    name.append(member);
    m.name.assign(name);
    m.group.assign(group);
    m.roles = roles;
    m.tier = tier;
    return Exec(m);
  }
  MemberId AddMember(const std::string& member, const std::string& group, uint8_t roles,
                     uint8_t tier = 4) {
    Events e = CreateMember(member, group, roles, tier);
    REQUIRE(e.status.ok());
    MemberId id = engine.FindMember(member);
    REQUIRE(id != kNone);
    return id;
  }

  static InstrumentCreate InstrumentSpec(const std::string& symbol, const std::string& domain,
                                         Licence licence, uint8_t tier, int64_t tick, int64_t lot) {
    InstrumentCreate i;
    i.symbol.assign(symbol);
    i.domain.assign(domain);
    i.language.assign("zh");
    i.modality = Modality::kText;
    i.licence = licence;
    i.term_months = 12;
    i.tier = tier;
    i.unit = Unit::kMtok;
    i.tick = Price{tick};
    i.lot = Qty{lot};
    return i;
  }
  InstrumentId AddInstrument(const std::string& symbol, const std::string& domain = "medical",
                             Licence licence = Licence::kTraining, uint8_t tier = 2,
                             int64_t tick = 100, int64_t lot = 10) {
    Events e = Exec(InstrumentSpec(symbol, domain, licence, tier, tick, lot));
    REQUIRE(e.status.ok());
    InstrumentId id = engine.FindInstrument(symbol);
    REQUIRE(id != kNone);
    return id;
  }

  static AttestationRegister AttestationSpec(const std::string& attestation,
                                             const std::string& member, uint8_t licences,
                                             uint8_t tier, TimeNs issued_at, TimeNs expires_at) {
    AttestationRegister a;
    a.attestation.assign(attestation);
    a.member.assign(member);
    a.dataset.assign(std::string(64, 'a'));
    a.assessor.assign("King & Wood Mallesons");
    a.licences = licences;
    a.tier = tier;
    a.issued_at = issued_at;
    a.expires_at = expires_at;
    return a;
  }
  AttestationId AddAttestation(const std::string& attestation, const std::string& member,
                               uint8_t licences = 1u << static_cast<int>(Licence::kTraining),
                               uint8_t tier = 2, TimeNs issued_at = kT0 - kDay,
                               TimeNs expires_at = kT0 + 365 * kDay) {
    Events e = Exec(AttestationSpec(attestation, member, licences, tier, issued_at, expires_at));
    REQUIRE(e.status.ok());
    AttestationId id = engine.FindAttestation(attestation);
    REQUIRE(id != kNone);
    return id;
  }

  static ProgramCreate ProgramSpec(const std::string& program, int32_t rate_bps, int64_t member_cap,
                                   int64_t budget, int32_t year,
                                   std::initializer_list<std::string> domains = {}) {
    ProgramCreate p;
    p.program.assign(program);
    p.rate_bps = rate_bps;
    p.member_cap = Fen{member_cap};
    p.budget = Fen{budget};
    p.year = year;
    p.domain_count = 0;
    for (const std::string& d : domains) p.domains[p.domain_count++].assign(d);
    return p;
  }
  ProgramId AddProgram(const std::string& program, int32_t rate_bps = 3000,
                       int64_t member_cap = 200'000'000, int64_t budget = 5'000'000'000,
                       int32_t year = 2026, std::initializer_list<std::string> domains = {}) {
    Events e = Exec(ProgramSpec(program, rate_bps, member_cap, budget, year, domains));
    REQUIRE(e.status.ok());
    ProgramId id = engine.FindProgram(program);
    REQUIRE(id != kNone);
    return id;
  }
  Events EnrolCmd(const std::string& program, const std::string& member) {
    corpex::Enrol en;
    en.program.assign(program);
    en.member.assign(member);
    return Exec(en);
  }
  void DoEnrol(const std::string& program, const std::string& member) {
    Events e = EnrolCmd(program, member);
    REQUIRE(e.status.ok());
  }

  // ---- orders --------------------------------------------------------------
  NewOrder MakeOrder(const std::string& member, Side side, int64_t qty, int64_t price,
                     const Opt& o = {}) {
    NewOrder n;
    n.member.assign(member);
    n.instrument.assign(o.instrument.empty() ? std::string(kSym) : o.instrument);
    n.side = side;
    n.tif = o.tif;
    n.qty = Qty{qty};
    n.price = Price{price};
    n.min_qty = Qty{o.min_qty};
    n.expire_at = o.expire_at;
    // (string building with append: GCC 12 -Wrestrict false positive on "x" + s)
    std::string coid = o.coid;
    if (coid.empty()) coid.append("c").append(std::to_string(++coid_seq_));
    n.client_order_id.assign(coid);
    if (side == Side::kSell && !o.no_attestation) {
      std::string att = o.attestation;
      if (att.empty()) att.append("A-").append(member);
      n.attestation.assign(att);
    } else if (!o.attestation.empty())
      n.attestation.assign(o.attestation);
    n.voucher.assign(o.voucher);
    return n;
  }
  Events Buy(const std::string& member, int64_t qty, int64_t price, const Opt& o = {}) {
    return Exec(MakeOrder(member, Side::kBuy, qty, price, o));
  }
  Events Sell(const std::string& member, int64_t qty, int64_t price, const Opt& o = {}) {
    return Exec(MakeOrder(member, Side::kSell, qty, price, o));
  }
  // Places an order that must be accepted and must rest untouched; returns its id.
  OrderId Rest(const std::string& member, Side side, int64_t qty, int64_t price,
               const Opt& o = {}) {
    Events e = Exec(MakeOrder(member, side, qty, price, o));
    INFO(e.status.message());
    REQUIRE(e.status.ok());
    REQUIRE(e.has_order);
    REQUIRE(e.trades.empty());
    REQUIRE(e.order.status == OrderStatus::kNew);
    return e.order.id;
  }
  OrderId RestBuy(const std::string& m, int64_t qty, int64_t price, const Opt& o = {}) {
    return Rest(m, Side::kBuy, qty, price, o);
  }
  OrderId RestSell(const std::string& m, int64_t qty, int64_t price, const Opt& o = {}) {
    return Rest(m, Side::kSell, qty, price, o);
  }

  Events Cancel(const std::string& member, OrderId id) {
    CancelOrder c;
    c.member.assign(member);
    c.order_id = id;
    return Exec(c);
  }
  Events CancelCoid(const std::string& member, const std::string& coid) {
    CancelOrder c;
    c.member.assign(member);
    c.client_order_id.assign(coid);
    return Exec(c);
  }
  Events Replace(const std::string& member, OrderId id, int64_t qty, int64_t price) {
    ReplaceOrder r;
    r.member.assign(member);
    r.order_id = id;
    r.qty = Qty{qty};
    r.price = Price{price};
    return Exec(r);
  }
  Events TickAt(TimeNs ts) { return ExecAt(ts, corpex::Tick{}); }

  // ---- operator ------------------------------------------------------------
  Events Suspend(const std::string& member, bool suspend = true) {
    MemberSetStatus s;
    s.member.assign(member);
    s.suspend = suspend;
    return Exec(s);
  }
  Events Kill(const std::string& member) {
    MemberKill k;
    k.member.assign(member);
    return Exec(k);
  }
  Events Halt(const std::string& symbol, bool halt = true) {
    InstrumentSetStatus s;
    s.symbol.assign(symbol);
    s.halt = halt;
    return Exec(s);
  }
  Events Revoke(const std::string& attestation, const std::string& reason = "dataset withdrawn") {
    AttestationRevoke r;
    r.attestation.assign(attestation);
    r.reason.assign(reason);
    return Exec(r);
  }
  Events Settle(TradeId trade, ClaimStatus status) {
    ClaimSettle s;
    s.trade_id = trade;
    s.status = status;
    return Exec(s);
  }

  // ---- queries -------------------------------------------------------------
  InstrumentId Sym() const { return engine.FindInstrument(kSym); }
  MemberId M(const std::string& member) const { return engine.FindMember(member); }
  AttestationId A(const std::string& a) const { return engine.FindAttestation(a); }
  ProgramId Prog(const std::string& p) const { return engine.FindProgram(p); }
  BookDepth Depth(const std::string& symbol = kSym) const {
    return engine.Depth(engine.FindInstrument(symbol));
  }
  std::vector<OrderView> Open(const std::string& member) const {
    return engine.OpenOrders(engine.FindMember(member));
  }
  bool IsLive(OrderId id) const {
    for (const OrderView& v : engine.AllOrders())
      if (v.id == id) return true;
    return false;
  }
  const OrderView* Live(OrderId id) {
    live_cache_ = engine.AllOrders();
    for (const OrderView& v : live_cache_)
      if (v.id == id) return &v;
    return nullptr;
  }
  // Executes `body`, which must fail with `code` and change nothing: no
  // events, no id consumed, the same observable state (Fingerprint: every
  // live order, every book, reference data, ledgers, claims, id counters).
  // It runs at the same ts as the previous command, so the clock does not move.
  // Engine::Digest() itself is compared in validation_test.cc ("a rejected
  // command leaves Engine::Digest() unchanged"): kept separate so that one
  // root cause there does not fail every rejection test here.
  Events ExpectRejected(const CommandBody& body, ErrorCode code) {
    const std::string before = Fingerprint(engine);
    Events e = Exec(body);
    CHECK(e.status.code() == code);
    CHECK_FALSE(e.status.message().empty());
    CHECK(e.trades.empty());
    CHECK(e.done.empty());
    CHECK(e.book.empty());
    CHECK(e.count == 0);
    const std::string after = Fingerprint(engine);
    const bool unchanged = after == before;
    CHECK(unchanged);
    return e;
  }

  // Every observable piece of state except the command counter and the clock.
  static std::string Fingerprint(const Engine& en) {
    std::string s;
    auto add = [&s](int64_t v) {
      s += std::to_string(v);
      s += ',';
    };
    auto str = [&s](std::string_view v) {
      s += std::to_string(v.size());
      s += ':';
      s += v;
      s += ',';
    };
    const EngineCounters c = en.counters();
    add(static_cast<int64_t>(c.resting_orders));
    add(static_cast<int64_t>(c.next_order_id));
    add(static_cast<int64_t>(c.next_trade_id));
    s += "|orders";
    for (const OrderView& v : en.AllOrders()) {
      add(static_cast<int64_t>(v.id)), add(v.member), add(v.instrument);
      add(static_cast<int>(v.side)), add(static_cast<int>(v.tif)), add(static_cast<int>(v.status));
      add(static_cast<int>(v.reason)), add(v.price.v), add(v.filled.v), add(v.open.v);
      add(v.min_qty.v), add(v.expire_at), add(v.attestation), add(v.voucher);
      str(v.client_order_id.view());
    }
    s += "|instruments";
    for (InstrumentId i = 0; i < en.instruments().size(); ++i) {
      const Instrument& in = en.instruments()[i];
      str(in.symbol), str(in.domain), add(in.tier), add(in.tick.v), add(in.lot.v), add(in.halted);
      const BookDepth d = en.Depth(i);
      for (const BookLevel& l : d.bids) add(l.price.v), add(l.qty.v), add(l.orders);
      s += '/';
      for (const BookLevel& l : d.asks) add(l.price.v), add(l.qty.v), add(l.orders);
      s += ';';
    }
    s += "|members";
    for (const Member& m : en.members())
      str(m.member), str(m.group), add(m.roles), add(m.tier), add(m.suspended);
    s += "|attestations";
    for (const Attestation& a : en.attestations())
      str(a.attestation), add(a.member), add(a.licences), add(a.tier), add(a.issued_at),
          add(a.expires_at), add(a.revoked), str(a.revoke_reason);
    s += "|programs";
    for (ProgramId p = 0; p < en.programs().size(); ++p) {
      const Program& pr = en.programs()[p];
      str(pr.program), add(pr.rate_bps), add(pr.member_cap.v), add(pr.budget.v),
          add(pr.budget_left.v), add(pr.year), add(pr.delivery_required);
      for (const std::string& d : pr.domains) str(d);
      for (MemberId m = 0; m < en.members().size(); ++m) {
        const Ledger* l = en.FindLedger(p, m);
        if (l == nullptr) continue;
        add(m), add(l->reserved.v), add(l->approved.v), add(l->paid.v), add(l->rejected.v);
      }
      for (const Claim& cl : en.Claims(p))
        add(static_cast<int64_t>(cl.trade_id)), add(cl.member), add(cl.amount.v),
            add(static_cast<int>(cl.status)), add(cl.ts);
      s += ';';
    }
    s += "|deliveries";
    for (TradeId t = 1; t < c.next_trade_id; ++t) {
      DeliveryView d;
      if (en.FindDelivery(t, &d)) add(static_cast<int64_t>(t)), add(static_cast<int>(d.state));
    }
    return s;
  }

  void BuildStandardWorld() {
    AddInstrument(kSym, "medical", Licence::kTraining, 2, 100, 10);
    for (const char* b : {"B1", "B2", "B3"}) AddMember(b, std::string("G") + b, kRoleBuyer, 4);
    for (const char* s : {"S1", "S2", "S3"}) AddMember(s, std::string("G") + s, kRoleSeller, 4);
    AddMember("X1", "GX1", kRoleBuyer | kRoleSeller, 4);
    for (const char* s : {"S1", "S2", "S3", "X1"}) AddAttestation(std::string("A-") + s, s);
  }

 private:
  uint64_t coid_seq_ = 0;
  std::vector<OrderView> live_cache_;
};

// ---- assertion helpers -----------------------------------------------------

inline void CheckLevel(const BookLevel& l, int64_t price, int64_t qty, uint32_t orders) {
  CHECK(l.price == Price{price});
  CHECK(l.qty == Qty{qty});
  CHECK(l.orders == orders);
}

// One market-data level change: where, and the level's aggregate after it.
inline void CheckChange(const LevelChange& c, InstrumentId inst, Side side, int64_t price,
                        int64_t qty, uint32_t orders) {
  CHECK(c.instrument == inst);
  CHECK(c.side == side);
  CHECK(c.price == Price{price});
  CHECK(c.qty == Qty{qty});
  CHECK(c.orders == orders);
}

inline void CheckFill(const Trade& t, TradeId id, int64_t price, int64_t qty, Side aggressor,
                      OrderId buy_order, OrderId sell_order) {
  CHECK(t.id == id);
  CHECK(t.price == Price{price});
  CHECK(t.qty == Qty{qty});
  CHECK(t.notional == Fen{price * qty});
  CHECK(t.aggressor == aggressor);
  CHECK(t.buy_order == buy_order);
  CHECK(t.sell_order == sell_order);
}

}  // namespace corpex::test

// Catch2 printing of the strong types and enums.
namespace Catch {
template <typename Tag>
struct StringMaker<corpex::Strong<Tag>> {
  static std::string convert(const corpex::Strong<Tag>& v) { return std::to_string(v.v); }
};
template <>
struct StringMaker<corpex::OrderStatus> {
  static std::string convert(corpex::OrderStatus v) { return std::string(corpex::to_string(v)); }
};
template <>
struct StringMaker<corpex::Reason> {
  static std::string convert(corpex::Reason v) { return std::string(corpex::to_string(v)); }
};
template <>
struct StringMaker<corpex::Side> {
  static std::string convert(corpex::Side v) { return std::string(corpex::to_string(v)); }
};
template <>
struct StringMaker<corpex::ErrorCode> {
  static std::string convert(corpex::ErrorCode v) { return std::string(corpex::to_string(v)); }
};
template <>
struct StringMaker<corpex::ClaimStatus> {
  static std::string convert(corpex::ClaimStatus v) { return std::string(corpex::to_string(v)); }
};
template <>
struct StringMaker<corpex::Tif> {
  static std::string convert(corpex::Tif v) { return std::string(corpex::to_string(v)); }
};
}  // namespace Catch
