// Operator commands on reference data: members, instruments, attestations,
// voucher programs and enrolments, halts and the kill switch.
#include <string>

#include "engine/engine_impl.h"

namespace corpex {
namespace {

uint32_t Intern(NameMap& map, std::string_view name) { return map.Intern(name); }

bool ValidTier(uint8_t tier) { return tier >= 1 && tier <= 4; }

bool IsLowerHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (const char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

void Engine::Impl::OnMemberCreate(const MemberCreate& c) {
  if (c.member.empty()) return Fail(ErrorCode::kBadRequest, "member is required");
  if (c.name.empty()) return Fail(ErrorCode::kBadRequest, "name is required");
  if (c.group.empty()) return Fail(ErrorCode::kBadRequest, "group is required");
  if (c.roles == 0 || c.roles > (kRoleBuyer | kRoleSeller))
    return Fail(ErrorCode::kBadRequest, "roles must be buyer and/or seller");
  if (!ValidTier(c.tier)) return Fail(ErrorCode::kBadRequest, "tier must be 1..4");
  if (FindName(member_by_name_, c.member.view()) != kNone)
    return Fail(ErrorCode::kAlreadyExists, "member " + c.member.str() + " already exists");
  Member m;
  m.member = c.member.str();
  m.name = c.name.str();
  m.group = c.group.str();
  m.group_id = Intern(groups_, c.group.view());
  m.roles = c.roles;
  m.tier = c.tier;
  member_by_name_.Add(m.member);
  members_.push_back(std::move(m));
}

void Engine::Impl::OnMemberSetStatus(const MemberSetStatus& c) {
  const MemberId m = FindName(member_by_name_, c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember, "unknown member " + c.member.str());
  members_[m].suspended = c.suspend;
  if (c.suspend) {
    ev_.count = CancelWhere([&](Slot s) { return pool_.hot(s).member == m; },
                            Reason::kMemberSuspended);
  }
}

void Engine::Impl::OnMemberKill(const MemberKill& c) {
  const MemberId m = FindName(member_by_name_, c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember, "unknown member " + c.member.str());
  ev_.count = CancelWhere([&](Slot s) { return pool_.hot(s).member == m; }, Reason::kByOperator);
}

void Engine::Impl::OnInstrumentCreate(const InstrumentCreate& c) {
  if (c.symbol.empty()) return Fail(ErrorCode::kBadRequest, "symbol is required");
  if (c.domain.empty()) return Fail(ErrorCode::kBadRequest, "domain is required");
  if (c.language.empty()) return Fail(ErrorCode::kBadRequest, "language is required");
  if (c.term_months <= 0) return Fail(ErrorCode::kBadRequest, "term_months must be positive");
  if (!ValidTier(c.tier)) return Fail(ErrorCode::kBadRequest, "tier must be 1..4");
  if (c.tick.v <= 0) return Fail(ErrorCode::kBadRequest, "tick must be positive");
  if (c.lot.v <= 0) return Fail(ErrorCode::kBadRequest, "lot must be positive");
  if (static_cast<unsigned>(c.modality) > static_cast<unsigned>(Modality::kMultimodal) ||
      static_cast<unsigned>(c.licence) > static_cast<unsigned>(Licence::kCommercial) ||
      static_cast<unsigned>(c.unit) > static_cast<unsigned>(Unit::kRecord))
    return Fail(ErrorCode::kBadRequest, "modality, licence or unit out of range");
  if (FindName(instrument_by_symbol_, c.symbol.view()) != kNone)
    return Fail(ErrorCode::kAlreadyExists, "instrument " + c.symbol.str() + " already exists");
  Instrument i;
  i.symbol = c.symbol.str();
  i.domain = c.domain.str();
  i.domain_id = Intern(domains_, c.domain.view());
  i.language = c.language.str();
  i.modality = c.modality;
  i.licence = c.licence;
  i.term_months = c.term_months;
  i.tier = c.tier;
  i.unit = c.unit;
  i.tick = c.tick;
  i.lot = c.lot;
  instrument_by_symbol_.Add(i.symbol);
  books_.emplace_back(i.tick.v);
  instruments_.push_back(std::move(i));
}

void Engine::Impl::OnInstrumentSetStatus(const InstrumentSetStatus& c) {
  const InstrumentId i = FindName(instrument_by_symbol_, c.symbol.view());
  if (i == kNone) return Fail(ErrorCode::kUnknownInstrument, "unknown instrument " + c.symbol.str());
  instruments_[i].halted = c.halt;
}

void Engine::Impl::OnAttestationRegister(const AttestationRegister& c) {
  if (c.attestation.empty()) return Fail(ErrorCode::kBadRequest, "attestation is required");
  const MemberId m = FindName(member_by_name_, c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember, "unknown member " + c.member.str());
  if (!IsLowerHex64(c.dataset.view()))
    return Fail(ErrorCode::kBadRequest, "dataset must be a SHA-256 in 64 lower-case hex digits");
  if (c.assessor.empty()) return Fail(ErrorCode::kBadRequest, "assessor is required");
  if (c.licences == 0 || c.licences > 15)
    return Fail(ErrorCode::kBadRequest, "licences must name at least one licence");
  if (!ValidTier(c.tier)) return Fail(ErrorCode::kBadRequest, "tier must be 1..4");
  if (c.expires_at <= c.issued_at)
    return Fail(ErrorCode::kBadRequest, "expires_at must be after issued_at");
  if (FindName(attestation_by_name_, c.attestation.view()) != kNone)
    return Fail(ErrorCode::kAlreadyExists, "attestation " + c.attestation.str() + " already exists");
  Attestation a;
  a.attestation = c.attestation.str();
  a.member = m;
  a.dataset = c.dataset.str();
  a.assessor = c.assessor.str();
  a.licences = c.licences;
  a.tier = c.tier;
  a.issued_at = c.issued_at;
  a.expires_at = c.expires_at;
  const auto id = static_cast<AttestationId>(attestations_.size());
  attestation_by_name_.Add(a.attestation);
  attestations_.push_back(std::move(a));
  attestation_expiries_.emplace(c.expires_at, id);
}

void Engine::Impl::OnAttestationRevoke(const AttestationRevoke& c) {
  const AttestationId a = FindName(attestation_by_name_, c.attestation.view());
  if (a == kNone) return Fail(ErrorCode::kAttestationInvalid, "unknown attestation");
  Attestation& att = attestations_[a];
  if (att.revoked) return Fail(ErrorCode::kAttestationInvalid, "attestation is already revoked");
  att.revoked = true;
  att.revoke_reason = c.reason.str();
  attestation_expiries_.erase({att.expires_at, a});
  ev_.count = CancelWhere(
      [&](Slot s) { return pool_.cold(s).side == Side::kSell && pool_.cold(s).ref == a; },
      Reason::kAttestationRevoked);
  CloseQuotesCiting(a);
}

void Engine::Impl::OnProgramCreate(const ProgramCreate& c) {
  if (c.program.empty()) return Fail(ErrorCode::kBadRequest, "program is required");
  if (c.rate_bps <= 0 || c.rate_bps > 10000)
    return Fail(ErrorCode::kBadRequest, "rate_bps must be 1..10000");
  if (c.member_cap.v < 0) return Fail(ErrorCode::kBadRequest, "member_cap must not be negative");
  if (c.budget.v < 0) return Fail(ErrorCode::kBadRequest, "budget must not be negative");
  if (c.year < 2000 || c.year > 9999) return Fail(ErrorCode::kBadRequest, "year must be 2000..9999");
  if (c.domain_count > kMaxProgramDomains)
    return Fail(ErrorCode::kBadRequest, "too many domains");
  for (uint8_t d = 0; d < c.domain_count; ++d)
    if (c.domains[d].empty()) return Fail(ErrorCode::kBadRequest, "empty domain name");
  if (FindName(program_by_name_, c.program.view()) != kNone)
    return Fail(ErrorCode::kAlreadyExists, "program " + c.program.str() + " already exists");
  Program p;
  p.program = c.program.str();
  p.rate_bps = c.rate_bps;
  p.member_cap = c.member_cap;
  p.budget = c.budget;
  p.budget_left = c.budget;
  p.year = c.year;
  p.delivery_required = c.delivery_required;
  for (uint8_t d = 0; d < c.domain_count; ++d) {
    p.domains.push_back(c.domains[d].str());
    p.domain_ids.push_back(Intern(domains_, c.domains[d].view()));
  }
  program_by_name_.Add(p.program);
  programs_.push_back(std::move(p));
}

void Engine::Impl::OnEnrol(const Enrol& c) {
  const ProgramId p = FindName(program_by_name_, c.program.view());
  if (p == kNone) return Fail(ErrorCode::kVoucherInvalid, "unknown voucher program");
  const MemberId m = FindName(member_by_name_, c.member.view());
  if (m == kNone) return Fail(ErrorCode::kUnknownMember, "unknown member " + c.member.str());
  if (!(members_[m].roles & kRoleBuyer))
    return Fail(ErrorCode::kBadRequest, "only buyer members can be enrolled");
  if (!ledgers_.emplace(LedgerKey(p, m), Ledger{}).second)
    return Fail(ErrorCode::kAlreadyExists, "member is already enrolled");
}

}  // namespace corpex
