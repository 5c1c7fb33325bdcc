#include "workload.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

namespace corpex::testing {
namespace {

constexpr int64_t kMs = 1'000'000;
constexpr int64_t kDay = 86'400'000LL * kMs;

struct Rng {
  uint64_t s;
  uint64_t next() {  // splitmix64
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t in(int64_t lo, int64_t hi) {  // [lo, hi]
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool chance(int percent) { return static_cast<int>(next() % 100) < percent; }
};

struct MemberDef {
  const char* id;
  const char* group;
  uint8_t roles;
  const char* attestation;  // sellers
};
constexpr std::array<MemberDef, 6> kMembers{{
    {"B1", "G-B1", kRoleBuyer, ""},
    {"B2", "G-B2", kRoleBuyer, ""},
    {"B3", "G-AFF", kRoleBuyer, ""},
    {"S1", "G-S1", kRoleSeller, "ATT-S1"},
    {"S2", "G-AFF", kRoleSeller, "ATT-S2"},
    {"X1", "G-X1", kRoleBuyer | kRoleSeller, "ATT-X1"},
}};
struct InstrumentDef {
  const char* symbol;
  const char* domain;
  int64_t tick;
  int64_t lot;
};
constexpr std::array<InstrumentDef, 2> kInstruments{{
    {"ZH-MED-DIALOG.TRAIN.12M", "medical", 100, 1},
    {"EN-LEGAL.FINETUNE.6M", "legal", 50, 10},
}};

// The dataset the setup's attestation i covers (what a grant must name).
std::string DatasetOf(size_t i) {
  std::string hex(64, '0');
  for (size_t k = 0; k < hex.size(); ++k) hex[k] = "0123456789abcdef"[(k * 7 + i * 3) % 16];
  return hex;
}

Command At(uint64_t seq, CommandBody body) {
  return Command{kWorkloadStart + static_cast<int64_t>(seq) * kMs, body};
}

Command Setup(uint64_t seq) {
  uint64_t i = seq - 1;
  if (i < kMembers.size()) {
    const MemberDef& m = kMembers[i];
    MemberCreate c;
    c.member = MemberName::of(m.id);
    c.name = Text::of(std::string("member ") + m.id);
    c.group = MemberName::of(m.group);
    c.roles = m.roles;
    c.tier = 4;
    return At(seq, c);
  }
  i -= kMembers.size();
  if (i < kInstruments.size()) {
    const InstrumentDef& d = kInstruments[i];
    InstrumentCreate c;
    c.symbol = Name::of(d.symbol);
    c.domain = DomainName::of(d.domain);
    c.language = Language::of(i == 0 ? "zh" : "en");
    c.licence = i == 0 ? Licence::kTraining : Licence::kFinetune;
    c.term_months = 12;
    c.tier = 2;
    c.tick = Price(d.tick);
    c.lot = Qty(d.lot);
    return At(seq, c);
  }
  i -= kInstruments.size();
  if (i < 4) {  // attestations of S1, S2, X1, and a short-lived one of S1
    static constexpr const char* kIds[] = {"ATT-S1", "ATT-S2", "ATT-X1", "ATT-S1-SHORT"};
    static constexpr const char* kOwners[] = {"S1", "S2", "X1", "S1"};
    AttestationRegister c;
    c.attestation = Name::of(kIds[i]);
    c.member = MemberName::of(kOwners[i]);
    c.dataset = DatasetHex::of(DatasetOf(i));
    c.assessor = Text::of("King & Wood");
    c.licences = 0x0F;
    c.tier = 1;
    c.issued_at = kWorkloadStart - kDay;
    c.expires_at = i == 3 ? kWorkloadStart + 20'000 * kMs : kWorkloadStart + 3650 * kDay;
    return At(seq, c);
  }
  i -= 4;
  if (i == 0) {
    ProgramCreate c;
    c.program = Name::of(kWorkloadProgram);
    c.rate_bps = 3000;
    c.member_cap = Fen(50'000'000);
    c.budget = Fen(120'000'000);
    c.year = 2025;
    c.domain_count = 1;
    c.domains[0] = DomainName::of("medical");
    return At(seq, c);
  }
  i -= 1;
  static constexpr const char* kEnrolled[] = {"B1", "B2", "B3", "X1"};
  Enrol c;
  c.program = Name::of(kWorkloadProgram);
  c.member = MemberName::of(kEnrolled[i]);
  return At(seq, c);
}

const MemberDef& PickMember(Rng& r, uint8_t role) {
  for (;;) {
    const MemberDef& m = kMembers[r.next() % kMembers.size()];
    if (m.roles & role) return m;
  }
}

Command NewOrderCommand(Rng& r, uint64_t seq) {
  NewOrder o;
  o.side = r.chance(50) ? Side::kBuy : Side::kSell;
  const MemberDef& m = PickMember(r, o.side == Side::kBuy ? kRoleBuyer : kRoleSeller);
  size_t inst = r.next() % kInstruments.size();
  const InstrumentDef& d = kInstruments[inst];
  o.member = MemberName::of(m.id);
  o.instrument = Name::of(d.symbol);
  int64_t mid = inst == 0 ? 10'000 : 4'000;
  int64_t skew = o.side == Side::kBuy ? -1 : 1;  // a spread that crosses often, not always
  o.price = Price(mid + (r.in(-5, 5) + skew) * d.tick);
  o.qty = Qty(d.lot * r.in(1, 20));
  int tif = static_cast<int>(r.in(0, 99));
  o.tif = tif < 60 ? Tif::kGtc : tif < 72 ? Tif::kGtd : tif < 87 ? Tif::kIoc : Tif::kFok;
  int64_t ts = kWorkloadStart + static_cast<int64_t>(seq) * kMs;
  if (o.tif == Tif::kGtd) o.expire_at = ts + r.in(1, 3000) * kMs;
  if (r.chance(10)) o.min_qty = Qty(d.lot * r.in(1, o.qty.v / d.lot));
  std::string coid = std::to_string(seq);
  coid.insert(coid.begin(), 'c');  // not "c" + ...: GCC 12 -Wrestrict false positive
  o.client_order_id = ClientOrderId::of(coid);
  if (o.side == Side::kSell) {
    o.attestation =
        Name::of(std::string(m.id) == "S1" && r.chance(20) ? "ATT-S1-SHORT" : m.attestation);
  } else if (std::string(m.id) != "X1" || r.chance(50)) {
    if (r.chance(70)) o.voucher = Name::of(kWorkloadProgram);
  }
  return At(seq, o);
}

}  // namespace

uint64_t SetupCount() { return kMembers.size() + kInstruments.size() + 4 + 1 + 4; }

Command WorkloadCommand(uint64_t seed, uint64_t seq) {
  if (seq <= SetupCount()) return Setup(seq);
  Rng r{seed * 0x2545F4914F6CDD1DULL ^ seq};
  r.next();
  uint64_t n = seq - SetupCount();
  // Order ids and trade ids grow roughly with n; aim at recent ones.
  auto recent = [&](uint64_t span) {
    uint64_t hi = n / 2 + 2;
    uint64_t lo = hi > span ? hi - span : 1;
    return static_cast<uint64_t>(r.in(static_cast<int64_t>(lo), static_cast<int64_t>(hi)));
  };
  int kind = static_cast<int>(r.in(0, 99));
  if (kind < 58) return NewOrderCommand(r, seq);
  if (kind < 75) {
    CancelOrder c;
    c.member = MemberName::of(kMembers[r.next() % kMembers.size()].id);
    c.order_id = recent(60);
    return At(seq, c);
  }
  if (kind < 81) {
    ReplaceOrder c;
    c.member = MemberName::of(kMembers[r.next() % kMembers.size()].id);
    c.order_id = recent(60);
    if (r.chance(50)) c.qty = Qty(10 * r.in(1, 10));
    if (c.qty.v == 0 || r.chance(40)) c.price = Price(10'000 + 100 * r.in(-4, 4));
    return At(seq, c);
  }
  // Ids of what is made about as often as an RFQ or a quote (one every ~250
  // commands): the latest few, most of which exist.
  auto latest = [&](uint64_t every, int64_t span) {
    const int64_t hi = static_cast<int64_t>(n / every) + 1;
    return static_cast<uint64_t>(r.in(std::max<int64_t>(1, hi - span), hi));
  };
  if (kind < 87) {  // a delivery step on a recent trade by a member of the right role: some are refused
    // One trade in focus for 700 commands (~14 steps), so its delivery can
    // get through grant, dispute and confirm; trades come every ~7 commands.
    const uint64_t trade = (n / 700) * 100 + 1;
    const int step = static_cast<int>(r.in(0, 99));
    if (step < 40) {
      const MemberDef& m = PickMember(r, kRoleSeller);
      DeliveryGrant g;
      const bool op = r.chance(15);
      g.member = MemberName::of(op ? "" : m.id);
      g.trade_id = trade;
      g.access_ref = Text::of("sandbox://crash/" + std::to_string(seq));
      const size_t att = std::string(m.id) == "S1" ? 0 : std::string(m.id) == "S2" ? 1 : 2;
      g.dataset = DatasetHex::of(DatasetOf(op ? r.in(0, 2) : att));
      g.access_from = kWorkloadStart;
      g.access_until = kWorkloadStart + 3650 * kDay;
      return At(seq, g);
    }
    const char* buyer = PickMember(r, kRoleBuyer).id;
    if (step < 60) return At(seq, DeliveryConfirm{MemberName::of(buyer), trade});
    if (step < 92) return At(seq, DeliveryDispute{MemberName::of(buyer), trade, Text::of("rows missing")});
    return At(seq, DeliveryResolve{trade, r.chance(70) ? DeliveryState::kConfirmed : DeliveryState::kFailed,
                                   Text::of("settled")});
  }
  if (kind < 89) {  // negotiation: RFQs, quotes and acceptances on recent ids
    const uint64_t id = latest(250, 3);
    switch (r.in(0, 2)) {
      case 0: {
        RfqNew q;
        q.member = MemberName::of(PickMember(r, kRoleBuyer).id);
        q.instrument = Name::of(kInstruments[0].symbol);
        q.qty = Qty(r.in(1, 20));
        if (r.chance(20)) q.voucher = Name::of(kWorkloadProgram);
        q.expire_at = kWorkloadStart + static_cast<int64_t>(seq) * kMs + r.in(1, 5000) * kMs;
        return At(seq, q);
      }
      case 1: {
        const MemberDef& m = PickMember(r, kRoleSeller);
        QuoteNew q;
        q.member = MemberName::of(m.id);
        q.rfq_id = id;
        q.attestation = Name::of(m.attestation);
        q.valid_until = kWorkloadStart + static_cast<int64_t>(seq) * kMs + r.in(1, 3000) * kMs;
        if (r.chance(20)) {
          q.consideration = Consideration::kEquity;
          std::memcpy(q.equity.company, "91440300MA5G0XXX11", kUsccLen);
          q.equity.shares = r.in(1, 1000);
          q.equity.valuation = r.in(1, 10'000'000);
        } else {
          q.price = Price(10'000 + 100 * r.in(-5, 5));
        }
        return At(seq, q);
      }
      default:
        return At(seq, QuoteAccept{MemberName::of(PickMember(r, kRoleBuyer).id), id});
    }
  }
  if (kind < 93) return At(seq, Tick{});
  if (kind < 97) {
    ClaimSettle c;
    c.trade_id = recent(200) / 2 + 1;
    c.status = static_cast<ClaimStatus>(r.in(1, 3));
    return At(seq, c);
  }
  if (kind < 98) {
    MemberKill c;
    c.member = MemberName::of(kMembers[r.next() % kMembers.size()].id);
    return At(seq, c);
  }
  if (kind < 99) {
    MemberSetStatus c;
    c.member = MemberName::of(kMembers[r.next() % kMembers.size()].id);
    c.suspend = r.chance(30);
    return At(seq, c);
  }
  InstrumentSetStatus c;
  c.symbol = Name::of(kInstruments[r.next() % kInstruments.size()].symbol);
  c.halt = r.chance(30);
  return At(seq, c);
}

}  // namespace corpex::testing
