// Engine thread: turn a command's events into owned, named records (entry.h).
#include <type_traits>

#include "corpex/codec.h"
#include "storage/entry.h"
#include "storage/keys.h"
#include "storage/wire.h"

namespace corpex::storage {
namespace {

template <typename T>
const T* At(const std::vector<T>& v, uint32_t id) {
  return id < v.size() ? &v[id] : nullptr;
}

std::string MemberName(const Engine& e, MemberId id) {
  const Member* m = At(e.members(), id);
  return m ? m->member : std::string();
}

ProgramRecord ProgramOf(const Program& p) {
  return ProgramRecord{p.program,     p.rate_bps, p.member_cap, p.budget,
                       p.budget_left, p.year,     p.domains};
}

// The refdata mirror's encodings of members, instruments and attestations:
// written for operators' and regulators' reads, never needed by recovery.
std::string EncodeMember(const Member& m) {
  std::string v;
  wire::ByteWriter w(&v);
  w.u8(kRecordCodecVersion);
  w.str16(m.member);
  w.str16(m.name);
  w.str16(m.group);
  w.u8(m.roles);
  w.u8(m.tier);
  w.boolean(m.suspended);
  return v;
}

std::string EncodeInstrument(const Instrument& i) {
  std::string v;
  wire::ByteWriter w(&v);
  w.u8(kRecordCodecVersion);
  w.str16(i.symbol);
  w.str16(i.domain);
  w.str16(i.language);
  w.u8(static_cast<uint8_t>(i.modality));
  w.u8(static_cast<uint8_t>(i.licence));
  w.i32(i.term_months);
  w.u8(i.tier);
  w.u8(static_cast<uint8_t>(i.unit));
  w.i64(i.tick.v);
  w.i64(i.lot.v);
  w.boolean(i.halted);
  return v;
}

std::string EncodeAttestation(const Attestation& a, const Engine& e) {
  std::string v;
  wire::ByteWriter w(&v);
  w.u8(kRecordCodecVersion);
  w.str16(a.attestation);
  w.str16(MemberName(e, a.member));
  w.str16(a.dataset);
  w.str16(a.assessor);
  w.u8(a.licences);
  w.u8(a.tier);
  w.i64(a.issued_at);
  w.i64(a.expires_at);
  w.boolean(a.revoked);
  w.str16(a.revoke_reason);
  return v;
}

// Records the ledger of (program, member), the program's budget and, when
// given, the claim: each at most once per entry, as it stands now.
void AddVoucherState(const Engine& e, ProgramId program, MemberId member, const Claim* claim,
                     Entry* out) {
  const Program* p = At(e.programs(), program);
  if (p == nullptr) return;
  std::string member_name = MemberName(e, member);
  if (const Ledger* l = e.FindLedger(program, member)) {
    LedgerRecord now{p->program, member_name, l->reserved, l->approved, l->paid, l->rejected};
    LedgerRecord* slot = nullptr;
    for (LedgerRecord& r : out->ledgers) {
      if (r.program == now.program && r.member == now.member) slot = &r;
    }
    if (slot != nullptr) {
      *slot = std::move(now);
    } else {
      out->ledgers.push_back(std::move(now));
    }
  }
  bool program_seen = false;
  for (ProgramRecord& r : out->programs) {
    if (r.program == p->program) {
      r = ProgramOf(*p);
      program_seen = true;
    }
  }
  if (!program_seen) out->programs.push_back(ProgramOf(*p));
  if (claim != nullptr) {
    out->claims.push_back(ClaimRecord{claim->trade_id, p->program, MemberName(e, claim->member),
                                      claim->amount, claim->status, claim->ts});
  }
}

// Operator commands: the entity they created or changed, as it stands.
void CaptureRefdata(const Command& c, const Engine& e, const AppendExtras* extras, Entry* out) {
  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, MemberCreate> || std::is_same_v<T, MemberSetStatus>) {
          const Member* m = At(e.members(), e.FindMember(body.member.view()));
          if (m) out->refdata.emplace_back(RefKey(kRefMember, m->member), EncodeMember(*m));
          if constexpr (std::is_same_v<T, MemberCreate>) {
            if (m && extras && !extras->member_secret.empty()) {
              out->refdata.emplace_back(RefKey(kRefSecret, m->member), extras->member_secret);
            }
          }
        } else if constexpr (std::is_same_v<T, InstrumentCreate> ||
                             std::is_same_v<T, InstrumentSetStatus>) {
          const Instrument* i = At(e.instruments(), e.FindInstrument(body.symbol.view()));
          if (i) out->refdata.emplace_back(RefKey(kRefInstrument, i->symbol), EncodeInstrument(*i));
        } else if constexpr (std::is_same_v<T, AttestationRegister> ||
                             std::is_same_v<T, AttestationRevoke>) {
          const Attestation* a = At(e.attestations(), e.FindAttestation(body.attestation.view()));
          if (a) {
            out->refdata.emplace_back(RefKey(kRefAttestation, a->attestation),
                                      EncodeAttestation(*a, e));
          }
        } else if constexpr (std::is_same_v<T, ProgramCreate>) {
          const Program* p = At(e.programs(), e.FindProgram(body.program.view()));
          if (p) out->programs.push_back(ProgramOf(*p));
        } else if constexpr (std::is_same_v<T, Enrol>) {
          AddVoucherState(e, e.FindProgram(body.program.view()), e.FindMember(body.member.view()),
                          nullptr, out);
        } else if constexpr (std::is_same_v<T, ClaimSettle>) {
          if (const Claim* claim = e.FindClaim(body.trade_id)) {
            AddVoucherState(e, claim->program, claim->member, claim, out);
          }
        }
      },
      c.body);
}

}  // namespace

void ToRecord(const Trade& t, const Engine& e, TradeRecord* r) {
  r->id = t.id;
  r->ts = t.ts;
  const Instrument* i = At(e.instruments(), t.instrument);
  r->instrument.assign(i ? i->symbol : std::string_view());
  r->price = t.price;
  r->qty = t.qty;
  r->notional = t.notional;
  r->aggressor = t.aggressor;
  r->buy_order = t.buy_order;
  r->sell_order = t.sell_order;
  const Member* buyer = At(e.members(), t.buyer);
  const Member* seller = At(e.members(), t.seller);
  r->buyer.assign(buyer ? buyer->member : std::string_view());
  r->seller.assign(seller ? seller->member : std::string_view());
  r->affiliated = t.affiliated;
  const Attestation* a = At(e.attestations(), t.attestation);
  r->attestation.assign(a ? a->attestation : std::string_view());
  r->dataset.assign(a ? a->dataset : std::string_view());
  const Program* p = t.program == kNone ? nullptr : At(e.programs(), t.program);
  r->voucher_program.assign(p ? p->program : std::string_view());
  r->voucher_offset = t.voucher_offset;
  r->net_cost = t.net_cost;
  r->prev_hash.clear();
  r->hash.clear();
}

void Capture(Seq seq, const Command& command, const Events& events, const Engine& engine,
             const AppendExtras* extras, Entry* out) {
  out->seq = seq;
  out->command = &command;
  out->ledgers.clear();
  out->claims.clear();
  out->programs.clear();
  out->refdata.clear();
  // Trade records are reused in place: their strings keep their capacity.
  if (out->trades.size() < events.trades.size()) out->trades.resize(events.trades.size());
  out->trade_count = events.trades.size();
  for (size_t i = 0; i < events.trades.size(); ++i) {
    const Trade& t = events.trades[i];
    ToRecord(t, engine, &out->trades[i]);
    if (t.program != kNone && t.voucher_offset.v != 0) {
      AddVoucherState(engine, t.program, t.buyer, engine.FindClaim(t.id), out);
    }
  }
  if (events.status.ok()) CaptureRefdata(command, engine, extras, out);
}

}  // namespace corpex::storage
