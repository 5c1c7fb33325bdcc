// perf/engine_bench.cc — fixed-seed throughput and latency benchmark of the engine.
//
// Two workloads, each generated completely before anything is timed:
//   hot    one instrument, ~1,000 resting GTC orders over ~750 price levels;
//          then 82% replaces (price moves, some crossing), 9% new GTC, 3% IOC,
//          6% cancels, ~6% of commands trading (after exchange-core's
//          single-book benchmark).
//   large  >= 1,000,000 resting orders over >= 1,000 instruments (preload, not
//          timed); then 50% new GTC (some crossing), 35% cancels of random live
//          orders, 15% replaces.
//   tiny   the shape of a public order-book contest's feed (issue 23): one
//          instrument, prices in a ~50-tick band around a drifting mid, 10
//          buyers and 10 sellers, ~50% new GTC limits (half of them crossing),
//          ~50% cancels, most of them of orders that already filled (answered
//          UNKNOWN_ORDER, as such a feed's are); a book of tens of orders.
//
// The generator drives a shadow engine while it generates, so it knows the
// exact live orders (ids, owners, prices) after every command and every cancel
// or replace names a live order of its owner. The engine is deterministic, so
// each timed run (a fresh engine fed the same commands) repeats the shadow
// run exactly; the harness checks that and counts every rejected command.
//
// Latency is measured per batch of --batch commands (steady_clock around the
// batch, divided by its size), so the clock's own cost does not dominate.
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>  // no-ops unless run under valgrind --tool=callgrind
#define CORPEX_CALLGRIND(x) x
#else
#define CORPEX_CALLGRIND(x)
#endif

#include "corpex/command.h"
#include "corpex/engine.h"
#include "corpex/events.h"
#include "engine/huge_pages.h"
#include "corpex/status.h"
#include "perf/reference_book.h"
#include "corpex/types.h"

namespace {

using namespace corpex;  // NOLINT: a benchmark's own translation unit
using Clock = std::chrono::steady_clock;

constexpr TimeNs kSec = 1'000'000'000;
constexpr TimeNs kDay = 86'400 * kSec;
constexpr TimeNs kT0 = 1'772'323'200 * kSec;  // 2026-03-01T00:00:00Z
constexpr TimeNs kStepNs = 200;               // engine time between two commands
constexpr int64_t kTick = 100;                // fen
constexpr int64_t kLot = 10;                  // units
constexpr uint64_t kDefaultSeed = 20260301;

// ---- options ----------------------------------------------------------------

struct Config {
  bool hot = true;
  bool large = true;
  bool tiny = false;  // only when asked for: not part of "all" (its figures are issue 23's)
  int runs = 5;
  uint64_t commands = 0;  // 0: each workload's default
  size_t batch = 64;
  uint64_t seed = kDefaultSeed;
  uint64_t hot_orders = 1'000;
  uint64_t large_orders = 1'000'000;
  uint32_t large_instruments = 1'000;
  uint32_t voucher_pct = 25;  // share of buy orders naming the voucher program
  size_t prefetch = Engine::kPrefetchAhead;  // Engine::Prefetch this many commands ahead; 0: never
  // Order commands carry their member's and instrument's handles, as
  // corpexd's sessions send them (on), none (off), or runs alternate (both).
  enum class Handles { kOn, kOff, kBoth } handles = Handles::kOn;
  // Each batch copied into a small buffer before it is timed, as corpexd's
  // sequencer runs a batch its gateway has just decoded: the engine without
  // the stream of 400-byte commands from memory.
  bool stage = false;
  // Runs alternate with a contest-style book of no checks on the same feed
  // (perf/reference_book.h), tiny workload only: the floor under the engine.
  // kMessages feeds it 16-byte messages resolved before timing, as the
  // contest did; kCommands the engine's own commands, resolved as it goes.
  // kVerify times nothing: it compares the reference's fills with the
  // engine's trades one by one.
  enum class Reference { kOff, kMessages, kCommands, kVerify } reference = Reference::kOff;
};

constexpr uint64_t kHotCommands = 5'000'000;
constexpr uint64_t kLargeCommands = 3'000'000;
constexpr uint64_t kTinyCommands = 5'000'000;

void PrintHelp() {
  std::printf(
      "usage: engine_bench [options]\n"
      "Fixed-seed throughput and latency benchmark of the corpex matching engine.\n"
      "Commands are generated before timing; each run replays them into a fresh engine.\n\n"
      "  --workload hot|large|tiny|all  which workload to run (default all: hot and large)\n"
      "  --runs N                  timed runs per workload; the median is reported (default 5)\n"
      "  --commands N              timed commands per workload (default hot %" PRIu64
      ", large %" PRIu64
      ")\n"
      "  --batch N                 commands per latency sample (default 64)\n"
      "  --seed N                  generator seed (default %" PRIu64
      ")\n"
      "  --hot-orders N            hot book: resting orders preloaded (default 1000)\n"
      "  --orders N                large book: resting orders preloaded (default 1000000)\n"
      "  --instruments N           large book: instruments (default 1000)\n"
      "  --voucher-pct N           percent of buy orders naming a voucher program (default 25)\n"
      "  --prefetch N              call Engine::Prefetch N commands ahead (and PrefetchCommand %zu\n"
      "                            ahead), 0: neither (default %zu)\n"
      "  --handles on|off|both     order commands carry member and instrument handles as a\n"
      "                            session sends them; both: runs alternate, reported apart\n"
      "  --stage on|off            copy each batch into a small buffer before timing it, as\n"
      "                            the sequencer runs a freshly decoded batch: the engine\n"
      "                            without the command stream from memory; cmds/s then counts\n"
      "                            the timed batches only (default off)\n"
      "  --reference MODE          tiny only, MODE on|commands|verify|off: runs alternate with\n"
      "                            a contest-style book that checks nothing\n"
      "                            (perf/reference_book.h) on the same feed: on, resolved to\n"
      "                            16-byte messages before timing, as the contest fed its\n"
      "                            engines; commands, the engine's own commands resolved as it\n"
      "                            goes; verify, no timing: its fills compared with the\n"
      "                            engine's trades one by one (default off)\n"
      "  --help                    this text\n",
      kHotCommands, kLargeCommands, kDefaultSeed, Engine::kCommandAhead, Engine::kPrefetchAhead);
}

bool ParseU64(std::string_view s, uint64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

// Returns false with a one-line reason in *error.
bool ParseArgs(int argc, char** argv, Config* cfg, bool* help, std::string* error) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      *help = true;
      return true;
    }
    if (i + 1 >= argc) {
      *error = "unknown option or missing value: " + std::string(a);
      return false;
    }
    const std::string_view v = argv[++i];
    uint64_t n = 0;
    if (a == "--prefetch") {
      if (!ParseU64(v, &n) || n > 64) {
        *error = "--prefetch needs an integer from 0 to 64, got '" + std::string(v) + "'";
        return false;
      }
      cfg->prefetch = n;
      continue;
    }
    if (a == "--handles") {
      if (v != "on" && v != "off" && v != "both") {
        *error = "--handles must be on, off or both, got '" + std::string(v) + "'";
        return false;
      }
      cfg->handles = v == "on" ? Config::Handles::kOn : v == "off" ? Config::Handles::kOff : Config::Handles::kBoth;
      continue;
    }
    if (a == "--stage") {
      if (v != "on" && v != "off") {
        *error = "--stage must be on or off, got '" + std::string(v) + "'";
        return false;
      }
      cfg->stage = v == "on";
      continue;
    }
    if (a == "--reference") {
      if (v != "on" && v != "commands" && v != "verify" && v != "off") {
        *error = "--reference must be on, commands, verify or off, got '" + std::string(v) + "'";
        return false;
      }
      cfg->reference = v == "on"         ? Config::Reference::kMessages
                       : v == "commands" ? Config::Reference::kCommands
                       : v == "verify"   ? Config::Reference::kVerify
                                         : Config::Reference::kOff;
      continue;
    }
    if (a == "--workload") {
      cfg->hot = v == "hot" || v == "all";
      cfg->large = v == "large" || v == "all";
      cfg->tiny = v == "tiny";
      if (!cfg->hot && !cfg->large && !cfg->tiny) {
        *error = "--workload must be hot, large, tiny or all";
        return false;
      }
      continue;
    }
    if (!ParseU64(v, &n) || n == 0) {
      *error = std::string(a) + " needs a positive integer, got '" + std::string(v) + "'";
      return false;
    }
    if (a == "--runs") {
      cfg->runs = static_cast<int>(std::min<uint64_t>(n, 1000));
    } else if (a == "--commands") {
      cfg->commands = n;
    } else if (a == "--batch") {
      cfg->batch = n;
    } else if (a == "--seed") {
      cfg->seed = n;
    } else if (a == "--hot-orders") {
      cfg->hot_orders = n;
    } else if (a == "--orders") {
      cfg->large_orders = n;
    } else if (a == "--instruments") {
      cfg->large_instruments = static_cast<uint32_t>(std::min<uint64_t>(n, 100'000));
    } else if (a == "--voucher-pct") {
      cfg->voucher_pct = static_cast<uint32_t>(std::min<uint64_t>(n, 100));
    } else {
      *error = "unknown option: " + std::string(a);
      return false;
    }
  }
  if (cfg->reference != Config::Reference::kOff && (cfg->hot || cfg->large || !cfg->tiny)) {
    *error = "--reference needs --workload tiny (the only feed of plain limits and cancels)";
    return false;
  }
  return true;
}

// ---- deterministic randomness (xoshiro256**, seeded by splitmix64) ----------

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& w : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      w = z ^ (z >> 31);
    }
  }
  uint64_t Next() {
    const uint64_t r = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return r;
  }
  // Uniform in [0, n).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  bool Chance(uint64_t per_mille) { return Below(1000) < per_mille; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// ---- rejects -------------------------------------------------------------------

struct Rejects {
  uint64_t total = 0;
  // By code, counted in the timed loop: an array, not a map of strings,
  // so the harness does not charge the engine an allocation per reject.
  std::array<uint64_t, 256> by_code{};
  std::vector<std::string> samples;  // the first few, with where they happened

  void Add(const Status& s, std::string_view phase, size_t index) {
    ++total;
    ++by_code[static_cast<uint8_t>(s.code())];
    if (samples.size() < 5) [[unlikely]] {
      samples.push_back(std::string(phase) + " #" + std::to_string(index) + ": " +
                        std::string(to_string(s.code())) + " " + s.message());
    }
  }
  std::string Codes() const {
    std::string out;
    for (size_t c = 0; c < by_code.size(); ++c) {
      if (by_code[c] == 0) continue;
      out += (out.empty() ? "" : ", ") + std::string(to_string(static_cast<ErrorCode>(c))) + " " +
             std::to_string(by_code[c]);
    }
    return out.empty() ? "none" : out;
  }
};

// ---- the generated workload -------------------------------------------------

struct Workload {
  std::string name;
  std::string shape;             // one line describing what it is
  HugeVector<Command> setup;    // reference data, not timed
  HugeVector<Command> preload;  // the resting book, timed separately
  HugeVector<Command> stream;   // timed
  size_t expected_orders = 1 << 12;
  // What the shadow engine saw for the stream; every run must see the same.
  uint64_t shadow_trades = 0;
  uint64_t shadow_rejects = 0;
  EngineCounters shadow_end;
  uint64_t resting_after_preload = 0;
  size_t levels_after_preload = 0;  // price levels with orders, both sides, all instruments
  size_t levels_end = 0;
  uint64_t n_new = 0, n_ioc = 0, n_cancel = 0, n_replace = 0, n_cross = 0;
};

// Members, instruments and the voucher program as commands, plus the names
// the generator puts into orders.
struct World {
  std::vector<Name> symbols;
  std::vector<MemberName> members;
  std::vector<Name> attestations;  // by member; empty for pure buyers
  std::vector<uint32_t> buyers;    // members with the buyer role
  std::vector<uint32_t> sellers;   // members with the seller role
  Name program = Name::of("SZ-CORPUS-2026");
};

MemberName NumberedMember(char prefix, uint32_t n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%c%03u", prefix, n);
  return MemberName::of(buf);
}

// The live orders after every shadow command, and the price levels they form.
class Generator {
 public:
  Generator(size_t expected_orders, uint64_t seed, uint32_t voucher_pct)
      : engine_(Engine::Options{expected_orders}), rng_(seed), voucher_pct_(voucher_pct) {}

  Rng& rng() { return rng_; }
  const Rejects& rejects() const { return rejects_; }
  uint64_t trades() const { return trades_; }
  const Engine& engine() const { return engine_; }
  size_t live() const { return live_.size(); }

  // Appends a command, runs it on the shadow engine and follows its events.
  void Emit(HugeVector<Command>* out, const CommandBody& body, std::string_view phase) {
    Command c;
    c.ts = now_;
    now_ += kStepNs;
    c.body = body;
    // What a session knows: its member's id from log-in, its symbol's from
    // its last order.
    std::visit([&](auto& b) {
      using T = std::decay_t<decltype(b)>;
      if constexpr (std::is_same_v<T, NewOrder> || std::is_same_v<T, CancelOrder> ||
                    std::is_same_v<T, ReplaceOrder>)
        b.handles.member = engine_.FindMember(b.member.view());
      if constexpr (std::is_same_v<T, NewOrder>) {
        b.handles.instrument = engine_.FindInstrument(b.instrument.view());
        b.handles.attestation = engine_.FindAttestation(b.attestation.view());
      }
    }, c.body);
    const Events& ev = engine_.Execute(c);
    Observe(ev, phase, out->size());
    out->push_back(c);
  }

  // Creates the world: `buyers` pure buyers, `sellers` pure sellers, `both`
  // members with both roles, every seller with its own attestation.
  void BuildWorld(HugeVector<Command>* out, uint32_t instruments, uint32_t buyers,
                  uint32_t sellers, uint32_t both) {
    for (uint32_t i = 0; i < instruments; ++i) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "ZH-GEN-%05u.TRAIN.12M", i);
      InstrumentCreate ic;
      ic.symbol.assign(buf);
      ic.domain.assign("general");
      ic.language.assign("zh");
      ic.licence = Licence::kTraining;
      ic.term_months = 12;
      ic.tier = 2;
      ic.unit = Unit::kMtok;
      ic.tick = Price{kTick};
      ic.lot = Qty{kLot};
      world_.symbols.push_back(ic.symbol);
      Emit(out, ic, "setup");
    }
    ProgramCreate pc;
    pc.program = world_.program;
    pc.rate_bps = 3000;
    pc.member_cap = Fen{1'000'000'000'000'000};
    pc.budget = Fen{4'000'000'000'000'000'000};
    pc.year = 2026;
    Emit(out, pc, "setup");
    auto add = [&](char prefix, uint32_t n, uint8_t roles) {
      for (uint32_t i = 1; i <= n; ++i) {
        const uint32_t idx = static_cast<uint32_t>(world_.members.size());
        MemberCreate mc;
        mc.member = NumberedMember(prefix, i);
        mc.name = Text::of("bench member " + mc.member.str());
        mc.group = MemberName::of("G-" + mc.member.str());
        mc.roles = roles;
        mc.tier = 4;
        Emit(out, mc, "setup");
        world_.members.push_back(mc.member);
        world_.attestations.emplace_back();
        if (roles & kRoleBuyer) {
          world_.buyers.push_back(idx);
          Enrol en;
          en.program = world_.program;
          en.member = mc.member;
          Emit(out, en, "setup");
        }
        if (roles & kRoleSeller) {
          world_.sellers.push_back(idx);
          AttestationRegister ar;
          ar.attestation = Name::of("A-" + mc.member.str());
          ar.member = mc.member;
          ar.dataset.assign(std::string(64, 'a'));
          ar.assessor.assign("King & Wood Mallesons");
          ar.licences = 1u << static_cast<int>(Licence::kTraining);
          ar.tier = 2;
          ar.issued_at = kT0 - kDay;
          ar.expires_at = kT0 + 3650 * kDay;
          world_.attestations[idx] = ar.attestation;
          Emit(out, ar, "setup");
        }
      }
    };
    add('B', buyers, kRoleBuyer);
    add('S', sellers, kRoleSeller);
    add('X', both, kRoleBuyer | kRoleSeller);
    // Engine handles -> our indices, for reading events.
    for (uint32_t i = 0; i < world_.symbols.size(); ++i) {
      Map(&inst_of_, engine_.FindInstrument(world_.symbols[i].view()), i);
    }
    for (uint32_t i = 0; i < world_.members.size(); ++i) {
      Map(&member_of_, engine_.FindMember(world_.members[i].view()), i);
    }
    levels_.resize(world_.symbols.size());
  }

  // ---- command builders ----
  NewOrder Order(uint32_t inst, Side side, Tif tif, int64_t price_ticks, int64_t lots) {
    const std::vector<uint32_t>& who = side == Side::kBuy ? world_.buyers : world_.sellers;
    const uint32_t m = who[rng_.Below(who.size())];
    NewOrder o;
    o.member = world_.members[m];
    o.instrument = world_.symbols[inst];
    o.side = side;
    o.tif = tif;
    o.qty = Qty{lots * kLot};
    o.price = Price{std::max<int64_t>(price_ticks, 1) * kTick};
    char buf[24];
    buf[0] = 'c';
    auto [end, ec] = std::to_chars(buf + 1, buf + sizeof buf, ++coid_);
    (void)ec;
    o.client_order_id.assign(std::string_view(buf, static_cast<size_t>(end - buf)));
    if (side == Side::kSell) {
      o.attestation = world_.attestations[m];
    } else if (rng_.Below(100) < voucher_pct_) {
      o.voucher = world_.program;
    }
    return o;
  }
  CancelOrder Cancel(OrderId id) const {
    CancelOrder c;
    c.member = world_.members[info_[id].member];
    c.order_id = id;
    return c;
  }
  ReplaceOrder Replace(OrderId id, int64_t price_ticks, int64_t lots) const {
    ReplaceOrder r;
    r.member = world_.members[info_[id].member];
    r.order_id = id;
    r.price = Price{std::max<int64_t>(price_ticks, 1) * kTick};
    r.qty = Qty{lots * kLot};  // 0: keep the open quantity
    return r;
  }

  // ---- the live view ----
  struct Live {
    uint32_t inst = 0;
    uint32_t member = 0;
    Side side = Side::kBuy;
    int64_t price = 0;  // ticks
  };
  OrderId RandomLive() { return live_[rng_.Below(live_.size())]; }
  bool IsLive(OrderId id) const { return id < pos_.size() && pos_[id] >= 0; }
  const Live& info(OrderId id) const { return info_[id]; }
  // Best prices in ticks; 0 / max when the side is empty.
  int64_t BestBid(uint32_t inst) const {
    const auto& m = levels_[inst][0];
    return m.empty() ? 0 : m.rbegin()->first;
  }
  int64_t BestAsk(uint32_t inst) const {
    const auto& m = levels_[inst][1];
    return m.empty() ? std::numeric_limits<int64_t>::max() : m.begin()->first;
  }
  size_t Levels() const {
    size_t n = 0;
    for (const auto& l : levels_) n += l[0].size() + l[1].size();
    return n;
  }

 private:
  static void Map(std::vector<uint32_t>* v, uint32_t handle, uint32_t idx) {
    if (handle == kNone) return;  // a setup reject; reported with the rejects
    if (v->size() <= handle) v->resize(handle + 1, kNone);
    (*v)[handle] = idx;
  }

  void Observe(const Events& ev, std::string_view phase, size_t index) {
    if (!ev.status.ok()) {
      rejects_.Add(ev.status, phase, index);
      return;
    }
    trades_ += ev.trades.size();
    for (const Trade& t : ev.trades) {
      const bool buy_aggr = t.aggressor == Side::kBuy;
      const OrderId resting = buy_aggr ? t.sell_order : t.buy_order;
      const OrderAfter& after = buy_aggr ? t.sell_after : t.buy_after;
      if (after.status == OrderStatus::kFilled) Remove(resting);
    }
    for (const OrderView& d : ev.done) Remove(d.id);
    if (ev.has_order) {
      const OrderView& o = ev.order;
      const bool resting =
          (o.status == OrderStatus::kNew || o.status == OrderStatus::kPartiallyFilled) &&
          (o.tif == Tif::kGtc || o.tif == Tif::kGtd);
      if (resting) {
        Upsert(o);
      } else {
        Remove(o.id);
      }
    }
  }
  void Upsert(const OrderView& o) {
    if (o.id >= pos_.size()) {
      pos_.resize(o.id + 1 + pos_.size() / 2, -1);
      info_.resize(pos_.size());
    }
    Live l;
    l.inst = o.instrument < inst_of_.size() ? inst_of_[o.instrument] : 0;
    l.member = o.member < member_of_.size() ? member_of_[o.member] : 0;
    l.side = o.side;
    l.price = o.price.v / kTick;
    if (pos_[o.id] >= 0) {
      LevelDel(info_[o.id]);
    } else {
      pos_[o.id] = static_cast<int64_t>(live_.size());
      live_.push_back(o.id);
    }
    info_[o.id] = l;
    ++levels_[l.inst][static_cast<int>(l.side)][l.price];
  }
  void Remove(OrderId id) {
    if (id >= pos_.size() || pos_[id] < 0) return;
    const int64_t p = pos_[id];
    live_[p] = live_.back();
    pos_[live_[p]] = p;
    live_.pop_back();
    pos_[id] = -1;
    LevelDel(info_[id]);
  }
  void LevelDel(const Live& l) {
    auto& m = levels_[l.inst][static_cast<int>(l.side)];
    auto it = m.find(l.price);
    if (it != m.end() && --it->second == 0) m.erase(it);
  }

  Engine engine_;
  Rng rng_;
  uint32_t voucher_pct_;
  TimeNs now_ = kT0;
  uint64_t coid_ = 0;
  World world_;
  std::vector<uint32_t> inst_of_, member_of_;
  std::vector<int64_t> pos_;  // by order id: index in live_, -1 when not live
  std::vector<Live> info_;    // by order id
  std::vector<OrderId> live_;
  std::vector<std::array<std::map<int64_t, uint32_t>, 2>> levels_;  // ticks -> orders
  Rejects rejects_;
  uint64_t trades_ = 0;
};

void FinishShadow(const Generator& g, Workload* w, uint64_t trades_before,
                  uint64_t rejects_before) {
  w->shadow_trades = g.trades() - trades_before;
  w->shadow_rejects = g.rejects().total - rejects_before;
  w->shadow_end = g.engine().counters();
  w->levels_end = g.Levels();
  if (g.rejects().total > 0) {
    std::fprintf(stderr, "  shadow run rejects: %" PRIu64 " (%s)\n", g.rejects().total,
                 g.rejects().Codes().c_str());
    for (const std::string& s : g.rejects().samples) std::fprintf(stderr, "    %s\n", s.c_str());
  }
  if (g.live() != w->shadow_end.resting_orders) {
    std::fprintf(stderr,
                 "  WARNING: generator tracks %zu live orders, engine reports %" PRIu64
                 " resting: its events do not account for every order\n",
                 g.live(), w->shadow_end.resting_orders);
  }
}

// ---- workload 1: the hot book ---------------------------------------------

Workload MakeHot(const Config& cfg) {
  Workload w;
  w.name = "hot";
  const uint64_t n = cfg.commands ? cfg.commands : kHotCommands;
  Generator g(w.expected_orders, cfg.seed, cfg.voucher_pct);
  g.BuildWorld(&w.setup, 1, 4, 4, 2);
  Rng& rng = g.rng();
  constexpr int64_t kMid = 10'000;  // ticks: 1,000,000 fen
  constexpr int64_t kSpread = 800;  // resting orders sit up to this far from the mid
  const uint64_t target = cfg.hot_orders;
  for (uint64_t i = 0; i < target; ++i) {
    const Side side = rng.Below(2) ? Side::kSell : Side::kBuy;
    const int64_t off = rng.Between(1, kSpread);
    g.Emit(&w.preload,
           g.Order(0, side, Tif::kGtc, side == Side::kBuy ? kMid - off : kMid + off,
                   rng.Between(1, 30)),
           "preload");
  }
  w.resting_after_preload = g.engine().counters().resting_orders;
  w.levels_after_preload = g.Levels();
  const uint64_t trades0 = g.trades(), rejects0 = g.rejects().total;
  // A price just through the other side (crossing) or behind one's own side.
  auto cross_price = [&](Side side) {
    const int64_t k = rng.Between(0, 2);
    if (side == Side::kBuy) {
      const int64_t ask = g.BestAsk(0);
      return ask == std::numeric_limits<int64_t>::max() ? kMid : ask + k;
    }
    const int64_t bid = g.BestBid(0);
    return bid == 0 ? kMid : bid - k;
  };
  auto passive_price = [&](Side side, int64_t p) {
    if (side == Side::kBuy) {
      const int64_t ask = g.BestAsk(0);
      return std::max<int64_t>(
          1, std::min(p, ask == std::numeric_limits<int64_t>::max() ? kMid - 1 : ask - 1));
    }
    const int64_t bid = g.BestBid(0);
    return std::max(p, (bid == 0 ? kMid : bid) + 1);
  };
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t r = rng.Below(1000);
    // Keep the book near its preload size: the mix stays as specified on
    // average, but a new order becomes a cancel when the book is too full and
    // a cancel a new order when it is too thin.
    if (r >= 820 && r < 910 && g.live() > target + target / 20) r = 999;
    if (r >= 940 && g.live() < target - target / 20) r = 820;
    if (g.live() == 0 && (r < 820 || r >= 940)) r = 820;
    if (r < 820) {  // replace: move the price of a resting order
      const OrderId id = g.RandomLive();
      const auto& l = g.info(id);
      int64_t p;
      if (rng.Chance(22)) {
        p = cross_price(l.side);
        ++w.n_cross;
      } else {
        const int64_t d = rng.Between(1, 12);
        p = passive_price(l.side, rng.Below(2) ? l.price + d : l.price - d);
        if (p == l.price) p = passive_price(l.side, l.side == Side::kBuy ? p - d : p + d);
        p = std::clamp(p, kMid - 3 * kSpread, kMid + 3 * kSpread);
      }
      const int64_t lots = rng.Chance(100) ? rng.Between(1, 30) : 0;
      g.Emit(&w.stream, g.Replace(id, p, lots), "stream");
      ++w.n_replace;
    } else if (r < 910) {  // new GTC limit
      const Side side = rng.Below(2) ? Side::kSell : Side::kBuy;
      int64_t p;
      int64_t lots = rng.Between(1, 30);
      if (rng.Chance(150)) {
        p = cross_price(side);
        lots = rng.Between(1, 5);
        ++w.n_cross;
      } else {
        const int64_t off = rng.Between(0, kSpread - 1);
        p = side == Side::kBuy
                ? passive_price(side, g.BestAsk(0) == std::numeric_limits<int64_t>::max()
                                          ? kMid - off
                                          : g.BestAsk(0) - 1 - off)
                : passive_price(side, g.BestBid(0) == 0 ? kMid + off : g.BestBid(0) + 1 + off);
      }
      g.Emit(&w.stream, g.Order(0, side, Tif::kGtc, p, lots), "stream");
      ++w.n_new;
    } else if (r < 940) {  // IOC through the touch
      const Side side = rng.Below(2) ? Side::kSell : Side::kBuy;
      g.Emit(&w.stream, g.Order(0, side, Tif::kIoc, cross_price(side), rng.Between(1, 5)),
             "stream");
      ++w.n_ioc;
    } else {  // cancel a random live order
      g.Emit(&w.stream, g.Cancel(g.RandomLive()), "stream");
      ++w.n_cancel;
    }
  }
  FinishShadow(g, &w, trades0, rejects0);
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "1 instrument, %zu members, %" PRIu64 " resting orders on %zu levels", size_t{10},
                w.resting_after_preload, w.levels_after_preload);
  w.shape = buf;
  return w;
}

// ---- workload 3: the tiny, busy book ----------------------------------------

Workload MakeTiny(const Config& cfg) {
  Workload w;
  w.name = "tiny";
  const uint64_t n = cfg.commands ? cfg.commands : kTinyCommands;
  Generator g(w.expected_orders, cfg.seed, 0);
  g.BuildWorld(&w.setup, 1, 10, 10, 0);
  Rng& rng = g.rng();
  int64_t mid = 10'000;         // ticks; drifts by a tick now and then
  constexpr int64_t kBand = 25;  // passive orders sit up to this far from the mid
  struct Placed {
    OrderId id;
    MemberName member;
  };
  std::vector<Placed> placed;  // every order placed, live or not, for cancels
  w.resting_after_preload = 0;
  w.levels_after_preload = 0;
  const uint64_t trades0 = g.trades(), rejects0 = g.rejects().total;
  for (uint64_t i = 0; i < n; ++i) {
    if (rng.Below(64) == 0) mid = std::clamp<int64_t>(mid + (rng.Below(2) ? 1 : -1), 9'000, 11'000);
    if (placed.empty() || rng.Below(2) == 0) {  // a new GTC limit, half of them crossing
      const Side side = rng.Below(2) ? Side::kSell : Side::kBuy;
      int64_t p;
      if (rng.Below(2)) {
        const int64_t touch = side == Side::kBuy ? g.BestAsk(0) : g.BestBid(0);
        const bool empty = touch == 0 || touch == std::numeric_limits<int64_t>::max();
        p = empty ? mid : touch + (side == Side::kBuy ? 1 : -1) * rng.Between(0, 2);
        ++w.n_cross;
      } else {
        const int64_t off = rng.Between(1, kBand);
        p = side == Side::kBuy ? mid - off : mid + off;
      }
      NewOrder o = g.Order(0, side, Tif::kGtc, p, rng.Between(1, 5));
      placed.push_back({g.engine().counters().next_order_id, o.member});
      g.Emit(&w.stream, o, "stream");
      ++w.n_new;
    } else {  // a cancel: mostly of an order that is gone, as in the contest feed
      CancelOrder c;
      if (g.live() > 0 && (rng.Below(5) == 0 || g.live() > 60)) {
        c = g.Cancel(g.RandomLive());
      } else {
        const size_t window = std::min<size_t>(placed.size(), 200);
        const Placed& pl = placed[placed.size() - 1 - rng.Below(window)];
        c.member = pl.member;
        c.order_id = pl.id;
      }
      g.Emit(&w.stream, c, "stream");
      ++w.n_cancel;
    }
  }
  FinishShadow(g, &w, trades0, rejects0);
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "1 instrument, 20 members, %zu orders resting at the end on %zu levels, %" PRIu64
                " cancels answered UNKNOWN_ORDER",
                g.live(), w.levels_end, w.shadow_rejects);
  w.shape = buf;
  return w;
}

// ---- workload 2: the large book -------------------------------------------

Workload MakeLarge(const Config& cfg) {
  Workload w;
  w.name = "large";
  const uint64_t n = cfg.commands ? cfg.commands : kLargeCommands;
  const uint32_t ni = cfg.large_instruments;
  const uint64_t target = cfg.large_orders;
  w.expected_orders = static_cast<size_t>(target + target / 4);
  Generator g(w.expected_orders, cfg.seed + 1, cfg.voucher_pct);
  g.BuildWorld(&w.setup, ni, 40, 40, 20);
  Rng& rng = g.rng();
  std::vector<int64_t> mid(ni);
  for (int64_t& m : mid) m = rng.Between(2'000, 20'000);  // ticks
  constexpr int64_t kSpread = 500;
  w.preload.reserve(target);
  for (uint64_t i = 0; i < target; ++i) {
    const uint32_t inst = static_cast<uint32_t>(rng.Below(ni));
    const Side side = rng.Below(2) ? Side::kSell : Side::kBuy;
    const int64_t off = rng.Between(1, kSpread);
    g.Emit(&w.preload,
           g.Order(inst, side, Tif::kGtc, side == Side::kBuy ? mid[inst] - off : mid[inst] + off,
                   rng.Between(1, 20)),
           "preload");
    if ((i + 1) % 250'000 == 0) std::fprintf(stderr, "  preload %" PRIu64 "\n", i + 1);
  }
  w.resting_after_preload = g.engine().counters().resting_orders;
  w.levels_after_preload = g.Levels();
  const uint64_t trades0 = g.trades(), rejects0 = g.rejects().total;
  w.stream.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t r = rng.Below(100);
    // New orders cross more often when the book is above its preload size.
    const int64_t excess = static_cast<int64_t>(g.live()) - static_cast<int64_t>(target);
    const uint64_t cross_pm = static_cast<uint64_t>(
        std::clamp<int64_t>(150 + excess * 1000 / int64_t(target) * 5, 50, 400));
    if (r < 50 || g.live() == 0) {  // new GTC limit
      const uint32_t inst = static_cast<uint32_t>(rng.Below(ni));
      const Side side = rng.Below(2) ? Side::kSell : Side::kBuy;
      const int64_t bid = g.BestBid(inst), ask = g.BestAsk(inst);
      const bool no_ask = ask == std::numeric_limits<int64_t>::max();
      int64_t p;
      if (rng.Chance(cross_pm)) {
        p = side == Side::kBuy ? (no_ask ? mid[inst] : ask + rng.Between(0, 2))
                               : (bid == 0 ? mid[inst] : bid - rng.Between(0, 2));
        ++w.n_cross;
      } else {
        const int64_t off = rng.Between(1, kSpread);
        p = side == Side::kBuy ? (no_ask ? mid[inst] : ask) - off
                               : (bid == 0 ? mid[inst] : bid) + off;
      }
      g.Emit(&w.stream, g.Order(inst, side, Tif::kGtc, p, rng.Between(1, 20)), "stream");
      ++w.n_new;
    } else if (r < 85) {
      g.Emit(&w.stream, g.Cancel(g.RandomLive()), "stream");
      ++w.n_cancel;
    } else {  // replace: a small price move, now and then through the touch
      const OrderId id = g.RandomLive();
      const auto& l = g.info(id);
      const int64_t bid = g.BestBid(l.inst), ask = g.BestAsk(l.inst);
      int64_t p;
      if (rng.Chance(50) && bid > 0 && ask != std::numeric_limits<int64_t>::max()) {
        p = l.side == Side::kBuy ? ask : bid;
        ++w.n_cross;
      } else {
        const int64_t d = rng.Between(1, 10) * (rng.Below(2) ? 1 : -1);
        p = l.price + d;
        if (l.side == Side::kBuy && p >= ask) p = l.price - std::abs(d);
        if (l.side == Side::kSell && p <= bid) p = l.price + std::abs(d);
      }
      const int64_t lots = rng.Chance(100) ? rng.Between(1, 20) : 0;
      g.Emit(&w.stream, g.Replace(id, p, lots), "stream");
      ++w.n_replace;
    }
    if ((i + 1) % 1'000'000 == 0) std::fprintf(stderr, "  stream %" PRIu64 "\n", i + 1);
  }
  FinishShadow(g, &w, trades0, rejects0);
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%u instruments, 100 members, %" PRIu64 " resting orders on %zu levels", ni,
                w.resting_after_preload, w.levels_after_preload);
  w.shape = buf;
  return w;
}

// ---- timing -----------------------------------------------------------------

struct RunResult {
  double cmds_per_s = 0, p50 = 0, p99 = 0, p999 = 0, trades_per_s = 0, traded_pct = 0;
  double bytes_per_order = 0, bytes_per_order_end = 0, preload_s = 0, stream_s = 0;
  uint64_t trades = 0, resting = 0, resting_end = 0;
  size_t memory = 0;  // Engine::MemoryBytes() after the preload
  // Interference during the timed stream: involuntary context switches and the
  // share of wall time this process was on a CPU (well under 100%: the
  // machine was busy and the run is not to be trusted).
  uint64_t preempted = 0;
  double cpu_pct = 0;
  // The tail's own causes: the slowest batch (µs, the whole batch) and the
  // minor page faults the stream took (state that grows touches new pages).
  double worst_batch_us = 0;
  uint64_t faults = 0;
  Rejects rejects;
  EngineCounters end;
};

struct StreamStats {
  uint64_t trades = 0;
  uint64_t traded_cmds = 0;
  double timed_s = 0;  // the batches' own time (without staging copies)
};

// The timed loop. Kept out of line so profilers can pick it out; under
// `valgrind --tool=callgrind --instr-atstart=no` only this loop is simulated.
// With `stage`, each batch (and the commands its hints look ahead to) is
// first copied into a buffer of its own, untimed, and run from there.
[[gnu::noinline]] StreamStats RunStream(Engine& engine, const HugeVector<Command>& cmds,
                                        size_t batch, size_t ahead, std::vector<float>* lat,
                                        Rejects* rejects, bool stage) {
  CORPEX_CALLGRIND(CALLGRIND_START_INSTRUMENTATION);
  StreamStats st;
  const size_t n = cmds.size();
  const size_t lead = std::max(ahead, Engine::kCommandAhead);
  HugeVector<Command> staged(stage ? batch + lead : 0);
  for (size_t b = 0; b < n; b += batch) {
    const size_t e = std::min(n, b + batch);
    // from[i - b] is command i, in the stream or in its staged copy.
    const Command* from = cmds.data() + b;
    if (stage) {
      const size_t end = std::min(n, e + lead);
      std::copy(cmds.begin() + static_cast<ptrdiff_t>(b), cmds.begin() + static_cast<ptrdiff_t>(end),
                staged.begin());
      from = staged.data();
    }
    const auto t0 = Clock::now();
    for (size_t i = b; i < e; ++i) {
      // As a sequencer holding a queue would: the hint changes nothing.
      if (ahead != 0 && i + Engine::kCommandAhead < n)
        Engine::PrefetchCommand(from[i - b + Engine::kCommandAhead]);
      if (ahead != 0 && i + ahead < n) engine.Prefetch(from[i - b + ahead]);
      const Events& ev = engine.Execute(from[i - b]);
      if (!ev.status.ok()) [[unlikely]]
        rejects->Add(ev.status, "stream", i);
      st.trades += ev.trades.size();
      st.traded_cmds += !ev.trades.empty();
    }
    const auto t1 = Clock::now();
    const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
    st.timed_s += ns * 1e-9;
    lat->push_back(static_cast<float>(ns / static_cast<double>(e - b)));
  }
  CORPEX_CALLGRIND(CALLGRIND_STOP_INSTRUMENTATION);
  return st;
}

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double Percentile(std::vector<float>* v, double p) {
  if (v->empty()) return 0;
  size_t k = static_cast<size_t>(p * static_cast<double>(v->size()));
  k = std::min(k, v->size() - 1);
  std::nth_element(v->begin(), v->begin() + static_cast<ptrdiff_t>(k), v->end());
  return (*v)[k];
}

RunResult RunOnce(const Workload& w, size_t batch, size_t ahead, bool stage) {
  RunResult r;
  Engine engine(Engine::Options{w.expected_orders});
  for (size_t i = 0; i < w.setup.size(); ++i) {
    const Events& ev = engine.Execute(w.setup[i]);
    if (!ev.status.ok()) r.rejects.Add(ev.status, "setup", i);
  }
  const auto p0 = Clock::now();
  for (size_t i = 0; i < w.preload.size(); ++i) {
    const Events& ev = engine.Execute(w.preload[i]);
    if (!ev.status.ok()) r.rejects.Add(ev.status, "preload", i);
  }
  const auto p1 = Clock::now();
  r.preload_s = Seconds(p0, p1);
  r.resting = engine.counters().resting_orders;
  r.memory = engine.MemoryBytes();
  r.bytes_per_order =
      r.resting ? static_cast<double>(r.memory) / static_cast<double>(r.resting) : 0;

  std::vector<float> lat;
  lat.reserve(w.stream.size() / batch + 1);
  rusage u0{}, u1{};
  getrusage(RUSAGE_SELF, &u0);
  const auto t0 = Clock::now();
  const StreamStats st = RunStream(engine, w.stream, batch, ahead, &lat, &r.rejects, stage);
  const auto t1 = Clock::now();
  getrusage(RUSAGE_SELF, &u1);
  const double wall_s = Seconds(t0, t1);
  r.stream_s = stage ? st.timed_s : wall_s;
  r.preempted = static_cast<uint64_t>(u1.ru_nivcsw - u0.ru_nivcsw);
  r.faults = static_cast<uint64_t>(u1.ru_minflt - u0.ru_minflt);
  if (!lat.empty())
    r.worst_batch_us = *std::max_element(lat.begin(), lat.end()) * static_cast<double>(batch) / 1e3;
  auto cpu_s = [](const rusage& u) {
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
  };
  r.cpu_pct = 100.0 * (cpu_s(u1) - cpu_s(u0)) / wall_s;
  r.cmds_per_s = static_cast<double>(w.stream.size()) / r.stream_s;
  r.trades = st.trades;
  r.trades_per_s = static_cast<double>(st.trades) / r.stream_s;
  r.traded_pct = 100.0 * static_cast<double>(st.traded_cmds) / static_cast<double>(w.stream.size());
  r.p50 = Percentile(&lat, 0.50);
  r.p99 = Percentile(&lat, 0.99);
  r.p999 = Percentile(&lat, 0.999);
  r.end = engine.counters();
  r.resting_end = r.end.resting_orders;
  r.bytes_per_order_end =
      r.resting_end ? static_cast<double>(engine.MemoryBytes()) / static_cast<double>(r.resting_end)
                    : 0;
  return r;
}

// What reading the commands and the clock cost, without the engine: the
// floor under the measured latency.
double HarnessFloorNs(const HugeVector<Command>& cmds, size_t batch) {
  uint64_t sink = 0;
  const auto t0 = Clock::now();
  for (size_t b = 0; b < cmds.size(); b += batch) {
    const size_t e = std::min(cmds.size(), b + batch);
    const auto a = Clock::now();
    for (size_t i = b; i < e; ++i) {
      const Command& c = cmds[i];
      sink += static_cast<uint64_t>(c.ts) + c.body.index();
      if (const auto* o = std::get_if<NewOrder>(&c.body)) sink += o->client_order_id.len;
    }
    sink += static_cast<uint64_t>((Clock::now() - a).count());
  }
  const auto t1 = Clock::now();
  if (sink == 42) std::fprintf(stderr, " ");
  return cmds.empty() ? 0 : Seconds(t0, t1) * 1e9 / static_cast<double>(cmds.size());
}

// ---- reporting --------------------------------------------------------------

template <typename F>
double Median(const std::vector<RunResult>& rs, F f) {
  std::vector<double> v;
  for (const RunResult& r : rs) v.push_back(f(r));
  std::sort(v.begin(), v.end());
  const size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

std::string Human(double v) {
  char buf[32];
  if (v >= 1e6) {
    std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  } else if (v >= 1e3) {
    std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  }
  return buf;
}

void PrintRow(const char* label, double cps, double p50, double p99, double p999, double tps,
              double traded, double bpo, double bpo_end, double preload, double rejects,
              double cpu_pct, double preempted, double worst_us, double faults) {
  std::printf(
      "  %-7s %10s %8.0f %8.0f %9.0f %10s %8.2f %9.1f %9.1f %10.3f %8.0f %6.1f %8.0f %9.0f %7.0f\n",
      label, Human(cps).c_str(), p50, p99, p999, Human(tps).c_str(), traded, bpo, bpo_end, preload,
      rejects, cpu_pct, preempted, worst_us, faults);
}

void Report(const Workload& w, const std::vector<RunResult>& rs, size_t batch, double floor_ns) {
  const double n = static_cast<double>(w.stream.size());
  std::printf("\n== %s book: %s\n", w.name.c_str(), w.shape.c_str());
  std::printf(
      "   stream %zu commands: %.1f%% replace, %.1f%% new GTC, %.1f%% IOC, %.1f%% cancel "
      "(%" PRIu64 " aimed through the touch); preload %zu, batch %zu\n",
      w.stream.size(), 100.0 * double(w.n_replace) / n, 100.0 * double(w.n_new) / n,
      100.0 * double(w.n_ioc) / n, 100.0 * double(w.n_cancel) / n, w.n_cross, w.preload.size(),
      batch);
  std::printf("  %-7s %10s %8s %8s %9s %10s %8s %9s %9s %10s %8s %6s %8s %9s %7s\n", "run",
              "cmds/s", "p50 ns", "p99 ns", "p99.9 ns", "trades/s", "trade %", "B/order",
              "B/ord end", "preload s", "rejects", "cpu %", "preempt", "worst us", "faults");
  for (size_t i = 0; i < rs.size(); ++i) {
    const RunResult& r = rs[i];
    char label[32];
    std::snprintf(label, sizeof label, "%zu", i + 1);
    PrintRow(label, r.cmds_per_s, r.p50, r.p99, r.p999, r.trades_per_s, r.traded_pct,
             r.bytes_per_order, r.bytes_per_order_end, r.preload_s,
             static_cast<double>(r.rejects.total), r.cpu_pct, static_cast<double>(r.preempted),
             r.worst_batch_us, static_cast<double>(r.faults));
  }
  auto med = [&](auto f) { return Median(rs, f); };
  const double cps = med([](const RunResult& r) { return r.cmds_per_s; });
  const double p50 = med([](const RunResult& r) { return r.p50; });
  const double p99 = med([](const RunResult& r) { return r.p99; });
  const double p999 = med([](const RunResult& r) { return r.p999; });
  const double tps = med([](const RunResult& r) { return r.trades_per_s; });
  const double traded = med([](const RunResult& r) { return r.traded_pct; });
  const double bpo = med([](const RunResult& r) { return r.bytes_per_order; });
  const double bpo_end = med([](const RunResult& r) { return r.bytes_per_order_end; });
  const double preload = med([](const RunResult& r) { return r.preload_s; });
  uint64_t rejects = 0;
  bool same = true;
  for (const RunResult& r : rs) {
    rejects += r.rejects.total;
    same = same && r.trades == w.shadow_trades &&
           r.end.next_order_id == w.shadow_end.next_order_id &&
           r.end.next_trade_id == w.shadow_end.next_trade_id &&
           r.end.resting_orders == w.shadow_end.resting_orders;
  }
  PrintRow("median", cps, p50, p99, p999, tps, traded, bpo, bpo_end, preload,
           static_cast<double>(rejects) / static_cast<double>(rs.size()),
           med([](const RunResult& r) { return r.cpu_pct; }),
           med([](const RunResult& r) { return static_cast<double>(r.preempted); }),
           med([](const RunResult& r) { return r.worst_batch_us; }),
           med([](const RunResult& r) { return static_cast<double>(r.faults); }));
  const RunResult& last = rs.back();
  std::printf("  resting after preload %" PRIu64 ", at end %" PRIu64
              " (%zu levels)"
              "; trades per run %" PRIu64 "; preload %s orders/s\n",
              last.resting, last.resting_end, w.levels_end, last.trades,
              Human(static_cast<double>(w.preload.size()) / preload).c_str());
  std::printf("  Engine::MemoryBytes() after preload %.1f MiB (pools pre-sized for %zu orders)\n",
              static_cast<double>(last.memory) / (1024.0 * 1024.0), w.expected_orders);
  std::printf("  harness floor (reading commands + clock, no engine): %.1f ns/command\n", floor_ns);
  std::printf("  rejects: %" PRIu64 " over %zu runs (%s); shadow run: %" PRIu64
              "; runs repeat the shadow run: %s\n",
              rejects, rs.size(), last.rejects.Codes().c_str(), w.shadow_rejects,
              same ? "yes" : "NO");
  for (const std::string& s : last.rejects.samples) std::printf("    %s\n", s.c_str());
  std::printf(
      "SUMMARY %s book (%s; %zu commands): %s cmds/s, latency p50/p99/p99.9 %.0f/%.0f/%.0f ns "
      "(per command, batches of %zu), %s trades/s (%.1f%% of commands trade), %.0f B per "
      "resting order, preload %.2f s, %" PRIu64 " rejects; median of %zu runs\n",
      w.name.c_str(), w.shape.c_str(), w.stream.size(), Human(cps).c_str(), p50, p99, p999, batch,
      Human(tps).c_str(), traded, bpo, preload, rejects, rs.size());
}

// ---- the reference book (--reference) ----------------------------------------

// The feed as the contest's engines took theirs: each message resolved to
// integers before it arrives (the trader is the member's id, the price a
// tick in the feed's range, an order's id its place among the new orders).
struct ReferenceFeed {
  HugeVector<perf::ReferenceBook::Msg> msgs;
  int64_t lo = 0;      // the tick count of book tick 1
  OrderId first = 0;   // the engine's id of the stream's first new order
  uint32_t ticks = 0;  // the book's range: ticks 1 .. ticks-1 are used
  size_t orders = 0;   // new orders, so ids 0 .. orders-1
};

// Command c as a reference message: a new order takes the next id and its
// trader from trader_of(order); a cancel's id is its order's place after
// `first` (an earlier id wraps past every order, so the book ignores it).
// False for any other kind.
template <typename TraderOf>
bool ToReferenceMsg(const Command& c, int64_t lo, OrderId first, uint32_t* next_id,
                    TraderOf trader_of, perf::ReferenceBook::Msg* m) {
  if (const auto* o = std::get_if<NewOrder>(&c.body)) {
    m->buy = o->side == Side::kBuy;
    m->trader = static_cast<uint16_t>(trader_of(*o));
    m->qty = static_cast<uint32_t>(o->qty.v / kLot);
    m->tick = static_cast<uint32_t>(o->price.v / kTick - lo + 1);
    m->id = (*next_id)++;
    return true;
  }
  if (const auto* x = std::get_if<CancelOrder>(&c.body)) {
    m->cancel = 1;
    m->id = static_cast<uint32_t>(x->order_id - first);
    return true;
  }
  return false;
}

ReferenceFeed MakeReferenceFeed(const Workload& w) {
  Engine probe(Engine::Options{w.expected_orders});
  for (const Command& c : w.setup) (void)probe.Execute(c);
  const OrderId first = probe.counters().next_order_id;  // the stream's first new order's id
  int64_t lo = std::numeric_limits<int64_t>::max(), hi = 0;
  for (const Command& c : w.stream)
    if (const auto* o = std::get_if<NewOrder>(&c.body)) {
      lo = std::min(lo, o->price.v / kTick);
      hi = std::max(hi, o->price.v / kTick);
    }
  ReferenceFeed f;
  f.lo = lo;
  f.first = first;
  f.ticks = lo > hi ? 2 : static_cast<uint32_t>(hi - lo + 2);
  f.msgs.reserve(w.stream.size());
  uint32_t orders = 0;
  // The member's id found by name, so runs without handles resolve alike.
  auto member_id = [&](const NewOrder& o) { return probe.FindMember(o.member.view()); };
  for (const Command& c : w.stream) {
    perf::ReferenceBook::Msg m;
    if (!ToReferenceMsg(c, lo, first, &orders, member_id, &m)) {
      std::fprintf(stderr, "engine_bench: --reference takes new orders and cancels only\n");
      std::exit(2);
    }
    f.msgs.push_back(m);
  }
  f.orders = orders;
  return f;
}

struct ReferenceResult {
  double cmds_per_s = 0, p50 = 0, p99 = 0, p999 = 0;
  uint64_t fills = 0;
  uint64_t checksum = 0;  // returned so that the fills' stores stay observable
};

// The same timed loop as RunStream's, batches of `batch` with the clock
// around each, on a fresh reference book; step(book, i) handles message i.
template <typename Step>
ReferenceResult TimeReference(const ReferenceFeed& f, size_t batch, Step step) {
  perf::ReferenceBook book(f.ticks, f.orders);
  std::vector<float> lat;
  const size_t n = f.msgs.size();
  lat.reserve(n / batch + 1);
  double timed_s = 0;
  for (size_t b = 0; b < n; b += batch) {
    const size_t e = std::min(n, b + batch);
    const auto t0 = Clock::now();
    for (size_t i = b; i < e; ++i) step(book, i);
    const auto t1 = Clock::now();
    const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
    timed_s += ns * 1e-9;
    lat.push_back(static_cast<float>(ns / static_cast<double>(e - b)));
  }
  ReferenceResult r;
  r.cmds_per_s = static_cast<double>(n) / timed_s;
  r.p50 = Percentile(&lat, 0.50);
  r.p99 = Percentile(&lat, 0.99);
  r.p999 = Percentile(&lat, 0.999);
  r.fills = book.fills();
  r.checksum = book.Checksum();
  return r;
}

[[gnu::noinline]] ReferenceResult RunReference(const ReferenceFeed& f, size_t batch) {
  return TimeReference(f, batch,
                       [&](perf::ReferenceBook& book, size_t i) { book.Handle(f.msgs[i]); });
}

// The reference book fed the engine's own 400-byte commands, each resolved
// as it comes (the kind, two divisions, the member's handle), with the same
// hint for the command's lines the engine's runs have.
[[gnu::noinline]] ReferenceResult RunReferenceOnCommands(const ReferenceFeed& f,
                                                        const HugeVector<Command>& cmds,
                                                        size_t batch) {
  const size_t n = cmds.size();
  uint32_t next_id = 0;
  return TimeReference(f, batch, [&](perf::ReferenceBook& book, size_t i) {
    if (i + Engine::kCommandAhead < n) Engine::PrefetchCommand(cmds[i + Engine::kCommandAhead]);
    perf::ReferenceBook::Msg m;
    ToReferenceMsg(cmds[i], f.lo, f.first, &next_id,
                   [](const NewOrder& o) { return o.handles.member; }, &m);
    book.Handle(m);
  });
}

// The reference's fills against the engine's trades, in order: buyer,
// seller, price and quantity. True when every one agrees.
bool VerifyReference(const Workload& w, const ReferenceFeed& f) {
  std::vector<perf::ReferenceBook::Fill> log;
  perf::ReferenceBook book(f.ticks, f.orders);
  for (const auto& m : f.msgs) {
    const uint64_t before = book.fills();
    book.Handle(m);
    if (book.fills() - before > perf::ReferenceBook::kRing) {
      std::fprintf(stderr, "engine_bench: a message made more fills than the ring keeps\n");
      return false;
    }
    for (uint64_t k = before; k < book.fills(); ++k) log.push_back(book.fill(k));
  }
  Engine engine(Engine::Options{w.expected_orders});
  for (const Command& c : w.setup) (void)engine.Execute(c);
  size_t k = 0;
  for (size_t i = 0; i < w.stream.size(); ++i) {
    for (const Trade& t : engine.Execute(w.stream[i]).trades) {
      const bool same = k < log.size() && log[k].buyer == t.buyer && log[k].seller == t.seller &&
                        log[k].qty == t.qty.v / kLot &&
                        int64_t{log[k].tick} == t.price.v / kTick - f.lo + 1;
      if (!same) {
        std::fprintf(stderr, "engine_bench: reference fill %zu differs from the engine's trade %" PRIu64
                     " (command %zu)\n", k, t.id, i);
        return false;
      }
      ++k;
    }
  }
  if (k != log.size()) {
    std::fprintf(stderr, "engine_bench: the reference made %zu fills, the engine %zu trades\n",
                 log.size(), k);
    return false;
  }
  std::printf("reference fills equal the engine's trades, one by one: %zu of %zu\n", k,
              log.size());
  return true;
}

void ReportReference(const Workload& w, const std::vector<RunResult>& rs,
                     const std::vector<ReferenceResult>& ref, bool commands) {
  std::printf("-- reference book (perf/reference_book.h: no checks; %s), runs alternating with "
              "the engine's --\n",
              commands ? "the engine's commands" : "16-byte messages");
  std::vector<double> ratios;
  bool same = true;
  for (size_t i = 0; i < ref.size(); ++i) {
    const ReferenceResult& r = ref[i];
    std::printf("  %-7zu %10s %8.0f %8.0f %9.0f   fills %" PRIu64 "\n", i + 1,
                Human(r.cmds_per_s).c_str(), r.p50, r.p99, r.p999, r.fills);
    ratios.push_back(rs[i].p50 / r.p50);
    same = same && r.fills == w.shadow_trades;
  }
  std::vector<double> p50s;
  for (const ReferenceResult& r : ref) p50s.push_back(r.p50);
  std::sort(p50s.begin(), p50s.end());
  std::vector<double> sorted = ratios;
  std::sort(sorted.begin(), sorted.end());
  std::printf("  fills equal the engine's trades (%" PRIu64 "): %s\n", w.shadow_trades,
              same ? "yes" : "NO");
  std::printf("REFERENCE p50 median %.1f ns; engine/reference p50, run by run (median %.2f):",
              p50s[p50s.size() / 2], sorted[sorted.size() / 2]);
  for (double x : ratios) std::printf(" %.2f", x);
  std::printf("\n");
}

// Takes the handles out of the order commands (kept in *saved), or puts the
// saved ones back.
void StripHandles(HugeVector<Command>* cmds, std::vector<Handles>* saved) {
  saved->clear();
  for (Command& c : *cmds)
    std::visit([&](auto& b) {
      if constexpr (requires { b.handles; }) saved->push_back(std::exchange(b.handles, Handles{}));
    }, c.body);
}
void RestoreHandles(HugeVector<Command>* cmds, const std::vector<Handles>& saved) {
  size_t k = 0;
  for (Command& c : *cmds)
    std::visit([&](auto& b) {
      if constexpr (requires { b.handles; }) b.handles = saved[k++];
    }, c.body);
}

// False when a check of the runs failed (--reference verify).
bool RunWorkload(const Config& cfg, Workload (*make)(const Config&), const char* name) {
  std::fprintf(stderr, "generating %s workload...\n", name);
  const auto g0 = Clock::now();
  Workload w = make(cfg);
  std::fprintf(stderr, "  %zu setup + %zu preload + %zu stream commands in %.1f s\n",
               w.setup.size(), w.preload.size(), w.stream.size(), Seconds(g0, Clock::now()));
  if (cfg.reference == Config::Reference::kVerify) return VerifyReference(w, MakeReferenceFeed(w));
  std::vector<Handles> saved_preload, saved_stream;
  auto with_handles = [&](bool on) {
    if (on) {
      if (saved_stream.empty() && saved_preload.empty()) return;
      RestoreHandles(&w.preload, saved_preload);
      RestoreHandles(&w.stream, saved_stream);
      saved_preload.clear();
      saved_stream.clear();
    } else if (saved_stream.empty() && saved_preload.empty()) {
      StripHandles(&w.preload, &saved_preload);
      StripHandles(&w.stream, &saved_stream);
    }
  };
  const bool both = cfg.handles == Config::Handles::kBoth;
  with_handles(cfg.handles != Config::Handles::kOff);
  const double floor_ns = HarnessFloorNs(w.stream, cfg.batch);
  const bool reference = cfg.reference != Config::Reference::kOff;
  const ReferenceFeed ref_feed = reference ? MakeReferenceFeed(w) : ReferenceFeed{};
  std::vector<ReferenceResult> ref;
  std::vector<RunResult> rs, rs_off;
  for (int i = 0; i < cfg.runs; ++i) {
    if (reference)
      ref.push_back(cfg.reference == Config::Reference::kCommands
                        ? RunReferenceOnCommands(ref_feed, w.stream, cfg.batch)
                        : RunReference(ref_feed, cfg.batch));
    for (const bool on : {true, false}) {
      if (!both && !on) continue;
      if (both) with_handles(on);
      (on ? rs : rs_off).push_back(RunOnce(w, cfg.batch, cfg.prefetch, cfg.stage));
      std::fprintf(stderr, "  run %d%s: %s cmds/s\n", i + 1, both ? (on ? " (handles)" : " (names)") : "",
                   Human((on ? rs : rs_off).back().cmds_per_s).c_str());
    }
  }
  if (both) {
    std::printf("-- with handles (runs alternate with the next block's) --\n");
    with_handles(true);
  }
  Report(w, rs, cfg.batch, floor_ns);
  if (reference) ReportReference(w, rs, ref, cfg.reference == Config::Reference::kCommands);
  if (both) {
    std::printf("-- without handles: every name resolved by hashing --\n");
    with_handles(false);
    Report(w, rs_off, cfg.batch, floor_ns);
    std::vector<double> ratios;
    for (size_t i = 0; i < rs.size(); ++i) ratios.push_back(rs[i].p50 / rs_off[i].p50);
    std::sort(ratios.begin(), ratios.end());
    std::printf("p50 ratio handles/names, run by run (median %.3f):", ratios[ratios.size() / 2]);
    for (size_t i = 0; i < rs.size(); ++i) std::printf(" %.3f", rs[i].p50 / rs_off[i].p50);
    std::printf("\n");
  }
  std::fflush(stdout);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Config cfg;
  bool help = false;
  std::string error;
  if (!ParseArgs(argc, argv, &cfg, &help, &error)) {
    std::fprintf(stderr, "engine_bench: %s (see --help)\n", error.c_str());
    return 2;
  }
  if (help) {
    PrintHelp();
    return 0;
  }
  bool ok = true;
  if (cfg.hot) ok = RunWorkload(cfg, MakeHot, "hot") && ok;
  if (cfg.large) ok = RunWorkload(cfg, MakeLarge, "large") && ok;
  if (cfg.tiny) ok = RunWorkload(cfg, MakeTiny, "tiny") && ok;
  return ok ? 0 : 1;
}
