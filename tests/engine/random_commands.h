// random_commands.h — a fixed-seed, deterministic stream of engine commands.
//
// Used by the differential and determinism tests. A stream opens with a
// setup (instruments with different ticks, lots, tiers, domains and licences;
// members in affiliate groups with mixed roles and tiers; attestations, some
// expiring or not yet issued; voucher programs with small caps and budgets;
// enrolments) and then runs a realistic mix with the clock advancing a little
// each command (now and then a command stamped behind the clock, which the
// engine's max() must absorb): mostly new orders of every tif (some with min_qty, some with
// bad inputs of every kind), cancels and replaces, ticks, and now and then
// halts, kills, suspensions, revocations, new attestations and claim
// settlements, legal and illegal.
//
// The generator is a pure function of its seed and of what it is told back
// through Observe() (the order id an accepted order got, the trades that
// earned a claim), so that cancels and replaces name real orders. Whoever
// drives it feeds back the answers of a deterministic engine, which keeps the
// whole stream deterministic. Only our own arithmetic on mt19937_64 output is
// used (no std::*_distribution), so a stream is the same on every platform.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "corpex/command.h"
#include "corpex/events.h"
#include "corpex/status.h"

namespace corpex::testing {

inline constexpr TimeNs kMs = 1'000'000;
inline constexpr TimeNs kSec = 1000 * kMs;
inline constexpr TimeNs kMin = 60 * kSec;
// 2025-12-31T15:20:00Z, i.e. 23:20 China Standard Time: the stream crosses
// into 2026 (CST) after about 40 minutes of exchange time, so a program of
// each year is eligible in part of the run.
inline constexpr TimeNs kStreamStart = 1767194400LL * kSec;

// Concatenation without `"literal" + std::string&&`, which GCC 12 at -O3
// flags with a false -Wrestrict (GCC PR 105651) under -Werror.
inline std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (std::string_view p : parts) s.append(p);
  return s;
}

// ------------------------------------------------------------- describe --

inline std::string Describe(const Command& command) {
  std::ostringstream s;
  s << "ts=" << command.ts << " ";
  std::visit(
      [&s](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, NewOrder>) {
          s << "NewOrder{member=" << c.member.view() << " instrument=" << c.instrument.view()
            << " side=" << int(c.side) << (c.side == Side::kBuy ? "(buy)" : "(sell)")
            << " tif=" << int(c.tif) << " qty=" << c.qty.v << " price=" << c.price.v
            << " min_qty=" << c.min_qty.v << " expire_at="
            << (c.expire_at == kNever ? std::string("never") : std::to_string(c.expire_at))
            << " coid='" << c.client_order_id.view() << "' attestation='" << c.attestation.view()
            << "' voucher='" << c.voucher.view() << "'}";
        } else if constexpr (std::is_same_v<T, CancelOrder>) {
          s << "CancelOrder{member=" << c.member.view() << " order_id=" << c.order_id << " coid='"
            << c.client_order_id.view() << "' reason=" << int(c.reason) << "}";
        } else if constexpr (std::is_same_v<T, ReplaceOrder>) {
          s << "ReplaceOrder{member=" << c.member.view() << " order_id=" << c.order_id
            << " qty=" << c.qty.v << " price=" << c.price.v << "}";
        } else if constexpr (std::is_same_v<T, MemberCreate>) {
          s << "MemberCreate{member=" << c.member.view() << " group=" << c.group.view()
            << " roles=" << int(c.roles) << " tier=" << int(c.tier) << "}";
        } else if constexpr (std::is_same_v<T, MemberSetStatus>) {
          s << "MemberSetStatus{member=" << c.member.view() << " suspend=" << c.suspend << "}";
        } else if constexpr (std::is_same_v<T, MemberKill>) {
          s << "MemberKill{member=" << c.member.view() << "}";
        } else if constexpr (std::is_same_v<T, InstrumentCreate>) {
          s << "InstrumentCreate{symbol=" << c.symbol.view() << " domain=" << c.domain.view()
            << " licence=" << int(c.licence) << " tier=" << int(c.tier) << " tick=" << c.tick.v
            << " lot=" << c.lot.v << "}";
        } else if constexpr (std::is_same_v<T, InstrumentSetStatus>) {
          s << "InstrumentSetStatus{symbol=" << c.symbol.view() << " halt=" << c.halt << "}";
        } else if constexpr (std::is_same_v<T, AttestationRegister>) {
          s << "AttestationRegister{attestation=" << c.attestation.view()
            << " member=" << c.member.view() << " licences=" << int(c.licences)
            << " tier=" << int(c.tier) << " issued_at=" << c.issued_at
            << " expires_at=" << c.expires_at << "}";
        } else if constexpr (std::is_same_v<T, AttestationRevoke>) {
          s << "AttestationRevoke{attestation=" << c.attestation.view() << "}";
        } else if constexpr (std::is_same_v<T, ProgramCreate>) {
          s << "ProgramCreate{program=" << c.program.view() << " rate_bps=" << c.rate_bps
            << " member_cap=" << c.member_cap.v << " budget=" << c.budget.v << " year=" << c.year
            << " domains=[";
          for (size_t i = 0; i < c.domain_count; ++i) s << (i ? "," : "") << c.domains[i].view();
          s << "]}";
        } else if constexpr (std::is_same_v<T, Enrol>) {
          s << "Enrol{program=" << c.program.view() << " member=" << c.member.view() << "}";
        } else if constexpr (std::is_same_v<T, ClaimSettle>) {
          s << "ClaimSettle{trade_id=" << c.trade_id << " status=" << int(c.status) << "}";
        } else {
          s << "Tick{}";
        }
      },
      command.body);
  return s.str();
}

// ------------------------------------------------------------- generator --

// The shape of a stream beyond its seed.
struct Mix {
  int gtd_percent = 20;          // of new orders (GTC 45, IOC 20, FOK 15 share the rest)
  int long_gtd_per_mille = 400;  // of GTDs: expire in 1..180 minutes, not seconds
  int price_spread = 5;          // limit prices within mid +- this many ticks (skewed)
  int kill_per_mille = 1000;     // how many of the drawn kills happen
  int far_per_mille = 0;         // of new orders, priced up to 200,000 ticks off the mid

  static Mix Standard() { return Mix{}; }
  // Many GTDs living for hours: the engine's expiry queue fills with entries
  // of orders long gone (its compaction, and snapshots of it).
  static Mix GtdHeavy() { return Mix{60, 900, 5, 1000}; }
  // Wide prices and rare kills: deep books with many levels.
  static Mix DeepBook() { return Mix{20, 400, 30, 100}; }
  // Prices beyond a book side's ladder, and a mid that now and then jumps
  // as far: levels off the ladder, its growth and its re-centring.
  static Mix FarPrices() { return Mix{20, 400, 30, 300, 150}; }
};

class RandomCommands {
 public:
  explicit RandomCommands(uint64_t seed, Mix mix = Mix::Standard()) : rng_(seed), mix_(mix) {
    Setup();
  }

  // The next command of the stream.
  Command Next() {
    ++index_;
    last_kind_ = Kind::kOther;
    Command c;
    // Stamp first, so that the body is built against the clock it runs at.
    if (!(in_setup_ && !pending_.empty())) in_setup_ = false;
    c.ts = Stamp();
    c.body = Body();
    return c;
  }

  // What the engine answered to the command Next() returned last.
  void Observe(ErrorCode code, bool has_order, const OrderView& order,
               const std::vector<Trade>& trades) {
    for (const Trade& t : trades) {
      max_trade_ = std::max(max_trade_, t.id);
      if (t.voucher_offset.v > 0) Remember(claims_, t.id, 400);
    }
    const bool ok = code == ErrorCode::kOk && has_order;
    const bool live =
        ok && (order.status == OrderStatus::kNew || order.status == OrderStatus::kPartiallyFilled);
    if (last_kind_ == Kind::kNew && last_member_ < members_.size() && !last_coid_.empty()) {
      // A client order id may be sent again once no live order of the member
      // holds it, or while a GTC buy holds it (DUPLICATE_CLIENT_ORDER_ID). It
      // is never reused while a GTD or sell order holds it: such an order can
      // be due to expire and not yet removed, where README does not say
      // whether the id is still taken.
      std::vector<std::string>& safe = members_[last_member_].reusable_coids;
      const bool may_fall_due = live && (order.tif == Tif::kGtd || order.side == Side::kSell);
      std::erase(safe, last_coid_);
      if (!may_fall_due) Remember(safe, last_coid_, 24);
    }
    if (!ok) return;
    if (last_kind_ == Kind::kNew && live) {
      Known k{order.id, last_member_, last_instrument_, order.side, order.open.v, order.price.v};
      if (known_.size() < 300) {
        known_.push_back(k);
      } else {
        known_[known_next_] = k;
        known_next_ = (known_next_ + 1) % known_.size();
      }
    }
    if (last_kind_ == Kind::kReplace && live) {
      for (Known& k : known_)
        if (k.id == order.id) {
          k.price = order.price.v;
          k.qty = order.open.v;
        }
    }
  }

  TimeNs now() const { return now_; }

 private:
  enum class Kind { kOther, kNew, kReplace };
  struct GInstrument {
    InstrumentCreate create;
    int64_t mid = 0;
    bool created = false;
    bool halted = false;
    uint64_t resume_at = 0;
  };
  struct GMember {
    MemberCreate create;
    bool created = false;
    bool suspended = false;
    uint64_t resume_at = 0;
    std::vector<std::string> coids;           // recent client order ids
    std::vector<std::string> reusable_coids;  // see Observe()
  };
  struct GAttestation {
    AttestationRegister reg;
    size_t member = 0;
    bool revoked = false;
  };
  struct Known {
    OrderId id;
    size_t member;
    size_t instrument;
    Side side;
    int64_t qty;
    int64_t price;
  };

  // ---- randomness ----
  uint64_t U(uint64_t n) { return n == 0 ? 0 : rng_() % n; }  // [0, n)
  int64_t R(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(U(hi - lo + 1)); }
  bool P(int per_mille) { return static_cast<int>(U(1000)) < per_mille; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[U(v.size())];
  }
  template <typename T>
  static void Remember(std::vector<T>& v, T x, size_t cap) {
    v.push_back(std::move(x));
    if (v.size() > cap) v.erase(v.begin());
  }

  TimeNs Stamp() {
    if (in_setup_) return now_;
    const uint64_t r = U(1000);
    TimeNs step;
    if (r < 800)
      step = R(0, 40) * kMs;
    else if (r < 980)
      step = R(40, 200) * kMs;
    else
      step = R(500, 3000) * kMs;
    if (P(10)) return now_ - R(0, 300) * kMs;  // out of order: the clock stays at its max
    now_ += step;
    return now_;
  }

  // ---- setup ----
  void AddInstrument(const char* symbol, const char* domain, Licence licence, int tier, Unit unit,
                     Modality modality, int64_t tick, int64_t lot, int64_t mid, bool now) {
    GInstrument g;
    InstrumentCreate& c = g.create;
    c.symbol = Name::of(symbol);
    c.domain = DomainName::of(domain);
    c.language = Language::of(symbol[0] == 'E' ? "en" : "zh");
    c.modality = modality;
    c.licence = licence;
    c.term_months = 12;
    c.tier = static_cast<uint8_t>(tier);
    c.unit = unit;
    c.tick = Price{tick};
    c.lot = Qty{lot};
    g.mid = mid;
    instruments_.push_back(g);
    if (now) {
      instruments_.back().created = true;
      pending_.push_back(c);
    }
  }

  void AddMember(const char* name, const char* group, uint8_t roles, int tier, bool now) {
    GMember g;
    g.create.member = MemberName::of(name);
    g.create.name = Text::of(Cat({"Member ", name}));
    g.create.group = MemberName::of(group);
    g.create.roles = roles;
    g.create.tier = static_cast<uint8_t>(tier);
    members_.push_back(g);
    if (now) {
      members_.back().created = true;
      pending_.push_back(g.create);
    }
  }

  std::string Hex64() {
    static const char* kHex = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 64; ++i) s += kHex[U(16)];
    return s;
  }

  AttestationRegister MakeAttestation(size_t member, uint8_t licences, int tier, TimeNs issued,
                                      TimeNs expires) {
    AttestationRegister a;
    a.attestation = Name::of(Cat(
        {"AT-", members_[member].create.member.view(), "-", std::to_string(++attestation_seq_)}));
    a.member = members_[member].create.member;
    a.dataset = DatasetHex::of(Hex64());
    a.assessor = Text::of(P(500) ? "King & Wood Mallesons" : "Zhong Lun Law Firm");
    a.licences = licences;
    a.tier = static_cast<uint8_t>(tier);
    a.issued_at = issued;
    a.expires_at = expires;
    attestations_.push_back(GAttestation{a, member, false});
    return a;
  }

  void SetupAttestations(size_t m, TimeNs t0) {
    if (!(members_[m].create.roles & kRoleSeller)) return;
    const uint8_t all = 0xF;
    pending_.push_back(MakeAttestation(m, all, 1, t0 - 24 * 60 * kMin, t0 + 24 * 60 * kMin));
    pending_.push_back(MakeAttestation(m, static_cast<uint8_t>(R(1, 15)), static_cast<int>(R(1, 4)),
                                       t0 - 60 * kMin, t0 + 12 * 60 * kMin));
    pending_.push_back(
        MakeAttestation(m, all, static_cast<int>(R(1, 2)), t0 - kMin, t0 + R(5, 40) * kMin));
    pending_.push_back(MakeAttestation(m, all, 1, t0 + R(1, 20) * kMin, t0 + 6 * 60 * kMin));
  }

  void Setup() {
    in_setup_ = true;
    now_ = kStreamStart;
    using L = Licence;
    AddInstrument("ZH-MED-DIALOG.TRAIN.12M", "medical", L::kTraining, 3, Unit::kMtok,
                  Modality::kText, 100, 1, 50'000, true);
    AddInstrument("EN-LEGAL-CASES.FT.6M", "legal", L::kFinetune, 2, Unit::kRecord, Modality::kText,
                  5, 100, 400, true);
    AddInstrument("ZH-FIN-NEWS.EVAL.12M", "finance", L::kEvaluation, 1, Unit::kMtok,
                  Modality::kText, 1, 5, 300, true);
    AddInstrument("ZH-GOV-SPEECH.COMM.24M", "government", L::kCommercial, 4, Unit::kHour,
                  Modality::kSpeech, 500, 2, 200'000, true);
    AddInstrument("ZH-ECOM-IMG.TRAIN.3M", "ecommerce", L::kTraining, 1, Unit::kImage,
                  Modality::kImage, 10, 1000, 80, true);
    AddInstrument("ZH-MFG-VIDEO.FT.12M", "manufacturing", L::kFinetune, 2, Unit::kHour,
                  Modality::kVideo, 1000, 1, 500'000, false);  // listed mid-run

    const uint8_t B = kRoleBuyer, S = kRoleSeller, BS = kRoleBuyer | kRoleSeller;
    AddMember("M01", "G-A", B, 4, true);
    AddMember("M02", "G-A", S, 1, true);
    AddMember("M03", "G-A", BS, 3, true);
    AddMember("M04", "G-B", B, 2, true);
    AddMember("M05", "G-B", S, 2, true);
    AddMember("M06", "G-B", BS, 4, true);
    AddMember("M07", "G-C", B, 1, true);
    AddMember("M08", "G-C", BS, 2, true);
    AddMember("M09", "G-D", S, 1, true);
    AddMember("M10", "G-D", B, 3, true);
    AddMember("M11", "G-E", BS, 4, true);
    AddMember("M12", "G-A", BS, 1, true);
    AddMember("M13", "G-C", BS, 3, false);  // joins mid-run

    for (size_t m = 0; m < members_.size(); ++m)
      if (members_[m].created) SetupAttestations(m, now_);

    AddProgram("P-SZ-CORPUS-2025", 3000, 3'000'000, 12'000'000, 2025,
               {"medical", "legal", "finance"});
    AddProgram("P-SZ-CORPUS-2026", 5000, 2'000'000, 6'000'000, 2026, {});
    AddProgram("P-DG-TINY", 1, 1'000'000'000'000, 20'000, 2026, {"ecommerce", "finance"});
    AddProgram("P-GOV-FULL", 10000, 500'000, 800'000, 2026, {"government", "medical"});

    enrolled_.assign(programs_.size(), std::vector<bool>(members_.size(), false));
    for (size_t m = 0; m < members_.size(); ++m) {
      if (!members_[m].created || !(members_[m].create.roles & kRoleBuyer)) continue;
      for (size_t p = 0; p < programs_.size(); ++p)
        if (P(600)) EnrolNow(p, m);
    }
  }

  void AddProgram(const char* name, int32_t rate, int64_t cap, int64_t budget, int32_t year,
                  std::vector<const char*> domains) {
    ProgramCreate p;
    p.program = Name::of(name);
    p.rate_bps = rate;
    p.member_cap = Fen{cap};
    p.budget = Fen{budget};
    p.year = year;
    p.domain_count = static_cast<uint8_t>(domains.size());
    for (size_t i = 0; i < domains.size(); ++i) p.domains[i] = DomainName::of(domains[i]);
    programs_.push_back(p);
    pending_.push_back(p);
  }

  void EnrolNow(size_t p, size_t m) {
    enrolled_[p][m] = true;
    Enrol e;
    e.program = programs_[p].program;
    e.member = members_[m].create.member;
    pending_.push_back(e);
  }

  // ---- the stream ----
  CommandBody Body() {
    if (!pending_.empty()) {
      CommandBody b = pending_.front();
      pending_.erase(pending_.begin());
      return b;
    }
    // Scheduled events: a listing and a member mid-run, resumes when due.
    if (index_ == 2000 && !instruments_[5].created) {
      instruments_[5].created = true;
      return instruments_[5].create;
    }
    if (index_ == 5000 && !members_[12].created) {
      members_[12].created = true;
      SetupAttestations(12, now_);
      for (size_t p = 0; p < programs_.size(); ++p)
        if (p != 2) EnrolNow(p, 12);
      return members_[12].create;
    }
    for (GInstrument& g : instruments_)
      if (g.halted && g.resume_at <= index_) {
        g.halted = false;
        return InstrumentSetStatus{g.create.symbol, false};
      }
    for (GMember& g : members_)
      if (g.suspended && g.resume_at <= index_) {
        g.suspended = false;
        return MemberSetStatus{g.create.member, false};
      }

    const uint64_t r = U(1000);
    if (r < 550) return MakeNew();
    if (r < 670) return MakeCancel();
    if (r < 790) return MakeReplace();
    if (r < 860) return Tick{};
    if (r < 863) return MakeHalt();
    if (r < 866) {
      if (!P(mix_.kill_per_mille)) return MakeNew();
      return MemberKill{RandomMember().create.member};
    }
    if (r < 868) return MakeSuspend();
    if (r < 871) return MakeRevoke();
    if (r < 877) return MakeRegister();
    if (r < 910) return MakeSettle();
    if (r < 912) return MakeRefdataError();
    return MakeNew();
  }

  GMember& RandomMember() {
    for (;;) {
      GMember& g = members_[U(members_.size())];
      if (g.created) return g;
    }
  }
  size_t RandomMemberIndex() {
    for (;;) {
      const size_t m = U(members_.size());
      if (members_[m].created) return m;
    }
  }
  size_t RandomInstrumentIndex() {
    for (;;) {
      const size_t i = U(instruments_.size());
      if (instruments_[i].created) return i;
    }
  }

  bool AttestationValidFor(const GAttestation& a, size_t m, const GInstrument& inst) const {
    return a.member == m && !a.revoked && a.reg.issued_at <= now_ && a.reg.expires_at > now_ &&
           (a.reg.licences & (1u << static_cast<unsigned>(inst.create.licence))) &&
           a.reg.tier <= inst.create.tier;
  }

  std::string FreshCoid() { return Cat({"c", std::to_string(++coid_seq_)}); }

  CommandBody MakeNew() {
    size_t m = RandomMemberIndex();
    GMember* mem = &members_[m];
    const uint8_t roles = mem->create.roles;
    Side side;
    if (roles == (kRoleBuyer | kRoleSeller))
      side = P(500) ? Side::kBuy : Side::kSell;
    else
      side = (roles & kRoleBuyer) ? Side::kBuy : Side::kSell;

    size_t i = RandomInstrumentIndex();
    if (side == Side::kBuy && P(900)) {
      std::vector<size_t> ok;
      for (size_t k = 0; k < instruments_.size(); ++k)
        if (instruments_[k].created && instruments_[k].create.tier <= mem->create.tier)
          ok.push_back(k);
      if (!ok.empty()) i = Pick(ok);
    }
    GInstrument* inst = &instruments_[i];
    const int64_t tick = inst->create.tick.v, lot = inst->create.lot.v;
    if (P(30)) inst->mid = std::max<int64_t>(10 * tick, inst->mid + (P(500) ? tick : -tick));
    if (mix_.far_per_mille > 0 && P(mix_.far_per_mille / 20))
      inst->mid = std::max<int64_t>(10 * tick, inst->mid + R(-50'000, 50'000) * tick);

    NewOrder o;
    o.member = mem->create.member;
    o.instrument = inst->create.symbol;
    o.side = side;
    const uint64_t t = U(100);
    const uint64_t g = static_cast<uint64_t>(mix_.gtd_percent);
    const uint64_t rest = 100 - g;  // split 45 : 20 : 15 like the standard mix
    o.tif = t < g                    ? Tif::kGtd
            : t < g + rest * 45 / 80 ? Tif::kGtc
            : t < g + rest * 65 / 80 ? Tif::kIoc
                                     : Tif::kFok;
    o.qty = Qty{lot * (P(900) ? R(1, 10) : R(1, 50))};
    const int64_t w = mix_.price_spread;
    const int64_t k = side == Side::kBuy ? R(-w, w * 3 / 5) : R(-w * 3 / 5, w);
    o.price = Price{std::max(tick, inst->mid + k * tick)};
    if (mix_.far_per_mille > 0 && P(mix_.far_per_mille))
      o.price = Price{std::max(tick, inst->mid + R(-200'000, 200'000) * tick)};
    if (P(200)) o.min_qty = Qty{lot * R(1, o.qty.v / lot)};
    // Short GTDs expire within the run's ticks; long ones pile up in the book.
    if (o.tif == Tif::kGtd)
      o.expire_at = now_ + (P(mix_.long_gtd_per_mille) ? R(1, 180) * kMin : R(10, 60'000) * kMs);
    o.client_order_id = ClientOrderId::of(FreshCoid());

    if (side == Side::kSell) {
      std::vector<size_t> valid;
      for (size_t a = 0; a < attestations_.size(); ++a)
        if (AttestationValidFor(attestations_[a], m, *inst)) valid.push_back(a);
      if (!valid.empty())
        o.attestation = attestations_[Pick(valid)].reg.attestation;
      else if (!attestations_.empty())
        o.attestation = Pick(attestations_).reg.attestation;
    } else {
      std::vector<size_t> mine;
      for (size_t p = 0; p < programs_.size(); ++p)
        if (enrolled_[p][m]) mine.push_back(p);
      if (!mine.empty() && P(550)) o.voucher = programs_[Pick(mine)].program;
    }

    if (P(80)) Inject(o, m);
    if (P(15)) Inject(o, m);

    // The generator's own bookkeeping for later cancels / replaces / duplicates.
    last_kind_ = Kind::kNew;
    last_member_ = static_cast<size_t>(
        std::find_if(members_.begin(), members_.end(),
                     [&](const GMember& g) { return g.create.member.view() == o.member.view(); }) -
        members_.begin());
    last_instrument_ = last_instrument_hint(o);
    last_coid_ = o.client_order_id.str();
    if (last_member_ < members_.size() && !o.client_order_id.empty())
      Remember(members_[last_member_].coids, o.client_order_id.str(), 64);
    return o;
  }

  // Makes one thing about `o` wrong (or, for a few kinds, possibly wrong).
  void Inject(NewOrder& o, size_t m) {
    const GInstrument& inst = instruments_[last_instrument_hint(o)];
    const int64_t tick = inst.create.tick.v, lot = inst.create.lot.v;
    switch (U(17)) {
      case 0:
        o.member = MemberName::of(P(500) ? "M99" : "");
        break;
      case 1:
        o.instrument = Name::of(P(500) ? "NOPE.SYM" : "");
        break;
      case 2: {  // the side the member may not take (FORBIDDEN for single-role members)
        o.side = o.side == Side::kBuy ? Side::kSell : Side::kBuy;
        break;
      }
      case 3:
        o.tif = Tif::kGtd;
        o.expire_at = P(500) ? now_ : now_ - R(1, 5000) * kMs;
        break;
      case 4:
        o.tif = P(500) ? Tif::kGtc : (P(500) ? Tif::kIoc : Tif::kFok);
        o.expire_at = now_ + R(1, 100) * kSec;
        break;
      case 5:
        o.tif = Tif::kGtd;
        o.expire_at = kNever;
        break;
      case 6: {
        const uint64_t w = U(3);
        if (w == 0)
          o.qty = Qty{0};
        else if (w == 1)
          o.qty = Qty{-lot * R(1, 5)};
        else
          o.qty = Qty{lot > 1 ? lot * R(1, 5) + R(1, lot - 1) : -1};
        break;
      }
      case 7: {
        const uint64_t w = U(3);
        if (w == 0)
          o.min_qty = Qty{-lot};
        else if (w == 1)
          o.min_qty = Qty{o.qty.v + lot};
        else
          o.min_qty = Qty{lot > 1 ? lot + 1 : -2};
        break;
      }
      case 8: {
        const uint64_t w = U(3);
        if (w == 0)
          o.price = Price{0};
        else if (w == 1)
          o.price = Price{-tick * R(1, 3)};
        else
          o.price = Price{tick > 1 ? o.price.v + R(1, tick - 1) : -7};
        break;
      }
      case 9: {  // qty x price over int64
        // price >= 2 keeps (max / price / lot + 1) * lot itself within int64.
        const int64_t price = std::max<int64_t>(o.price.v, std::max<int64_t>(tick, 2));
        o.price = Price{price};
        o.qty = Qty{(std::numeric_limits<int64_t>::max() / price / lot + 1) * lot};
        o.min_qty = Qty{0};
        break;
      }
      case 10:
        o.client_order_id = ClientOrderId{};
        break;
      case 11: {
        const auto& dups = members_[m].reusable_coids;
        if (!dups.empty()) o.client_order_id = ClientOrderId::of(Pick(dups));
        break;
      }
      case 12:
        if (o.side == Side::kBuy) o.attestation = Pick(attestations_).reg.attestation;
        break;
      case 13:
        if (o.side == Side::kSell) o.voucher = Pick(programs_).program;
        break;
      case 14: {
        const uint64_t w = U(4);
        if (w == 0)
          o.attestation = Name{};
        else if (w == 1)
          o.attestation = Name::of("AT-UNKNOWN");
        else
          o.attestation = Pick(attestations_).reg.attestation;  // often another member's
        break;
      }
      case 15:
        if (o.side == Side::kBuy) {
          if (P(300)) {
            o.voucher = Name::of("P-NONE");
          } else {
            for (size_t p = 0; p < programs_.size(); ++p)
              if (!enrolled_[p][m]) o.voucher = programs_[p].program;
          }
        }
        break;
      case 16:  // an instrument the buyer may not be qualified for
        for (const GInstrument& g : instruments_)
          if (g.created && g.create.tier > members_[m].create.tier) {
            o.instrument = g.create.symbol;
            o.price = Price{g.mid};
            o.qty = g.create.lot;
            o.min_qty = Qty{0};
            break;
          }
        break;
    }
  }
  size_t last_instrument_hint(const NewOrder& o) const {
    for (size_t i = 0; i < instruments_.size(); ++i)
      if (instruments_[i].create.symbol.view() == o.instrument.view()) return i;
    return 0;
  }

  CommandBody MakeCancel() {
    CancelOrder c;
    const uint64_t r = U(100);
    if (r < 55 || r >= 95) {
      if (known_.empty()) return Tick{};
      const Known& k = PickKnown();
      c.order_id = k.id;
      c.member = members_[k.member].create.member;
      if (r < 55 && r >= 45) c.member = RandomMember().create.member;  // not the owner
      if (r >= 95) c.reason = Reason::kCancelOnDisconnect;
    } else if (r < 85) {
      const size_t m = RandomMemberIndex();
      c.member = members_[m].create.member;
      if (members_[m].coids.empty()) return Tick{};
      c.client_order_id = ClientOrderId::of(Pick(members_[m].coids));
    } else if (r < 88) {
      c.member = RandomMember().create.member;
      c.order_id = 1'000'000'000'000ULL + U(1000);
    } else if (r < 89) {
      c.member = RandomMember().create.member;  // neither id nor client order id
    } else if (r < 90) {
      c.member = MemberName::of("M99");
      c.order_id = known_.empty() ? 1 : PickKnown().id;
    } else {
      c.member = RandomMember().create.member;
      c.client_order_id = ClientOrderId::of(Cat({"nope-", std::to_string(U(100))}));
    }
    return c;
  }

  const Known& PickKnown() {
    // Mostly recent orders: they are the likeliest to be live.
    const size_t n = known_.size();
    const size_t newest = known_.size() < 300 ? n - 1 : (known_next_ + n - 1) % n;
    const size_t back = U(std::min<size_t>(n, P(800) ? 40 : n));
    return known_[(newest + n - back) % n];
  }

  CommandBody MakeReplace() {
    if (known_.empty()) return Tick{};
    const Known& k = PickKnown();
    const GInstrument& inst = instruments_[k.instrument];
    const int64_t tick = inst.create.tick.v, lot = inst.create.lot.v;
    ReplaceOrder c;
    c.order_id = k.id;
    c.member = members_[k.member].create.member;
    if (P(60)) c.member = RandomMember().create.member;
    const uint64_t r = U(100);
    if (r < 25) {
      c.qty = Qty{lot * R(1, std::max<int64_t>(1, k.qty / lot))};
    } else if (r < 45) {
      c.qty = Qty{k.qty + lot * R(1, 10)};
    } else if (r < 75) {
      c.price = Price{std::max(tick, k.price + tick * R(-4, 4))};
    } else if (r < 88) {
      c.qty = Qty{lot * R(1, 12)};
      c.price = Price{std::max(tick, k.price + tick * R(-4, 4))};
    } else if (r < 92) {
      c.price = Price{k.price};
      c.qty = Qty{lot * R(1, std::max<int64_t>(1, k.qty / lot))};
    } else {
      switch (U(8)) {
        case 0:
          c.qty = Qty{lot > 1 ? lot + 1 : -1};
          break;
        case 1:
          c.qty = Qty{-lot};
          break;
        case 2:
          c.price = Price{tick > 1 ? k.price + 1 : -1};
          break;
        case 3:
          c.price = Price{-tick};
          break;
        case 4:
          break;  // neither field
        case 5:
          c.order_id = 0;
          c.qty = Qty{lot};
          break;
        case 6:
          c.qty = Qty{std::numeric_limits<int64_t>::max() / lot * lot};
          break;  // TOO_LARGE
        case 7:
          c.member = MemberName::of("M99");
          c.qty = Qty{lot};
          break;
      }
    }
    last_kind_ = Kind::kReplace;
    return c;
  }

  CommandBody MakeHalt() {
    const size_t i = RandomInstrumentIndex();
    if (instruments_[i].halted) return Tick{};
    instruments_[i].halted = true;
    instruments_[i].resume_at = index_ + R(20, 200);
    return InstrumentSetStatus{instruments_[i].create.symbol, true};
  }

  CommandBody MakeSuspend() {
    const size_t m = RandomMemberIndex();
    if (members_[m].suspended) return Tick{};
    members_[m].suspended = true;
    members_[m].resume_at = index_ + R(30, 300);
    return MemberSetStatus{members_[m].create.member, true};
  }

  CommandBody MakeRevoke() {
    AttestationRevoke r;
    r.reason = Text::of("assessment withdrawn");
    if (P(50) || attestations_.empty()) {
      r.attestation = Name::of("AT-UNKNOWN");
      return r;
    }
    GAttestation& a = attestations_[U(attestations_.size())];
    a.revoked = true;  // a second revoke is ATTESTATION_INVALID, also fine
    r.attestation = a.reg.attestation;
    return r;
  }

  CommandBody MakeRegister() {
    size_t m;
    do m = RandomMemberIndex();
    while (!(members_[m].create.roles & kRoleSeller));
    const int tier = P(700) ? 1 : static_cast<int>(R(2, 4));
    const uint8_t licences = static_cast<uint8_t>(R(1, 15));
    if (P(50))  // registered already expired
      return MakeAttestation(m, licences, tier, now_ - R(60, 120) * kMin, now_ - R(1, 30) * kMin);
    const TimeNs issued = P(100) ? now_ + R(1, 300) * kSec : now_ - R(0, 600) * kSec;
    return MakeAttestation(m, licences, tier, issued, std::max(issued, now_) + R(1, 60) * kMin);
  }

  CommandBody MakeSettle() {
    ClaimSettle s;
    if (!claims_.empty() && P(800))
      s.trade_id = Pick(claims_);
    else
      s.trade_id = 1 + U(max_trade_ + 5);
    const uint64_t r = U(100);
    s.status = r < 40   ? ClaimStatus::kApproved
               : r < 70 ? ClaimStatus::kPaid
               : r < 90 ? ClaimStatus::kRejected
                        : ClaimStatus::kReserved;
    return s;
  }

  CommandBody MakeRefdataError() {
    switch (U(9)) {
      case 0:
        return RandomMember().create;  // ALREADY_EXISTS
      case 1:
        return instruments_[RandomInstrumentIndex()].create;
      case 2:
        return Pick(attestations_).reg;
      case 3:
        return Pick(programs_);
      case 4:
        return Enrol{Name::of("P-NONE"), RandomMember().create.member};
      case 5:
        return MemberKill{MemberName::of("M99")};
      case 6:
        return InstrumentSetStatus{Name::of("NOPE.SYM"), true};
      case 7:
        return MemberSetStatus{MemberName::of("M99"), true};
      default: {
        // Enrolling again where already enrolled.
        for (size_t p = 0; p < programs_.size(); ++p)
          for (size_t m = 0; m < members_.size(); ++m)
            if (enrolled_[p][m] && P(100))
              return Enrol{programs_[p].program, members_[m].create.member};
        return Tick{};
      }
    }
  }

  std::mt19937_64 rng_;
  Mix mix_;
  uint64_t index_ = 0;
  TimeNs now_ = 0;
  bool in_setup_ = true;
  std::vector<CommandBody> pending_;
  std::vector<GInstrument> instruments_;
  std::vector<GMember> members_;
  std::vector<GAttestation> attestations_;
  std::vector<ProgramCreate> programs_;
  std::vector<std::vector<bool>> enrolled_;  // [program][member]
  uint64_t attestation_seq_ = 0;
  uint64_t coid_seq_ = 0;

  Kind last_kind_ = Kind::kOther;
  size_t last_member_ = 0;
  size_t last_instrument_ = 0;
  std::string last_coid_;
  std::vector<Known> known_;
  size_t known_next_ = 0;
  std::vector<TradeId> claims_;
  TradeId max_trade_ = 0;
};

}  // namespace corpex::testing
