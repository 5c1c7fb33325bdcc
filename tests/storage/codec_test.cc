// Binary codec: every command kind and record round-trips field for field,
// and damaged input is refused rather than misread.
#include "storage/codec.h"

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "storage/keys.h"

namespace corpex {
namespace {

std::vector<Command> EveryKind() {
  std::vector<Command> v;
  NewOrder n;
  n.member = MemberName::of("M1");
  n.instrument = Name::of("ZH-MED-DIALOG.TRAIN.12M");
  n.side = Side::kSell;
  n.tif = Tif::kGtd;
  n.qty = Qty(1234567890123);
  n.price = Price(-5);
  n.min_qty = Qty(7);
  n.expire_at = 1740787200123456789;
  n.client_order_id = ClientOrderId::of("client-42");
  n.attestation = Name::of("ATT-1");
  n.voucher = Name::of("SZ-2025");
  v.push_back({1, n});
  CancelOrder c;
  c.member = MemberName::of("M2");
  c.order_id = 0xFFFFFFFFFFFFFFF0ULL;
  c.client_order_id = ClientOrderId::of("x");
  c.reason = Reason::kCancelOnDisconnect;
  v.push_back({2, c});
  v.push_back({3, ReplaceOrder{MemberName::of("M3"), 99, Qty(10), Price(200), {}}});
  v.push_back({4, MemberCreate{MemberName::of("M4"), Text::of("名字 Ltd"), MemberName::of("G"),
                               kRoleBuyer | kRoleSeller, 3}});
  v.push_back({5, MemberSetStatus{MemberName::of("M4"), false}});
  v.push_back({6, MemberKill{MemberName::of("M4")}});
  InstrumentCreate ic;
  ic.symbol = Name::of("EN-LAW");
  ic.domain = DomainName::of("legal");
  ic.language = Language::of("en");
  ic.modality = Modality::kMultimodal;
  ic.licence = Licence::kCommercial;
  ic.term_months = -1;
  ic.tier = 4;
  ic.unit = Unit::kRecord;
  ic.tick = Price(50);
  ic.lot = Qty(10);
  v.push_back({7, ic});
  v.push_back({8, InstrumentSetStatus{Name::of("EN-LAW"), true}});
  AttestationRegister ar;
  ar.attestation = Name::of("A");
  ar.member = MemberName::of("S");
  ar.dataset = DatasetHex::of(std::string(64, 'f'));
  ar.assessor = Text::of(std::string(128, 'z'));
  ar.licences = 0x0F;
  ar.tier = 2;
  ar.issued_at = -1;
  ar.expires_at = kNever;
  v.push_back({9, ar});
  v.push_back({10, AttestationRevoke{Name::of("A"), Text::of("fraud")}});
  ProgramCreate p;
  p.program = Name::of("P");
  p.rate_bps = 3000;
  p.member_cap = Fen(200'000'000);
  p.budget = Fen(5'000'000'000);
  p.year = 2025;
  p.domain_count = kMaxProgramDomains;
  for (size_t i = 0; i < kMaxProgramDomains; ++i)
    p.domains[i] = DomainName::of("d" + std::to_string(i));
  p.delivery_required = true;
  v.push_back({11, p});
  v.push_back({12, Enrol{Name::of("P"), MemberName::of("M1")}});
  v.push_back({13, ClaimSettle{77, ClaimStatus::kRejected}});
  v.push_back({-14, Tick{}});
  DeliveryGrant g;
  g.member = MemberName::of("S1");
  g.trade_id = 0x0102030405060708ULL;
  g.access_ref = Text::of("sandbox://gz-sbx-01/grant/77");
  g.dataset = DatasetHex::of(std::string(64, 'a'));
  g.access_from = 1;
  g.access_until = kNever;
  v.push_back({15, g});
  v.push_back({16, DeliveryConfirm{MemberName::of("B1"), 9}});
  v.push_back({17, DeliveryDispute{MemberName::of("B1"), 9, Text::of("rows missing")}});
  v.push_back({18, DeliveryResolve{9, DeliveryState::kFailed, Text::of("no access given")}});
  v.push_back({19, RfqNew{MemberName::of("B1"), Name::of("SYM"), Qty(40), Name::of("P"), kNever}});
  v.push_back({20, RfqCancel{MemberName::of("B1"), 3}});
  v.push_back({21, QuoteNew{MemberName::of("S1"), 3, Price(1200), Name::of("A"), 77, Consideration::kCash, {}}});
  QuoteNew equity{MemberName::of("S1"), 3, Price(0), Name::of("A"), 77, Consideration::kEquity, {}};
  std::memcpy(equity.equity.company, "91440300MA5G0XXX11", kUsccLen);
  equity.equity.shares = 1'200'000;
  equity.equity.valuation = 3'000'000'000;
  v.push_back({21, equity});
  v.push_back({22, QuoteCancel{MemberName::of("S1"), 5}});
  v.push_back({23, QuoteAccept{MemberName::of("B1"), 0xFFFFFFFFFFFFFFFFULL}});
  return v;
}

bool SameBytes(const Command& a, const Command& b) {
  // Commands are trivially copyable values; decoded strings carry zeroed
  // tails like freshly built ones, so equal commands are equal bytes.
  std::string ea, eb;
  EncodeCommand(a, &ea);
  EncodeCommand(b, &eb);
  return ea == eb && a.ts == b.ts && a.body.index() == b.body.index();
}

TEST_CASE("every command kind round-trips", "[codec]") {
  for (const Command& c : EveryKind()) {
    std::string bytes;
    EncodeCommand(c, &bytes);
    CHECK(static_cast<uint8_t>(bytes[0]) == kCommandCodecVersion);
    Command back;
    Status s = DecodeCommand(bytes, &back);
    INFO("kind " << static_cast<int>(KindOf(c)) << ": " << s.message());
    REQUIRE(s.ok());
    CHECK(SameBytes(c, back));
    CHECK(KindOf(back) == KindOf(c));
  }
}

TEST_CASE("handles are hints the journal does not keep", "[codec]") {
  for (const Command& plain : EveryKind()) {
    Command hinted = plain;
    bool has = false;
    std::visit([&](auto& b) {
      if constexpr (requires { b.handles; }) {
        b.handles = Handles{7, 3, 5};
        has = true;
      }
    }, hinted.body);
    if (!has) continue;
    std::string a, b;
    EncodeCommand(plain, &a);
    EncodeCommand(hinted, &b);
    CHECK(a == b);
    Command back;
    REQUIRE(DecodeCommand(b, &back).ok());
    std::visit([](const auto& body) {
      if constexpr (requires { body.handles; }) {
        CHECK(body.handles.member == kNone);
        CHECK(body.handles.instrument == kNone);
        CHECK(body.handles.attestation == kNone);
      }
    }, back.body);
  }
}

TEST_CASE("command fields are little-endian at fixed offsets", "[codec]") {
  Command c{0x0102030405060708, ClaimSettle{0x1122334455667788ULL, ClaimStatus::kPaid}};
  std::string b;
  EncodeCommand(c, &b);
  const unsigned char expected[] = {2,    13,   0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
                                    0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 2};
  REQUIRE(b.size() == sizeof expected);
  CHECK(std::memcmp(b.data(), expected, sizeof expected) == 0);
}

TEST_CASE("a version-1 journal still reads: its programs need no delivery", "[codec]") {
  ProgramCreate p;
  p.program = Name::of("SZ-CORPUS-2026");
  p.rate_bps = 3000;
  p.delivery_required = true;
  std::string v2;
  EncodeCommand(Command{5, p}, &v2);
  // Version 1 wrote the same fields without the trailing flag.
  std::string v1 = v2.substr(0, v2.size() - 1);
  v1[0] = 1;
  Command back;
  REQUIRE(DecodeCommand(v1, &back).ok());
  const auto& q = std::get<ProgramCreate>(back.body);
  CHECK(q.program.view() == "SZ-CORPUS-2026");
  CHECK(q.rate_bps == 3000);
  CHECK_FALSE(q.delivery_required);
  REQUIRE(DecodeCommand(v2, &back).ok());
  CHECK(std::get<ProgramCreate>(back.body).delivery_required);
  // A version-2 program without its flag is cut short.
  std::string cut = v2.substr(0, v2.size() - 1);
  CHECK_FALSE(DecodeCommand(cut, &back).ok());
}

TEST_CASE("damaged command bytes are refused", "[codec]") {
  for (const Command& c : EveryKind()) {
    std::string good;
    EncodeCommand(c, &good);
    Command out;
    for (size_t cut = 0; cut < good.size(); ++cut) {
      CHECK_FALSE(DecodeCommand(good.substr(0, cut), &out).ok());
    }
    CHECK_FALSE(DecodeCommand(good + "x", &out).ok());
    std::string version = good;
    version[0] = 3;
    CHECK_FALSE(DecodeCommand(version, &out).ok());
  }
  std::string unknown_kind = {2, 99, 0, 0, 0, 0, 0, 0, 0, 0};
  Command out;
  CHECK_FALSE(DecodeCommand(unknown_kind, &out).ok());
  // Side 7 in a new order.
  Command n{0, NewOrder{}};
  std::string b;
  EncodeCommand(n, &b);
  b[10 + 1 + 1] = 7;  // header 10, empty member (1), empty instrument (1), then side
  CHECK_FALSE(DecodeCommand(b, &out).ok());
  // A member name longer than its field.
  std::string longname = {1, 6, 0, 0, 0, 0, 0, 0, 0, 0, 40};
  longname += std::string(40, 'm');
  CHECK_FALSE(DecodeCommand(longname, &out).ok());
}

TradeRecord SampleTrade() {
  TradeRecord t;
  t.id = 42;
  t.ts = 1740787200123456789;
  t.instrument = "ZH-MED-DIALOG.TRAIN.12M";
  t.price = Price(10'000);
  t.qty = Qty(3);
  t.notional = Fen(30'000);
  t.aggressor = Side::kSell;
  t.buy_order = 7;
  t.sell_order = 9;
  t.buyer = "B1";
  t.seller = "卖方";
  t.affiliated = true;
  t.attestation = "ATT-1";
  t.dataset = std::string(64, 'a');
  t.voucher_program = "SZ-2025";
  t.voucher_offset = Fen(9'000);
  t.net_cost = Fen(21'000);
  t.prev_hash = std::string(kGenesisHash);
  t.hash = std::string(64, 'b');
  return t;
}

TEST_CASE("records round-trip", "[codec]") {
  TradeRecord t = SampleTrade();
  std::string b;
  EncodeTrade(t, &b);
  TradeRecord t2;
  REQUIRE(DecodeTrade(b, &t2).ok());
  CHECK(t2 == t);
  for (size_t cut = 0; cut < b.size(); ++cut) CHECK_FALSE(DecodeTrade(b.substr(0, cut), &t2).ok());

  LedgerRecord l{"SZ-2025", "B1", Fen(5), Fen(4), Fen(3), Fen(2)};
  b.clear();
  EncodeLedger(l, &b);
  LedgerRecord l2;
  REQUIRE(DecodeLedger(b, &l2).ok());
  CHECK(l2 == l);

  ClaimRecord c{42, "SZ-2025", "B1", Fen(9'000), ClaimStatus::kApproved, 123};
  b.clear();
  EncodeClaim(c, &b);
  ClaimRecord c2;
  REQUIRE(DecodeClaim(b, &c2).ok());
  CHECK(c2 == c);
  b.back() = 0x7F;  // ts still decodes; the status byte is what is checked
  b[b.size() - 9] = 9;
  CHECK_FALSE(DecodeClaim(b, &c2).ok());

  ProgramRecord p{"SZ-2025", 3000, Fen(1), Fen(2), Fen(3), 2025, {"medical", "legal"}};
  b.clear();
  EncodeProgram(p, &b);
  ProgramRecord p2;
  REQUIRE(DecodeProgram(b, &p2).ok());
  CHECK(p2 == p);
}

TEST_CASE("ms conversion floors", "[codec]") {
  CHECK(ToMillis(1'999'999) == 1);
  CHECK(ToMillis(2'000'000) == 2);
  CHECK(ToMillis(0) == 0);
  CHECK(ToMillis(-1) == -1);
  CHECK(ToMillis(-1'000'000) == -1);
  CHECK(ToMillis(-1'000'001) == -2);
}

}  // namespace
}  // namespace corpex

namespace corpex::testing {
namespace {

using Entry = std::pair<int64_t, TradeId>;

std::vector<Entry> ReadPostings(const std::string& key, const std::string& list, bool* ok) {
  std::vector<Entry> got;
  *ok = storage::ForEachPosting(key, list, [&](int64_t ms, TradeId id) {
    got.emplace_back(ms, id);
    return true;
  });
  return got;
}

TEST_CASE("index posting lists round-trip and refuse damage", "[codec]") {
  // Deltas of every size, a clock step back, extreme times and ids.
  const std::vector<Entry> entries = {{-5, 1},       {-5, 2},         {0, 130},
                                      {1, 131},      {0, 1ULL << 40}, {INT64_MAX, (1ULL << 40) + 1},
                                      {INT64_MIN, UINT64_MAX}};
  std::string key;
  storage::AppendIndexPrefix(&key, storage::IndexScope::kMember, "B1");
  storage::AppendTimeId(&key, entries[0].first, entries[0].second);
  std::string list;
  for (size_t i = 1; i < entries.size(); ++i) {
    storage::AppendPosting(&list, entries[i - 1].first, entries[i - 1].second, entries[i].first,
                           entries[i].second);
  }
  bool ok = false;
  CHECK(ReadPostings(key, list, &ok) == entries);
  CHECK(ok);
  CHECK(ReadPostings(key, "", &ok) == std::vector<Entry>{entries[0]});  // a key of its own
  CHECK(ok);

  // Stopping early reads no further.
  size_t seen = 0;
  CHECK(storage::ForEachPosting(key, list, [&](int64_t, TradeId) { return ++seen < 3; }));
  CHECK(seen == 3);

  ReadPostings(key, list.substr(0, list.size() - 1), &ok);  // cut inside the last varint
  CHECK_FALSE(ok);
  ReadPostings(key, std::string("\x00\x00", 2), &ok);  // an id that does not increase
  CHECK_FALSE(ok);
  ReadPostings(key, std::string(11, '\xff'), &ok);  // a varint longer than 64 bits
  CHECK_FALSE(ok);
  ReadPostings("short", "", &ok);
  CHECK_FALSE(ok);
}

}  // namespace
}  // namespace corpex::testing
