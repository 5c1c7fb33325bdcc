#include "gateway/protocol/lists.h"

#include "corpex/records.h"
#include "gateway/protocol/json_out.h"

namespace corpex::gw {

std::string InstrumentsList(const Engine& e, const std::vector<InstrumentStats>& stats) {
  JsonOut j;
  j.Begin().Key("instruments").BeginArr();
  const auto& all = e.instruments();
  for (size_t i = 0; i < all.size(); ++i) {
    const Instrument& in = all[i];
    InstrumentStats s = i < stats.size() ? stats[i] : InstrumentStats{};
    j.Begin().KStr("symbol", in.symbol).KStr("domain", in.domain).KStr("language", in.language);
    j.KStr("modality", to_string(in.modality)).KStr("licence", to_string(in.licence));
    j.KInt("term_months", in.term_months).KInt("tier", in.tier).KStr("unit", to_string(in.unit));
    j.KInt("tick", in.tick.v).KInt("lot", in.lot.v).KStr("status", in.halted ? "halted" : "active");
    j.KInt("last_price", s.last_price).KInt("last_qty", s.last_qty).KInt("volume", s.volume);
    j.KUInt("trades", s.trades).End();
  }
  j.EndArr().End();
  return j.Take();
}

std::string MembersList(const Engine& e) {
  JsonOut j;
  j.Begin().Key("members").BeginArr();
  for (const Member& m : e.members()) {
    j.Begin().KStr("member", m.member).KStr("name", m.name).KStr("group", m.group);
    j.Key("roles").BeginArr();
    if (m.roles & kRoleBuyer) j.Str("buyer");
    if (m.roles & kRoleSeller) j.Str("seller");
    j.EndArr().KInt("tier", m.tier).KStr("status", m.suspended ? "suspended" : "active").End();
  }
  j.EndArr().End();
  return j.Take();
}

std::string AttestationsList(const Engine& e, MemberId only, TimeNs now) {
  JsonOut j;
  j.Begin().Key("attestations").BeginArr();
  for (const Attestation& a : e.attestations()) {
    if (only != kNone && a.member != only) continue;
    j.Begin().KStr("attestation", a.attestation).KStr("member", e.members()[a.member].member);
    j.KStr("dataset", a.dataset).KStr("assessor", a.assessor).Key("licences").BeginArr();
    for (Licence l : {Licence::kTraining, Licence::kFinetune, Licence::kEvaluation, Licence::kCommercial})
      if (a.licences & (1u << static_cast<unsigned>(l))) j.Str(to_string(l));
    j.EndArr().KInt("tier", a.tier).KInt("issued_at", ToMillis(a.issued_at));
    j.KInt("expires_at", ToMillis(a.expires_at));
    j.KStr("status", a.revoked ? "revoked" : (now >= a.expires_at ? "expired" : "valid"));
    if (a.revoked) j.KStr("reason", a.revoke_reason);
    j.End();
  }
  j.EndArr().End();
  return j.Take();
}

std::string ProgramsList(const Engine& e) {
  JsonOut j;
  j.Begin().Key("programs").BeginArr();
  for (const Program& p : e.programs()) {
    j.Begin().KStr("program", p.program).KInt("rate_bps", p.rate_bps).KInt("member_cap", p.member_cap.v);
    j.KInt("budget", p.budget.v).KInt("budget_left", p.budget_left.v).KInt("year", p.year);
    j.Key("domains").BeginArr();
    for (const std::string& d : p.domains) j.Str(d);
    j.EndArr().End();
  }
  j.EndArr().End();
  return j.Take();
}

std::string VoucherUsage(const Engine& e, MemberId member) {
  JsonOut j;
  j.Begin().Key("programs").BeginArr();
  const auto& programs = e.programs();
  for (ProgramId p = 0; p < programs.size(); ++p) {
    const Ledger* l = e.FindLedger(p, member);
    if (!l) continue;
    j.Begin().KStr("program", programs[p].program).KInt("rate_bps", programs[p].rate_bps);
    j.KInt("year", programs[p].year).KInt("member_cap", programs[p].member_cap.v);
    j.KInt("reserved", l->reserved.v).KInt("approved", l->approved.v).KInt("paid", l->paid.v);
    j.KInt("rejected", l->rejected.v).KInt("left", programs[p].member_cap.v - l->reserved.v).End();
  }
  j.EndArr().End();
  return j.Take();
}

std::string RecentTrades(const Engine& e, const std::deque<Trade>& recent, InstrumentId only, size_t limit) {
  JsonOut j;
  j.Begin().Key("trades").BeginArr();
  size_t n = 0;
  for (auto it = recent.rbegin(); it != recent.rend() && n < limit; ++it) {
    if (only != kNone && it->instrument != only) continue;
    j.Begin().KStr("instrument", e.instruments()[it->instrument].symbol).KUInt("trade_id", it->id);
    j.KInt("price", it->price.v).KInt("qty", it->qty.v).KStr("aggressor", to_string(it->aggressor));
    j.KInt("ts", ToMillis(it->ts)).End();
    ++n;
  }
  j.EndArr().End();
  return j.Take();
}

}  // namespace corpex::gw
