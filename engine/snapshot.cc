// Save, Restore and Digest: the whole engine state in one canonical byte
// string. Orders are written per book in priority order, so the bytes do not
// depend on pool slots, and a restored engine behaves exactly as the saved
// one. Little-endian fields, length-prefixed strings, a version up front.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "engine/engine_impl.h"

namespace corpex {
namespace {

constexpr uint32_t kSnapshotMagic = 0x43505831;  // "CPX1"
// 2: programs' delivery_required, every trade's delivery, open RFQs and
// quotes. 1 is still read (no deliveries: trades made before have none).
constexpr uint32_t kSnapshotVersion = 2;
// Where the clock and the command count sit in a snapshot (after magic,
// version and the two id counters). They record when, not what: a rejected
// command moves them but changes no exchange state, so Digest() skips them.
constexpr size_t kClockOffset = 4 * 8;
constexpr size_t kClockBytes = 2 * 8;

class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_->push_back(static_cast<char>(v >> (8 * i)));
  }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void U32(uint32_t v) { U64(v); }
  void Str(std::string_view s) {
    U64(s.size());
    out_->append(s);
  }

 private:
  std::string* out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  uint64_t U64() {
    if (in_.size() - pos_ < 8) return Bad();
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{static_cast<unsigned char>(in_[pos_ + i])} << (8 * i);
    pos_ += 8;
    return v;
  }
  int64_t I64() { return static_cast<int64_t>(U64()); }
  uint32_t U32() { return static_cast<uint32_t>(U64()); }
  std::string Str() {
    const uint64_t n = U64();
    if (!ok_ || in_.size() - pos_ < n) return Bad(), std::string();
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  uint64_t Bad() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void SaveNames(Writer& w, const NameMap& map) {
  w.U64(map.size());
  for (const std::string& name : map.names()) w.Str(name);
}

void LoadNames(Reader& r, NameMap& map) {
  const uint64_t n = r.U64();
  for (uint64_t i = 0; i < n && r.ok(); ++i) map.Add(r.Str());
}

}  // namespace

std::string Engine::Save() const {
  const Impl& e = *impl_;
  std::string out;
  Writer w(&out);
  w.U32(kSnapshotMagic);
  w.U32(kSnapshotVersion);
  w.U64(e.next_order_id_);
  w.U64(e.next_trade_id_);
  w.I64(e.clock_);
  w.U64(e.commands_);
  SaveNames(w, e.groups_);
  SaveNames(w, e.domains_);
  w.U64(e.instruments_.size());
  for (const Instrument& i : e.instruments_) {
    w.Str(i.symbol), w.Str(i.domain), w.Str(i.language);
    w.U32(static_cast<uint32_t>(i.modality)), w.U32(static_cast<uint32_t>(i.licence));
    w.I64(i.term_months), w.U32(i.tier), w.U32(static_cast<uint32_t>(i.unit));
    w.I64(i.tick.v), w.I64(i.lot.v), w.U32(i.halted), w.U32(i.domain_id);
  }
  w.U64(e.members_.size());
  for (const Member& m : e.members_) {
    w.Str(m.member), w.Str(m.name), w.Str(m.group);
    w.U32(m.group_id), w.U32(m.roles), w.U32(m.tier), w.U32(m.suspended);
  }
  w.U64(e.attestations_.size());
  for (const Attestation& a : e.attestations_) {
    w.Str(a.attestation), w.U32(a.member), w.Str(a.dataset), w.Str(a.assessor);
    w.U32(a.licences), w.U32(a.tier), w.I64(a.issued_at), w.I64(a.expires_at);
    w.U32(a.revoked), w.Str(a.revoke_reason);
  }
  w.U64(e.programs_.size());
  for (const Program& p : e.programs_) {
    w.Str(p.program), w.I64(p.rate_bps), w.I64(p.member_cap.v), w.I64(p.budget.v);
    w.I64(p.budget_left.v), w.I64(p.year);
    w.U64(p.domains.size());
    for (size_t d = 0; d < p.domains.size(); ++d) w.Str(p.domains[d]), w.U32(p.domain_ids[d]);
    w.U32(p.delivery_required);
  }
  std::vector<std::pair<uint64_t, Ledger>> ledgers(e.ledgers_.begin(), e.ledgers_.end());
  std::sort(ledgers.begin(), ledgers.end(), [](auto& a, auto& b) { return a.first < b.first; });
  w.U64(ledgers.size());
  for (const auto& [key, l] : ledgers) {
    w.U64(key), w.I64(l.reserved.v), w.I64(l.approved.v), w.I64(l.paid.v), w.I64(l.rejected.v);
  }
  w.U64(e.claims_.size());
  for (const auto& [id, c] : e.claims_) {
    w.U64(c.trade_id), w.U32(c.program), w.U32(c.member), w.I64(c.amount.v);
    w.U32(static_cast<uint32_t>(c.status)), w.I64(c.ts);
  }
  auto heap = e.gtd_heap_;
  std::sort(heap.begin(), heap.end());
  w.U64(heap.size());
  for (const auto& [t, id] : heap) w.I64(t), w.U64(id);
  w.U64(e.attestation_expiries_.size());
  for (const auto& [t, a] : e.attestation_expiries_) w.I64(t), w.U32(a);

  w.U64(e.delivery_base_);
  w.U64(e.deliveries_.size());
  for (size_t k = 0; k < e.deliveries_.size(); ++k) {
    const Impl::DeliveryRow& d = e.deliveries_[k];
    w.U32(d.buyer), w.U32(d.seller), w.U32(d.attestation), w.U32(d.instrument);
    w.U32(static_cast<uint32_t>(d.state));
  }
  w.U64(e.next_rfq_id_), w.U64(e.next_quote_id_);
  w.U64(e.rfqs_.size());
  for (const auto& [id, r] : e.rfqs_)
    w.U64(id), w.U32(r.buyer), w.U32(r.instrument), w.I64(r.qty), w.U32(r.voucher), w.I64(r.expire_at);
  w.U64(e.quotes_.size());
  for (const auto& [id, q] : e.quotes_)
    w.U64(id), w.U64(q.rfq), w.U32(q.seller), w.I64(q.price), w.U32(q.attestation), w.I64(q.valid_until),
        w.U32(static_cast<uint32_t>(q.consideration)), w.Str(q.equity.company_view()), w.I64(q.equity.shares),
        w.I64(q.equity.valuation);

  w.U64(e.resting_);
  for (InstrumentId i = 0; i < e.books_.size(); ++i) {
    for (const Side side : {Side::kBuy, Side::kSell}) {
      const BookSide& bs = e.books_[i].side(side);
      for (LevelRef r = bs.Best(); r.level != kNone; r = bs.NextWorse(r)) {
        for (Slot s = e.levels_[r.level].head; s != kNoSlot; s = e.pool_.hot(s).next) {
          const OrderNode& n = e.pool_.hot(s);
          const OrderCold& c = e.pool_.cold(s);
          w.U32(i), w.U32(static_cast<uint32_t>(side)), w.U64(n.id), w.I64(n.price);
          w.I64(n.open), w.I64(n.filled), w.I64(n.min_qty), w.I64(n.expire_at), w.U32(n.member);
          w.I64(c.gtd_expire), w.U32(c.ref), w.U32(static_cast<uint32_t>(c.tif)), w.Str(c.coid.view());
        }
      }
    }
  }
  return out;
}

Status Engine::Restore(std::string_view snapshot) {
  auto fresh = std::make_unique<Impl>(impl_->options_);
  Impl& e = *fresh;
  Reader r(snapshot);
  if (r.U32() != kSnapshotMagic) return Status(ErrorCode::kInternal, "not an engine snapshot");
  const uint32_t version = r.U32();
  if (version != 1 && version != kSnapshotVersion)
    return Status(ErrorCode::kInternal, "snapshot version " + std::to_string(version) + " unsupported");
  e.next_order_id_ = r.U64();
  e.next_trade_id_ = r.U64();
  e.clock_ = r.I64();
  e.commands_ = r.U64();
  LoadNames(r, e.groups_);
  LoadNames(r, e.domains_);
  for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
    Instrument i;
    i.symbol = r.Str(), i.domain = r.Str(), i.language = r.Str();
    i.modality = static_cast<Modality>(r.U32()), i.licence = static_cast<Licence>(r.U32());
    i.term_months = static_cast<int32_t>(r.I64()), i.tier = static_cast<uint8_t>(r.U32());
    i.unit = static_cast<Unit>(r.U32()), i.tick = Price(r.I64()), i.lot = Qty(r.I64());
    i.halted = r.U32() != 0, i.domain_id = r.U32();
    e.instrument_by_symbol_.Add(i.symbol);
    e.books_.emplace_back(i.tick.v);
    e.instruments_.push_back(std::move(i));
  }
  for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
    Member m;
    m.member = r.Str(), m.name = r.Str(), m.group = r.Str();
    m.group_id = r.U32(), m.roles = static_cast<uint8_t>(r.U32());
    m.tier = static_cast<uint8_t>(r.U32()), m.suspended = r.U32() != 0;
    e.member_by_name_.Add(m.member);
    e.members_.push_back(std::move(m));
  }
  for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
    Attestation a;
    a.attestation = r.Str(), a.member = r.U32(), a.dataset = r.Str(), a.assessor = r.Str();
    a.licences = static_cast<uint8_t>(r.U32()), a.tier = static_cast<uint8_t>(r.U32());
    a.issued_at = r.I64(), a.expires_at = r.I64(), a.revoked = r.U32() != 0;
    a.revoke_reason = r.Str();
    e.attestation_by_name_.Add(a.attestation);
    e.attestations_.push_back(std::move(a));
  }
  for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
    Program p;
    p.program = r.Str(), p.rate_bps = static_cast<int32_t>(r.I64());
    p.member_cap = Fen(r.I64()), p.budget = Fen(r.I64()), p.budget_left = Fen(r.I64());
    p.year = static_cast<int32_t>(r.I64());
    for (uint64_t d = r.U64(); d > 0 && r.ok(); --d) {
      p.domains.push_back(r.Str());
      p.domain_ids.push_back(r.U32());
    }
    if (version >= 2) p.delivery_required = r.U32() != 0;
    e.program_by_name_.Add(p.program);
    e.programs_.push_back(std::move(p));
  }
  for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
    const uint64_t key = r.U64();
    Ledger l;
    l.reserved = Fen(r.I64()), l.approved = Fen(r.I64()), l.paid = Fen(r.I64());
    l.rejected = Fen(r.I64());
    e.ledgers_.emplace(key, l);
  }
  for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
    Claim c;
    c.trade_id = r.U64(), c.program = r.U32(), c.member = r.U32(), c.amount = Fen(r.I64());
    c.status = static_cast<ClaimStatus>(r.U32()), c.ts = r.I64();
    e.claims_.emplace(c.trade_id, c);
  }
  for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
    const TimeNs t = r.I64();
    e.gtd_heap_.emplace_back(t, r.U64());
  }
  std::make_heap(e.gtd_heap_.begin(), e.gtd_heap_.end(), std::greater<>());
  for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
    const TimeNs t = r.I64();
    e.attestation_expiries_.emplace(t, r.U32());
  }
  if (version >= 2) {
    e.delivery_base_ = r.U64();
    for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
      Impl::DeliveryRow d;
      d.buyer = r.U32(), d.seller = r.U32(), d.attestation = r.U32(), d.instrument = r.U32();
      const uint32_t state = r.U32();
      if (state > static_cast<uint32_t>(DeliveryState::kFailed))
        return Status(ErrorCode::kInternal, "snapshot delivery state corrupt");
      d.state = static_cast<DeliveryState>(state);
      e.deliveries_.push_back(d);
    }
    e.next_rfq_id_ = r.U64();
    e.next_quote_id_ = r.U64();
    for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
      const uint64_t id = r.U64();
      Impl::OpenRfq q;
      q.buyer = r.U32(), q.instrument = r.U32(), q.qty = r.I64(), q.voucher = r.U32(), q.expire_at = r.I64();
      e.rfqs_[id] = q;
    }
    for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
      const uint64_t id = r.U64();
      Impl::OpenQuote q;
      q.rfq = r.U64(), q.seller = r.U32(), q.price = r.I64(), q.attestation = r.U32(), q.valid_until = r.I64();
      q.consideration = r.U32() == 1 ? Consideration::kEquity : Consideration::kCash;
      const std::string company = r.Str();
      if (company.size() == kUsccLen) std::memcpy(q.equity.company, company.data(), kUsccLen);
      q.equity.shares = r.I64(), q.equity.valuation = r.I64();
      e.quotes_[id] = q;
    }
  } else {
    e.delivery_base_ = e.next_trade_id_;
  }
  for (uint64_t n = r.U64(); n > 0 && r.ok(); --n) {
    const InstrumentId i = r.U32();
    const auto side = static_cast<Side>(r.U32());
    if (i >= e.books_.size()) return Status(ErrorCode::kInternal, "snapshot order of unknown book");
    const Slot s = e.pool_.Allocate();
    OrderNode& node = e.pool_.hot(s);
    node.id = r.U64(), node.price = r.I64(), node.open = r.I64(), node.filled = r.I64();
    node.min_qty = r.I64(), node.expire_at = r.I64(), node.member = r.U32();
    OrderCold& c = e.pool_.cold(s);
    c.gtd_expire = r.I64(), c.ref = r.U32(), c.tif = static_cast<Tif>(r.U32());
    c.coid.assign(r.Str());
    c.instrument = i;
    c.side = side;
    e.ids_.Insert(node.id, s);
    c.coid_key = e.CoidKey(node.member, c.coid.view());
    e.coids_.Insert(c.coid_key, s);
    e.Link(s, i, side);
    ++e.resting_;
  }
  if (!r.ok() || !r.AtEnd()) return Status(ErrorCode::kInternal, "snapshot is truncated or corrupt");
  e.ev_.Clear();
  impl_ = std::move(fresh);
  return Status::Ok();
}

std::string Engine::Digest() const {
  std::string bytes = Save();
  bytes.erase(kClockOffset, kClockBytes);
  uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
  for (const char ch : bytes) {
    a = (a ^ static_cast<unsigned char>(ch)) * 0x100000001b3ull;
    b = (b ^ static_cast<unsigned char>(ch)) * 0x00000100000001b3ull + 0x9e3779b97f4a7c15ull;
  }
  char out[33];
  std::snprintf(out, sizeof out, "%016llx%016llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b));
  return out;
}

}  // namespace corpex
