// gateway/protocol/lists.h — the read-only list ops a console needs (beyond SPEC §5).
//
// SPEC gives no way to learn which instruments, members, attestations or
// programs exist, so a client could only trade what it was told out of band;
// and a tape opened now would start empty.
// These ops list the reference data as the engine holds it. Pure functions of
// the engine (and the gateway's per-instrument trade stats); the turn holder
// (docs/ARCHITECTURE.md).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "corpex/engine.h"

namespace corpex::gw {

// Trades seen since corpexd started, per instrument (the engine keeps no
// trade history; storage does, for reports).
struct InstrumentStats {
  int64_t last_price = 0;
  int64_t last_qty = 0;
  int64_t volume = 0;  // units
  uint64_t trades = 0;
};

std::string InstrumentsList(const Engine& e, const std::vector<InstrumentStats>& stats);
std::string MembersList(const Engine& e);
// `only` == kNone lists every attestation; else the attestations of that member.
std::string AttestationsList(const Engine& e, MemberId only, TimeNs now);
std::string ProgramsList(const Engine& e);
// The programs `member` is enrolled in, with its use of each.
std::string VoucherUsage(const Engine& e, MemberId member);
// Up to `limit` of `recent` (oldest first), newest first, of one instrument
// or (kNone) all: the fields of the public trade event, so a tape can start full.
std::string RecentTrades(const Engine& e, const std::deque<Trade>& recent, InstrumentId only, size_t limit);

}  // namespace corpex::gw
