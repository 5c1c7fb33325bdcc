// Engine thread: turn a command's events into owned, named records (entry.h).
#include <type_traits>

#include "storage/codec.h"
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

// A delivery command's step; its state is the one the engine moved to.
DeliveryEventRecord& AddDeliveryStep(const Command& c, TradeId trade, std::string_view by, Entry* out) {
  DeliveryEventRecord& d = out->deliveries.emplace_back();
  d.trade_id = trade;
  d.seq = out->seq;
  d.ts = c.ts;
  d.by.assign(by);
  return d;
}

// Operator commands and delivery steps: the entity they created or changed, as it stands.
void CaptureRefdata(const Command& c, const Engine& e, const AppendExtras* extras, Entry* out) {
  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        // Members, instruments and attestations live in the journal and the
        // snapshots (the engine's state); only what reads need is kept here.
        if constexpr (std::is_same_v<T, MemberCreate>) {
          if (extras && !extras->member_secret.empty() && e.FindMember(body.member.view()) != kNone)
            out->refdata.emplace_back(RefKey(kRefSecret, body.member.view()), extras->member_secret);
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
        } else if constexpr (std::is_same_v<T, DeliveryGrant>) {
          DeliveryEventRecord& d = AddDeliveryStep(c, body.trade_id, body.member.view(), out);
          d.access_ref = body.access_ref.str();
          d.dataset = body.dataset.str();
          d.access_from = body.access_from;
          d.access_until = body.access_until;
        } else if constexpr (std::is_same_v<T, DeliveryConfirm>) {
          AddDeliveryStep(c, body.trade_id, body.member.view(), out);
        } else if constexpr (std::is_same_v<T, DeliveryDispute>) {
          AddDeliveryStep(c, body.trade_id, body.member.view(), out).text = body.reason.str();
        } else if constexpr (std::is_same_v<T, DeliveryResolve>) {
          AddDeliveryStep(c, body.trade_id, {}, out).text = body.note.str();
        }
      },
      c.body);
}

}  // namespace

void ToRecord(const Trade& t, const Engine& e, const QuoteView* accepted, TradeRecord* r) {
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
  const bool equity = t.buy_order == 0 && accepted != nullptr && accepted->consideration == Consideration::kEquity;
  r->consideration = equity ? Consideration::kEquity : Consideration::kCash;
  r->company.assign(equity ? accepted->equity.company_view() : std::string_view());
  r->shares = equity ? accepted->equity.shares : 0;
  r->prev_hash.clear();
  r->hash.clear();
}

void Capture(Seq seq, const Command& command, const Events& events, const Engine& engine,
             const AppendExtras* extras, Entry* out) {
  out->seq = seq;
  out->command = &command;
  out->ledgers.clear();
  out->claims.clear();
  out->deliveries.clear();
  out->programs.clear();
  out->refdata.clear();
  // Trade records are reused in place: their strings keep their capacity.
  if (out->trades.size() < events.trades.size()) out->trades.resize(events.trades.size());
  out->trade_count = events.trades.size();
  for (size_t i = 0; i < events.trades.size(); ++i) {
    const Trade& t = events.trades[i];
    ToRecord(t, engine, events.quotes.empty() ? nullptr : &events.quotes.front(), &out->trades[i]);
    if (t.program != kNone && t.voucher_offset.v != 0) {
      AddVoucherState(engine, t.program, t.buyer, engine.FindClaim(t.id), out);
    }
  }
  if (events.status.ok()) CaptureRefdata(command, engine, extras, out);
  for (DeliveryEventRecord& d : out->deliveries) d.state = events.delivery.state;
}

}  // namespace corpex::storage
