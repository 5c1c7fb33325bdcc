// corpex/refdata.h — the reference data the engine decides with.
//
// Instruments, members, attestations and voucher programs are created by
// operator commands and never deleted, so their handles stay valid for the
// life of the engine. Records are owned by the engine and read on the engine
// thread only (or after the consumer synchronised with it through a queue).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "corpex/types.h"

namespace corpex {

struct Instrument {
  std::string symbol;
  std::string domain;
  std::string language;
  Modality modality = Modality::kText;
  Licence licence = Licence::kTraining;
  int32_t term_months = 0;
  uint8_t tier = 1;
  Unit unit = Unit::kMtok;
  Price tick;
  Qty lot;
  bool halted = false;
  uint32_t domain_id = 0;  // interned domain
};

struct Member {
  std::string member;
  std::string name;
  std::string group;
  uint32_t group_id = 0;  // interned group: equal ids are related parties
  uint8_t roles = 0;
  uint8_t tier = 1;
  bool suspended = false;
};

struct Attestation {
  std::string attestation;
  MemberId member = kNone;
  std::string dataset;
  std::string assessor;
  uint8_t licences = 0;  // bit (1 << Licence)
  uint8_t tier = 1;
  TimeNs issued_at = 0;
  TimeNs expires_at = 0;
  bool revoked = false;
  std::string revoke_reason;
};

struct Program {
  std::string program;
  int32_t rate_bps = 0;
  Fen member_cap;
  Fen budget;
  Fen budget_left;
  int32_t year = 0;
  std::vector<uint32_t> domain_ids;  // empty: every domain
  std::vector<std::string> domains;
  bool delivery_required = false;  // claims paid only after a confirmed delivery
};

// One member's use of one program, summed by each claim's current status.
// `reserved` counts every claim not rejected (approved and paid are parts of
// it), so the member's cap left is member_cap - reserved.
struct Ledger {
  Fen reserved;
  Fen approved;
  Fen paid;
  Fen rejected;
};

struct Claim {
  TradeId trade_id = 0;
  ProgramId program = kNone;
  MemberId member = kNone;
  Fen amount;
  ClaimStatus status = ClaimStatus::kReserved;
  TimeNs ts = 0;  // the trade's time
};

}  // namespace corpex
