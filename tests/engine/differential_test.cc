// differential_test.cc — the engine against the slow reference book.
//
// Both are fed the same fixed-seed random streams (random_commands.h: five
// streams of 100,000 commands, three standard, one heavy on long-lived GTDs,
// one with deep books; the last two on tiny pre-sized pools). After every
// command the status, the subject order, every trade, every order that left
// the book, the kill / revoke count and the market-data level changes must
// agree; every 2,500 commands and at the end the whole state too: live
// orders, depth per instrument, the depth rebuilt from the level changes,
// ledgers, claims, budgets, counters and reference data. The first
// difference fails with the seed, the command index, the command, both
// answers and the commands before it.
//
// Then hand-picked edges (exact time bounds, caps, settlements, priority),
// checked against the reference and directly; and the rule that level
// changes are coalesced per level, in a test case of its own.
//
// Runs in about 3 s in a Release build (about 45 s under ASAN+UBSAN -O0).
// CORPEX_DIFF_COMMANDS overrides the commands per stream; CORPEX_DIFF_SEEDS
// (comma-separated) replaces the seeds, each then run in all three mixes.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "corpex/engine.h"
#include "engine/random_commands.h"
#include "engine/reference_book.h"

namespace corpex {
namespace {

using testing::Describe;
using testing::RandomCommands;

std::string Str(const OrderView& o) {
  std::ostringstream s;
  s << "{id=" << o.id << " member=" << o.member << " instrument=" << o.instrument
    << " side=" << int(o.side) << " tif=" << int(o.tif) << " status=" << to_string(o.status)
    << " reason=" << to_string(o.reason) << " price=" << o.price.v << " filled=" << o.filled.v
    << " open=" << o.open.v << " min_qty=" << o.min_qty.v << " expire_at=" << o.expire_at
    << " attestation=" << o.attestation << " voucher=" << o.voucher << " coid='"
    << o.client_order_id.view() << "'}";
  return s.str();
}

std::string Str(const OrderAfter& a) {
  std::ostringstream s;
  s << "{" << to_string(a.status) << " filled=" << a.filled.v << " open=" << a.open.v << " coid='"
    << a.client_order_id.view() << "'}";
  return s.str();
}

std::string Str(const Trade& t) {
  std::ostringstream s;
  s << "{id=" << t.id << " ts=" << t.ts << " instrument=" << t.instrument << " price=" << t.price.v
    << " qty=" << t.qty.v << " notional=" << t.notional.v << " aggressor=" << int(t.aggressor)
    << " buy_order=" << t.buy_order << " sell_order=" << t.sell_order << " buyer=" << t.buyer
    << " seller=" << t.seller << " affiliated=" << t.affiliated << " attestation=" << t.attestation
    << " program=" << t.program << " offset=" << t.voucher_offset.v << " net_cost=" << t.net_cost.v
    << " buy_after=" << Str(t.buy_after) << " sell_after=" << Str(t.sell_after) << "}";
  return s.str();
}

bool Same(const OrderView& a, const OrderView& b) {
  return a.id == b.id && a.member == b.member && a.instrument == b.instrument && a.side == b.side &&
         a.tif == b.tif && a.status == b.status && a.reason == b.reason && a.price == b.price &&
         a.filled == b.filled && a.open == b.open && a.min_qty == b.min_qty &&
         a.expire_at == b.expire_at && a.attestation == b.attestation && a.voucher == b.voucher &&
         a.client_order_id.view() == b.client_order_id.view();
}

bool Same(const OrderAfter& a, const OrderAfter& b) {
  return a.status == b.status && a.filled == b.filled && a.open == b.open &&
         a.client_order_id.view() == b.client_order_id.view();
}

bool Same(const Trade& a, const Trade& b) {
  return a.id == b.id && a.ts == b.ts && a.instrument == b.instrument && a.price == b.price &&
         a.qty == b.qty && a.notional == b.notional && a.aggressor == b.aggressor &&
         a.buy_order == b.buy_order && a.sell_order == b.sell_order && a.buyer == b.buyer &&
         a.seller == b.seller && a.affiliated == b.affiliated && a.attestation == b.attestation &&
         a.program == b.program && a.voucher_offset == b.voucher_offset &&
         a.net_cost == b.net_cost && Same(a.buy_after, b.buy_after) &&
         Same(a.sell_after, b.sell_after);
}

std::string Str(const BookLevel& l) {
  return testing::Cat({"{", std::to_string(l.price.v), " x ", std::to_string(l.qty.v), " (",
                       std::to_string(l.orders), ")}"});
}
bool Same(const BookLevel& a, const BookLevel& b) {
  return a.price == b.price && a.qty == b.qty && a.orders == b.orders;
}
std::string Str(const Claim& c) {
  std::ostringstream s;
  s << "{trade=" << c.trade_id << " program=" << c.program << " member=" << c.member
    << " amount=" << c.amount.v << " status=" << to_string(c.status) << " ts=" << c.ts << "}";
  return s.str();
}
bool Same(const Claim& a, const Claim& b) {
  return a.trade_id == b.trade_id && a.program == b.program && a.member == b.member &&
         a.amount == b.amount && a.status == b.status && a.ts == b.ts;
}

template <typename T>
void DiffList(std::ostringstream& out, const char* what, const std::vector<T>& expected,
              const std::vector<T>& actual) {
  const size_t n = std::max(expected.size(), actual.size());
  bool header = false;
  for (size_t i = 0; i < n; ++i) {
    const bool both = i < expected.size() && i < actual.size();
    if (both && Same(expected[i], actual[i])) continue;
    if (!header) {
      out << what << ": reference has " << expected.size() << ", engine has " << actual.size()
          << "\n";
      header = true;
    }
    out << "  [" << i << "] reference " << (i < expected.size() ? Str(expected[i]) : "-")
        << "\n      engine    " << (i < actual.size() ? Str(actual[i]) : "-") << "\n";
  }
}

// Differences between the reference's and the engine's answer to one command.
std::string DiffAnswer(const Command& c, const ref::Output& e, const Events& a) {
  std::ostringstream out;
  if (e.code != a.status.code()) {
    out << "status: reference " << to_string(e.code) << ", engine " << to_string(a.status.code())
        << " (" << a.status.message() << ")\n";
  }
  if (e.code == ErrorCode::kOk || a.status.ok()) {
    if (e.has_order != a.has_order)
      out << "has_order: reference " << e.has_order << ", engine " << a.has_order << "\n";
    else if (e.has_order && !Same(e.order, a.order))
      out << "order:\n  reference " << Str(e.order) << "\n  engine    " << Str(a.order) << "\n";
  }
  DiffList(out, "trades", e.trades, a.trades);
  DiffList(out, "done", e.done, a.done);
  // events.h defines `count` for kill and revoke only.
  const bool counted = std::holds_alternative<MemberKill>(c.body) ||
                       std::holds_alternative<AttestationRevoke>(c.body);
  if (counted && e.count != a.count)
    out << "count: reference " << e.count << ", engine " << a.count << "\n";
  return out.str();
}

// Differences in the whole state.
std::string DiffState(const ref::ReferenceBook& r, const Engine& e) {
  std::ostringstream out;
  const EngineCounters k = e.counters();
  if (k.next_order_id != r.next_order_id() || k.next_trade_id != r.next_trade_id() ||
      k.clock != r.clock()) {
    out << "counters: reference next_order=" << r.next_order_id()
        << " next_trade=" << r.next_trade_id() << " clock=" << r.clock()
        << "; engine next_order=" << k.next_order_id << " next_trade=" << k.next_trade_id
        << " clock=" << k.clock << "\n";
  }
  const std::vector<OrderView> live = r.AllOrders();
  if (k.resting_orders != live.size())
    out << "resting_orders: reference " << live.size() << ", engine " << k.resting_orders << "\n";
  DiffList(out, "AllOrders", live, e.AllOrders());

  if (r.instruments().size() != e.instruments().size())
    out << "instruments: reference " << r.instruments().size() << ", engine "
        << e.instruments().size() << "\n";
  for (InstrumentId i = 0; i < r.instruments().size() && i < e.instruments().size(); ++i) {
    const Instrument& ri = r.instruments()[i];
    const Instrument& ei = e.instruments()[i];
    if (ri.symbol != ei.symbol || ri.halted != ei.halted || ri.tick != ei.tick ||
        ri.lot != ei.lot || ri.tier != ei.tier || ri.domain != ei.domain ||
        ri.licence != ei.licence)
      out << "instrument " << i << " (" << ri.symbol << ") differs: halted " << ri.halted << "/"
          << ei.halted << "\n";
    if (e.FindInstrument(ri.symbol) != i)
      out << "FindInstrument(" << ri.symbol << ") != " << i << "\n";
    const BookDepth rd = r.Depth(i), ed = e.Depth(i);
    DiffList(out, testing::Cat({"bids of ", ri.symbol}).c_str(), rd.bids, ed.bids);
    DiffList(out, testing::Cat({"asks of ", ri.symbol}).c_str(), rd.asks, ed.asks);
  }
  if (r.members().size() != e.members().size())
    out << "members: reference " << r.members().size() << ", engine " << e.members().size() << "\n";
  for (MemberId m = 0; m < r.members().size() && m < e.members().size(); ++m) {
    const Member& rm = r.members()[m];
    const Member& em = e.members()[m];
    if (rm.member != em.member || rm.suspended != em.suspended || rm.group != em.group ||
        rm.roles != em.roles || rm.tier != em.tier)
      out << "member " << m << " (" << rm.member << ") differs: suspended " << rm.suspended << "/"
          << em.suspended << "\n";
  }
  if (r.attestations().size() != e.attestations().size())
    out << "attestations: reference " << r.attestations().size() << ", engine "
        << e.attestations().size() << "\n";
  for (AttestationId a = 0; a < r.attestations().size() && a < e.attestations().size(); ++a) {
    const Attestation& ra = r.attestations()[a];
    const Attestation& ea = e.attestations()[a];
    if (ra.attestation != ea.attestation || ra.revoked != ea.revoked || ra.member != ea.member ||
        ra.expires_at != ea.expires_at || ra.issued_at != ea.issued_at)
      out << "attestation " << a << " (" << ra.attestation << ") differs: revoked " << ra.revoked
          << "/" << ea.revoked << "\n";
  }
  if (r.programs().size() != e.programs().size())
    out << "programs: reference " << r.programs().size() << ", engine " << e.programs().size()
        << "\n";
  for (ProgramId p = 0; p < r.programs().size() && p < e.programs().size(); ++p) {
    if (r.BudgetLeft(p) != e.programs()[p].budget_left)
      out << "program " << r.programs()[p].program << " budget_left: reference "
          << r.BudgetLeft(p).v << ", engine " << e.programs()[p].budget_left.v << "\n";
    for (MemberId m = 0; m < r.members().size(); ++m) {
      const std::optional<Ledger> rl = r.FindLedger(p, m);
      const Ledger* el = e.FindLedger(p, m);
      if (rl.has_value() != (el != nullptr)) {
        out << "ledger " << r.programs()[p].program << "/" << r.members()[m].member
            << ": reference " << (rl ? "enrolled" : "none") << ", engine "
            << (el ? "enrolled" : "none") << "\n";
      } else if (rl && (rl->reserved != el->reserved || rl->approved != el->approved ||
                        rl->paid != el->paid || rl->rejected != el->rejected)) {
        out << "ledger " << r.programs()[p].program << "/" << r.members()[m].member
            << ": reference r/a/p/x=" << rl->reserved.v << "/" << rl->approved.v << "/"
            << rl->paid.v << "/" << rl->rejected.v << ", engine " << el->reserved.v << "/"
            << el->approved.v << "/" << el->paid.v << "/" << el->rejected.v << "\n";
      }
    }
    const std::vector<Claim> rc = r.Claims(p);
    DiffList(out, testing::Cat({"claims of ", r.programs()[p].program}).c_str(), rc, e.Claims(p));
    for (const Claim& c : rc) {
      const Claim* ec = e.FindClaim(c.trade_id);
      if (ec == nullptr || !Same(c, *ec)) out << "FindClaim(" << c.trade_id << ") differs\n";
    }
  }
  return out.str();
}

// The market-data feed: the last LevelChange of each level must state the
// level as the reference has it after the command (qty 0, orders 0: gone);
// applied in turn the changes must rebuild the depth. With `coalesced`, each
// level may also appear only once per Events (events.h: "coalesced per
// level"); that rule has its own test case below, so that a breach of it does
// not hide everything else the differential test checks.
class ShadowBook {
 public:
  explicit ShadowBook(bool coalesced) : coalesced_(coalesced) {}

  std::string Apply(const ref::ReferenceBook& r, const Events& e) {
    std::ostringstream out;
    std::map<std::tuple<InstrumentId, int, int64_t>, const LevelChange*> last;
    for (const LevelChange& c : e.book) {
      const auto key = std::make_tuple(c.instrument, int(c.side), c.price.v);
      auto [it, fresh] = last.emplace(key, &c);
      if (!fresh) {
        if (coalesced_)
          out << "book: level " << c.instrument << "/" << (c.side == Side::kBuy ? "buy" : "sell")
              << "/" << c.price.v << " reported more than once in one Events (events.h: "
              << "\"coalesced per level\"): qty " << it->second->qty.v << " then " << c.qty.v
              << "\n";
        it->second = &c;
      }
    }
    std::map<InstrumentId, BookDepth> depth;
    for (const auto& [key, c] : last) {
      if (c->instrument >= r.instruments().size()) {
        out << "book: change for unknown instrument " << c->instrument << "\n";
        continue;
      }
      auto d = depth.find(c->instrument);
      if (d == depth.end()) d = depth.emplace(c->instrument, r.Depth(c->instrument)).first;
      const std::vector<BookLevel>& side = c->side == Side::kBuy ? d->second.bids : d->second.asks;
      BookLevel want{c->price, Qty{0}, 0};
      for (const BookLevel& l : side)
        if (l.price == c->price) want = l;
      if (want.qty != c->qty || want.orders != c->orders)
        out << "book: level " << c->instrument << "/" << int(c->side) << " " << c->price.v
            << " reported as qty " << c->qty.v << " orders " << c->orders << ", reference level "
            << Str(want) << "\n";
      if (c->qty.v == 0)
        levels_.erase(key);
      else
        levels_[key] = {c->qty.v, c->orders};
    }
    return out.str();
  }

  // Depth rebuilt from the feed alone, against the reference.
  std::string Check(const ref::ReferenceBook& r) const {
    std::ostringstream out;
    std::map<std::tuple<InstrumentId, int, int64_t>, std::pair<int64_t, uint32_t>> want;
    for (InstrumentId i = 0; i < r.instruments().size(); ++i) {
      const BookDepth d = r.Depth(i);
      for (const BookLevel& l : d.bids) want[{i, int(Side::kBuy), l.price.v}] = {l.qty.v, l.orders};
      for (const BookLevel& l : d.asks)
        want[{i, int(Side::kSell), l.price.v}] = {l.qty.v, l.orders};
    }
    if (want != levels_) {
      out << "book feed: " << levels_.size() << " levels rebuilt from LevelChanges, reference has "
          << want.size() << "\n";
      for (const auto& [k, v] : want) {
        auto it = levels_.find(k);
        if (it == levels_.end() || it->second != v)
          out << "  level " << std::get<0>(k) << "/" << std::get<1>(k) << "/" << std::get<2>(k)
              << ": reference " << v.first << " (" << v.second << "), feed "
              << (it == levels_.end() ? std::string("-") : std::to_string(it->second.first))
              << "\n";
      }
      for (const auto& [k, v] : levels_)
        if (!want.count(k))
          out << "  level " << std::get<0>(k) << "/" << std::get<1>(k) << "/" << std::get<2>(k)
              << ": only in the feed (" << v.first << ")\n";
    }
    return out.str();
  }

 private:
  bool coalesced_;
  std::map<std::tuple<InstrumentId, int, int64_t>, std::pair<int64_t, uint32_t>> levels_;
};

uint64_t CommandsPerSeed() {
  if (const char* env = std::getenv("CORPEX_DIFF_COMMANDS")) return std::strtoull(env, nullptr, 10);
  return 100'000;
}

void RunSeed(uint64_t seed, uint64_t n, testing::Mix mix, bool coalesced = false,
             size_t expected_orders = Engine::Options{}.expected_orders) {
  Engine::Options options;
  options.expected_orders = expected_orders;  // when small, the pools must grow
  Engine engine(options);
  ref::ReferenceBook reference;
  RandomCommands gen(seed, mix);
  ShadowBook feed(coalesced);
  std::deque<std::string> recent;  // context for a failure message
  const auto fail = [&](uint64_t i, const Command& c, const std::string& diff) {
    std::ostringstream msg;
    msg << "seed 0x" << std::hex << seed << std::dec << ", command #" << i << ": " << Describe(c)
        << "\n"
        << diff;
    msg << "preceding commands:\n";
    for (const std::string& s : recent) msg << "  " << s << "\n";
    FAIL(msg.str());
  };
  for (uint64_t i = 0; i < n; ++i) {
    const Command c = gen.Next();
    const Events& actual = engine.Execute(c);
    const ref::Output expected = reference.Execute(c);
    const std::string diff = DiffAnswer(c, expected, actual) + feed.Apply(reference, actual);
    if (!diff.empty()) fail(i, c, diff);
    gen.Observe(expected.code, expected.has_order, expected.order, expected.trades);
    if (i % 2500 == 2499 || i + 1 == n) {
      const std::string state = DiffState(reference, engine) + feed.Check(reference);
      if (!state.empty()) fail(i, c, testing::Cat({"state after the command:\n", state}));
    }
    recent.push_back(testing::Cat({"#", std::to_string(i), " ", Describe(c)}));
    if (recent.size() > 8) recent.pop_front();
  }
}

struct Stream {
  uint64_t seed;
  testing::Mix mix;
  const char* name;
  size_t expected_orders = Engine::Options{}.expected_orders;
};

// CORPEX_DIFF_SEEDS=a,b,c replaces the fixed seeds (to hunt with more); each
// seed then runs all four mixes.
std::vector<Stream> Streams() {
  using testing::Mix;
  std::vector<Stream> streams = {{0x5eed0001ULL, Mix::Standard(), "standard"},
                                 {0xc0ffee02ULL, Mix::Standard(), "standard"},
                                 {0x7e57ab1eULL, Mix::Standard(), "standard"},
                                 {0x0ddba113ULL, Mix::GtdHeavy(), "gtd-heavy", 8},
                                 {0xdeadbeefULL, Mix::DeepBook(), "deep-book", 16},
                                 {0x0fa12ce5ULL, Mix::FarPrices(), "far-prices", 16}};
  if (const char* env = std::getenv("CORPEX_DIFF_SEEDS")) {
    streams.clear();
    for (const char* p = env; *p != 0;) {
      char* end = nullptr;
      const uint64_t seed = std::strtoull(p, &end, 0);
      if (end == p) break;
      streams.push_back({seed, Mix::Standard(), "standard"});
      streams.push_back({seed, Mix::GtdHeavy(), "gtd-heavy", 8});
      streams.push_back({seed, Mix::DeepBook(), "deep-book", 16});
      streams.push_back({seed, Mix::FarPrices(), "far-prices", 16});
      p = *end == ',' ? end + 1 : end;
    }
  }
  return streams;
}

TEST_CASE("engine agrees with the reference book on random streams", "[engine][differential]") {
  const uint64_t n = CommandsPerSeed();
  for (const Stream& stream : Streams()) {
    const uint64_t seed = stream.seed;
    const auto start = std::chrono::steady_clock::now();
    INFO("stream " << stream.name << " seed 0x" << std::hex << seed);
    RunSeed(seed, n, stream.mix, /*coalesced=*/false, stream.expected_orders);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    SUCCEED(stream.name << " seed 0x" << std::hex << seed << std::dec << ": " << n
                        << " commands agree (" << ms << " ms)");
  }
}

// ---- hand-picked edges ------------------------------------------------------
//
// Exact boundaries a random stream meets only by luck. Each command goes to
// both the engine and the reference (and must agree as above); the key facts
// are also checked directly on the engine's answer, so that these cases do
// not rest on the reference alone.

class Script {
 public:
  explicit Script(bool coalesced = false) : feed_(coalesced) { Setup(); }

  const Events& Run(const CommandBody& body, TimeNs advance = testing::kMs) {
    t_ += advance;
    return At(t_, body);
  }
  const Events& At(TimeNs ts, const CommandBody& body) {
    t_ = std::max(t_, ts);
    const Command c{ts, body};
    const Events& actual = engine.Execute(c);
    const ref::Output expected = reference.Execute(c);
    const std::string diff = DiffAnswer(c, expected, actual) + feed_.Apply(reference, actual);
    if (!diff.empty()) FAIL("command " << Describe(c) << "\n" << diff);
    const std::string state = DiffState(reference, engine) + feed_.Check(reference);
    if (!state.empty()) FAIL("after " << Describe(c) << "\n" << state);
    return actual;
  }

  NewOrder Order(const char* member, const char* symbol, Side side, int64_t qty, int64_t price,
                 Tif tif = Tif::kGtc) {
    NewOrder o;
    o.member = MemberName::of(member);
    o.instrument = Name::of(symbol);
    o.side = side;
    o.tif = tif;
    o.qty = Qty{qty};
    o.price = Price{price};
    o.client_order_id = ClientOrderId::of(testing::Cat({"k", std::to_string(++coid_)}));
    if (side == Side::kSell) o.attestation = Name::of(testing::Cat({"AT-", member}));
    return o;
  }
  NewOrder Buy(const char* member, int64_t qty, int64_t price, const char* voucher = "",
               Tif tif = Tif::kGtc) {
    NewOrder o = Order(member, "MED", Side::kBuy, qty, price, tif);
    o.voucher = Name::of(voucher);
    return o;
  }
  NewOrder Sell(const char* member, int64_t qty, int64_t price, Tif tif = Tif::kGtc) {
    return Order(member, "MED", Side::kSell, qty, price, tif);
  }
  OrderId Place(const NewOrder& o) {
    const Events& e = Run(o);
    REQUIRE(e.status.ok());
    return e.order.id;
  }
  TimeNs now() const { return t_; }
  ProgramId program(const char* name) const { return engine.FindProgram(name); }

  Engine engine;
  ref::ReferenceBook reference;

 private:
  void Setup() {
    InstrumentCreate med;
    med.symbol = Name::of("MED");
    med.domain = DomainName::of("medical");
    med.language = Language::of("zh");
    med.licence = Licence::kTraining;
    med.term_months = 12;
    med.tier = 1;
    med.tick = Price{10};
    med.lot = Qty{1};
    Run(med);
    // Buyers B1 (group G1), B2 (G2); sellers S1 (G3), S2 (G1, affiliated with
    // B1); X (G4) both buys and sells.
    const auto member = [this](const char* name, const char* group, uint8_t roles) {
      MemberCreate m;
      m.member = MemberName::of(name);
      m.name = Text::of(name);
      m.group = MemberName::of(group);
      m.roles = roles;
      m.tier = 4;
      Run(m);
    };
    member("B1", "G1", kRoleBuyer);
    member("B2", "G2", kRoleBuyer);
    member("S1", "G3", kRoleSeller);
    member("S2", "G1", kRoleSeller);
    member("X", "G4", kRoleBuyer | kRoleSeller);
    for (const char* m : {"S1", "S2", "X"}) {
      AttestationRegister a;
      a.attestation = Name::of(testing::Cat({"AT-", m}));
      a.member = MemberName::of(m);
      a.dataset = DatasetHex::of(std::string(64, 'a'));
      a.assessor = Text::of("assessor");
      a.licences = 0xF;
      a.tier = 1;
      a.issued_at = testing::kStreamStart - testing::kMin;
      a.expires_at = testing::kStreamStart + 24 * 60 * testing::kMin;
      Run(a);
    }
    const auto program = [this](const char* name, int32_t rate, int64_t cap, int64_t budget,
                                int32_t year) {
      ProgramCreate p;
      p.program = Name::of(name);
      p.rate_bps = rate;
      p.member_cap = Fen{cap};
      p.budget = Fen{budget};
      p.year = year;
      p.domain_count = 1;
      p.domains[0] = DomainName::of("medical");
      Run(p);
    };
    program("P25", 3000, 1000, 1500, 2025);
    program("P26", 5000, 1'000'000, 1'000'000, 2026);
    for (const char* m : {"B1", "B2", "X"})
      for (const char* p : {"P25", "P26"}) Run(Enrol{Name::of(p), MemberName::of(m)});
  }

  TimeNs t_ = testing::kStreamStart;
  int coid_ = 0;
  ShadowBook feed_;
};

TEST_CASE("hand-picked edges agree with the reference", "[engine][differential][edges]") {
  using testing::kMs;
  using testing::kSec;
  Script s;

  SECTION("voucher year turns at midnight China Standard Time") {
    // 2025-12-31T16:00:00Z is 2026-01-01 00:00 CST.
    const TimeNs midnight = 1767196800LL * kSec;
    s.Place(s.Sell("S1", 10, 100));
    s.At(midnight - 1, s.Buy("B1", 1, 100, "P25"));
    const Events& a = s.At(midnight - 1, s.Buy("B2", 1, 100, "P25"));
    REQUIRE(a.trades.size() == 1);
    CHECK(a.trades[0].program == s.program("P25"));
    CHECK(a.trades[0].voucher_offset == Fen{30});  // floor(100 x 3000 / 10000)
    CHECK(a.trades[0].net_cost == Fen{70});
    const Events& b = s.At(midnight, s.Buy("B2", 1, 100, "P25"));
    REQUIRE(b.trades.size() == 1);
    CHECK(b.trades[0].program == kNone);
    CHECK(b.trades[0].voucher_offset == Fen{0});
    const Events& c = s.At(midnight, s.Buy("B2", 1, 100, "P26"));
    REQUIRE(c.trades.size() == 1);
    CHECK(c.trades[0].program == s.program("P26"));
    CHECK(c.trades[0].voucher_offset == Fen{50});
  }

  SECTION("member cap, budget, rejection gives back, illegal settlements") {
    const ProgramId p25 = s.program("P25");
    s.Place(s.Sell("S1", 100, 100));
    // Each fill of 10 @ 100 earns 300 of P25; the member cap is 1000.
    std::vector<TradeId> b1;
    for (int i = 0; i < 5; ++i) {
      const Events& e = s.Run(s.Buy("B1", 10, 100, "P25"));
      REQUIRE(e.trades.size() == 1);
      b1.push_back(e.trades[0].id);
    }
    const Ledger* l = s.engine.FindLedger(p25, s.engine.FindMember("B1"));
    REQUIRE(l != nullptr);
    CHECK(l->reserved == Fen{1000});
    CHECK(s.engine.FindClaim(b1[3])->amount == Fen{100});  // the cap's last 100
    CHECK(s.engine.FindClaim(b1[4]) == nullptr);           // eligible, nothing left
    // B2 meets the budget: 1500 - 1000 = 500 left.
    const Events& x = s.Run(s.Buy("B2", 10, 100, "P25"));
    CHECK(x.trades[0].voucher_offset == Fen{300});
    const Events& y = s.Run(s.Buy("B2", 10, 100, "P25"));
    CHECK(y.trades[0].voucher_offset == Fen{200});
    CHECK(s.engine.programs()[p25].budget_left == Fen{0});
    // Settlement moves.
    const auto settle = [&s](TradeId t, ClaimStatus to) {
      return s.Run(ClaimSettle{t, to}).status.code();
    };
    CHECK(settle(b1[0], ClaimStatus::kPaid) == ErrorCode::kBadRequest);      // skips approval
    CHECK(settle(b1[0], ClaimStatus::kReserved) == ErrorCode::kBadRequest);  // no move
    CHECK(settle(b1[0], ClaimStatus::kApproved) == ErrorCode::kOk);
    CHECK(settle(b1[0], ClaimStatus::kApproved) == ErrorCode::kBadRequest);
    CHECK(settle(b1[0], ClaimStatus::kPaid) == ErrorCode::kOk);
    CHECK(settle(b1[0], ClaimStatus::kRejected) == ErrorCode::kBadRequest);  // paid is final
    CHECK(settle(b1[4], ClaimStatus::kApproved) == ErrorCode::kBadRequest);  // no claim
    CHECK(settle(999'999, ClaimStatus::kApproved) == ErrorCode::kBadRequest);
    CHECK(settle(b1[1], ClaimStatus::kApproved) == ErrorCode::kOk);
    CHECK(settle(b1[1], ClaimStatus::kRejected) == ErrorCode::kOk);          // approved -> rejected
    CHECK(settle(b1[1], ClaimStatus::kApproved) == ErrorCode::kBadRequest);  // rejected is final
    CHECK(settle(b1[2], ClaimStatus::kRejected) == ErrorCode::kOk);          // reserved -> rejected
    // 600 came back to B1's cap and to the budget.
    l = s.engine.FindLedger(p25, s.engine.FindMember("B1"));
    CHECK(l->reserved == Fen{400});
    CHECK(l->paid == Fen{300});
    CHECK(l->rejected == Fen{600});
    CHECK(s.engine.programs()[p25].budget_left == Fen{600});
    const Events& z = s.Run(s.Buy("B1", 10, 100, "P25"));
    CHECK(z.trades[0].voucher_offset == Fen{300});
    // Affiliated: S2 and B1 share group G1.
    s.Place(s.Sell("S2", 10, 90));
    const Events& aff = s.Run(s.Buy("B1", 10, 90, "P25"));
    REQUIRE(aff.trades.size() == 1);
    CHECK(aff.trades[0].affiliated);
    CHECK(aff.trades[0].program == kNone);
    CHECK(aff.trades[0].voucher_offset == Fen{0});
  }

  SECTION("expiry is due at exactly expire_at") {
    NewOrder gtd = s.Sell("S1", 5, 100, Tif::kGtd);
    gtd.expire_at = s.now() + kMs;  // the next command runs at now + 1 ms
    CHECK(s.Run(gtd).status.code() == ErrorCode::kInvalidTif);
    gtd.expire_at = s.now() + 10 * kMs;
    const OrderId id = s.Place(gtd);
    s.Place(s.Sell("S2", 5, 110));
    const Events& e = s.At(gtd.expire_at, s.Buy("B2", 5, 110));
    REQUIRE(e.done.size() == 1);
    CHECK(e.done[0].id == id);
    CHECK(e.done[0].status == OrderStatus::kExpired);
    CHECK(e.done[0].reason == Reason::kGtdExpired);
    REQUIRE(e.trades.size() == 1);
    CHECK(e.trades[0].price == Price{110});
  }

  SECTION("attestation validity at its bounds") {
    AttestationRegister a;
    a.attestation = Name::of("AT-S1-short");
    a.member = MemberName::of("S1");
    a.dataset = DatasetHex::of(std::string(64, 'b'));
    a.assessor = Text::of("assessor");
    a.licences = 1u << static_cast<unsigned>(Licence::kTraining);
    a.tier = 1;
    a.issued_at = s.now() + 5 * kMs;
    a.expires_at = s.now() + 50 * kMs;
    s.Run(a);
    NewOrder o = s.Sell("S1", 5, 100);
    o.attestation = a.attestation;
    CHECK(s.At(a.issued_at - 1, o).status.code() == ErrorCode::kAttestationInvalid);
    o.client_order_id = ClientOrderId::of("at-issued");
    const Events& placed = s.At(a.issued_at, o);  // issued_at == now: valid
    REQUIRE(placed.status.ok());
    // At expires_at the order is due: a tick cancels it.
    const Events& t = s.At(a.expires_at, Tick{});
    REQUIRE(t.done.size() == 1);
    CHECK(t.done[0].id == placed.order.id);
    CHECK(t.done[0].status == OrderStatus::kCanceled);
    CHECK(t.done[0].reason == Reason::kAttestationExpired);
    o.client_order_id = ClientOrderId::of("at-expired");
    CHECK(s.Run(o).status.code() == ErrorCode::kAttestationInvalid);
  }

  SECTION("a FOK that fails changes nothing, not even a lazy expiry") {
    NewOrder gtd = s.Sell("S1", 5, 100, Tif::kGtd);
    gtd.expire_at = s.now() + 5 * kMs;
    const OrderId due = s.Place(gtd);
    s.Place(s.Sell("S2", 4, 100));
    const Events& fail = s.Run(s.Buy("B2", 5, 100, "", Tif::kFok), 10 * kMs);
    CHECK(fail.order.status == OrderStatus::kExpired);
    CHECK(fail.order.reason == Reason::kFokUnfilled);
    CHECK(fail.trades.empty());
    CHECK(fail.done.empty());
    CHECK(s.engine.AllOrders().size() == 2);  // the due GTD waits for a tick or a touch
    const Events& ok = s.Run(s.Buy("B2", 4, 100, "", Tif::kFok));
    CHECK(ok.order.status == OrderStatus::kFilled);
    REQUIRE(ok.done.size() == 1);
    CHECK(ok.done[0].id == due);
  }

  SECTION("min_qty skips keep their place; self-trade after a skip") {
    NewOrder own = s.Order("X", "MED", Side::kSell, 5, 100);
    own.min_qty = Qty{5};
    const OrderId own_id = s.Place(own);
    const OrderId other = s.Place(s.Sell("S1", 3, 100));
    // X buys 3: its own sell cannot fill 3 (min_qty 5), is skipped, S1 fills.
    const Events& a = s.Run(s.Order("X", "MED", Side::kBuy, 3, 100));
    REQUIRE(a.trades.size() == 1);
    CHECK(a.trades[0].sell_order == other);
    CHECK(a.order.status == OrderStatus::kFilled);
    // X buys 10: its own sell is next and could fill 5: self-trade prevention.
    const Events& b = s.Run(s.Order("X", "MED", Side::kBuy, 10, 100));
    CHECK(b.trades.empty());
    CHECK(b.order.status == OrderStatus::kCanceled);
    CHECK(b.order.reason == Reason::kSelfTradePrevented);
    // B2 with min_qty 6 skips the 5 and rests; the 5 keeps its place.
    NewOrder big = s.Buy("B2", 6, 100);
    big.min_qty = Qty{6};
    const Events& c = s.Run(big);
    CHECK(c.trades.empty());
    CHECK(c.order.status == OrderStatus::kNew);
    const std::vector<OrderView> live = s.engine.AllOrders();
    REQUIRE(live.size() == 2);
    CHECK(live[0].id == own_id);
  }

  SECTION("replace keeps or loses time priority") {
    const OrderId a = s.Place(s.Sell("S1", 5, 100));
    const OrderId b = s.Place(s.Sell("S2", 5, 100));
    CHECK(s.Run(ReplaceOrder{MemberName::of("S1"), a, Qty{3}, Price{}, {}}).status.ok());
    CHECK(s.Run(ReplaceOrder{MemberName::of("S1"), a, Qty{3}, Price{100}, {}}).status.ok());
    const Events& first = s.Run(s.Buy("B2", 1, 100));
    CHECK(first.trades[0].sell_order == a);  // still first
    CHECK(s.Run(ReplaceOrder{MemberName::of("S1"), a, Qty{4}, Price{}, {}}).status.ok());  // raised
    const Events& second = s.Run(s.Buy("B2", 1, 100));
    CHECK(second.trades[0].sell_order == b);  // a went behind b
    // A replace that crosses trades as the aggressor, at the resting price.
    const OrderId bid = s.Place(s.Buy("B2", 2, 90));
    const Events& cross = s.Run(ReplaceOrder{MemberName::of("B2"), bid, Qty{}, Price{100}, {}});
    REQUIRE(cross.trades.size() == 1);
    CHECK(cross.trades[0].aggressor == Side::kBuy);
    CHECK(cross.trades[0].buy_order == bid);
    CHECK(cross.order.status == OrderStatus::kFilled);
  }

  SECTION("an order due to expire is gone for cancel and replace, not for a duplicate id") {
    NewOrder gtd = s.Buy("B2", 5, 90, "", Tif::kGtd);
    gtd.expire_at = s.now() + 5 * kMs;
    gtd.client_order_id = ClientOrderId::of("dup");
    const OrderId id = s.Place(gtd);
    // Interpretation (README is silent): until a tick or a touch removes it,
    // the due order still holds its client order id.
    NewOrder again = s.Buy("B2", 5, 90);
    again.client_order_id = ClientOrderId::of("dup");
    CHECK(s.Run(again, 10 * kMs).status.code() == ErrorCode::kDuplicateClientOrderId);
    // An invalid replace answers its input error and touches nothing.
    CHECK(s.Run(ReplaceOrder{MemberName::of("B2"), id, Qty{}, Price{95}, {}}).status.code() ==
          ErrorCode::kInvalidPrice);
    // Cancel touches it: it expires, and the cancel finds no live order.
    CancelOrder cancel;
    cancel.member = MemberName::of("B2");
    cancel.client_order_id = ClientOrderId::of("dup");
    const Events& e = s.Run(cancel);
    CHECK(e.status.code() == ErrorCode::kUnknownOrder);
    REQUIRE(e.done.size() == 1);
    CHECK(e.done[0].reason == Reason::kGtdExpired);
    CHECK(s.Run(again).status.ok());
  }

  SECTION("validation order of a new order") {
    // Several faults at once: the first in README's order wins.
    NewOrder o = s.Sell("B1", 0, -5, Tif::kIoc);  // B1 cannot sell; qty, price bad too
    o.expire_at = s.now() + kSec;
    CHECK(s.Run(o).status.code() == ErrorCode::kForbidden);
    o = s.Buy("B1", 0, -5, "", Tif::kIoc);
    o.expire_at = s.now() + kSec;
    CHECK(s.Run(o).status.code() == ErrorCode::kInvalidTif);
    o.expire_at = kNever;
    CHECK(s.Run(o).status.code() == ErrorCode::kInvalidQty);
    o.qty = Qty{1};
    CHECK(s.Run(o).status.code() == ErrorCode::kInvalidPrice);
    o.price = Price{10};
    o.client_order_id = ClientOrderId{};
    o.attestation = Name::of("AT-S1");
    CHECK(s.Run(o).status.code() == ErrorCode::kBadRequest);
    o.client_order_id = ClientOrderId::of("v1");
    CHECK(s.Run(o).status.code() == ErrorCode::kBadRequest);  // buy naming an attestation
    o.attestation = Name{};
    o.voucher = Name::of("P-NONE");
    CHECK(s.Run(o).status.code() == ErrorCode::kVoucherInvalid);
    NewOrder big = s.Buy("B1", std::numeric_limits<int64_t>::max() / 10, 20);
    CHECK(s.Run(big).status.code() == ErrorCode::kTooLarge);
    NewOrder other = s.Sell("S1", 1, 100);
    other.attestation = Name::of("AT-S2");  // another member's
    CHECK(s.Run(other).status.code() == ErrorCode::kAttestationInvalid);
  }
}

TEST_CASE("book changes in one Events are coalesced per level", "[engine][differential][book]") {
  // events.h: `book` is "coalesced per level, in order of first change". Mass
  // cancels (kill, suspend, revoke, tick) visit orders by id, not by level,
  // and a replace can leave a level and join it again after trading.
  SECTION("kill of orders on two levels, interleaved by id") {
    Script s(/*coalesced=*/true);
    s.Place(s.Sell("S1", 1, 100));
    s.Place(s.Sell("S1", 1, 110));
    s.Place(s.Sell("S1", 1, 100));
    // Expected book: [sell 100 -> 0 (0 orders)], [sell 110 -> 0]; each once.
    s.Run(MemberKill{MemberName::of("S1")});
  }
  SECTION("replace raising the only order of a level") {
    Script s(/*coalesced=*/true);
    const OrderId id = s.Place(s.Sell("S1", 1, 100));
    // The order leaves its level (now empty) and joins it again at the back.
    // Expected book: [sell 100 -> 2 (1 order)] once, not [100 -> 0], [100 -> 2].
    s.Run(ReplaceOrder{MemberName::of("S1"), id, Qty{2}, Price{}, {}});
  }
  SECTION("a random stream") {
    RunSeed(0x5eed0001ULL, std::min<uint64_t>(CommandsPerSeed(), 20'000), testing::Mix::Standard(),
            /*coalesced=*/true);
  }
}

}  // namespace
}  // namespace corpex
