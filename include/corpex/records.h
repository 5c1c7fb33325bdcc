// corpex/records.h — the owned, named records storage keeps and reports read.
//
// The engine speaks in handles (events.h); what is written to disk and shown
// to a regulator speaks in names, so a record is meaningful without any engine
// state and survives every engine version. Records are plain values: any
// thread may hold and copy them.
//
// The trade hash chain (SPEC §5) is defined here, because a record alone must
// be enough to verify it:
//
//   hash = hex(SHA-256(prev_hash "|" trade_id "|" ts_ms "|" instrument "|"
//                      price "|" qty "|" buyer "|" seller "|" buy_order_id "|"
//                      sell_order_id "|" aggressor "|" attestation "|" dataset "|"
//                      voucher_program "|" voucher_offset))
//
// numbers in decimal, ts in Unix milliseconds (floor of the engine's ns),
// aggressor "buy"/"sell", strings as they are, lower-case hex, and the first
// trade's prev_hash 64 zeros.
//
// Version 2 (docs/PROTOCOL.md "Negotiated deals"), for a negotiated trade
// (order ids 0): the same string, then
//   "|2|" venue "|" notional "|" consideration "|" company "|" shares
// (venue "negotiated", consideration "cash" or "equity", company "" and
// shares 0 for cash). A book trade stays version 1, so chains written before
// verify as they did.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpex/types.h"

namespace corpex {

// 64 '0's: the prev_hash of the first trade.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Engine ns -> wire ms, rounding toward minus infinity.
constexpr int64_t ToMillis(TimeNs ns) {
  return ns >= 0 ? ns / 1'000'000 : -((-ns + 999'999) / 1'000'000);
}

struct TradeRecord {
  TradeId id = 0;
  TimeNs ts = 0;  // engine time, ns; reports and the hash use ToMillis(ts)
  std::string instrument;
  Price price;
  Qty qty;
  Fen notional;
  Side aggressor = Side::kBuy;
  OrderId buy_order = 0;
  OrderId sell_order = 0;
  std::string buyer;
  std::string seller;
  bool affiliated = false;
  std::string attestation;
  std::string dataset;          // SHA-256 hex of the dataset manifest
  std::string voucher_program;  // "" when the fill earned no offset
  Fen voucher_offset;
  Fen net_cost;
  // A negotiated deal's consideration (cash unless data for equity, where
  // notional is the valuation); book trades are cash.
  Consideration consideration = Consideration::kCash;
  std::string company;  // equity: the company's unified social credit code
  int64_t shares = 0;   // equity: shares given
  std::string prev_hash;  // set by storage when the trade joins the chain
  std::string hash;

  friend bool operator==(const TradeRecord&, const TradeRecord&) = default;
};

// The chain hash of `t` (version 1, or 2 for a negotiated trade), from
// t.prev_hash and the other fields (t.hash is ignored). 64 lower-case hex.
std::string ChainHash(const TradeRecord& t);
inline bool IsNegotiated(const TradeRecord& t) { return t.buy_order == 0; }
inline int ChainVersion(const TradeRecord& t) { return IsNegotiated(t) ? 2 : 1; }

// One member's use of one voucher program, as it stands.
struct LedgerRecord {
  std::string program;
  std::string member;
  Fen reserved;  // every claim not rejected; approved and paid are parts of it
  Fen approved;
  Fen paid;
  Fen rejected;

  friend bool operator==(const LedgerRecord&, const LedgerRecord&) = default;
};

// The claim a non-zero voucher offset opened, keyed by its trade.
struct ClaimRecord {
  TradeId trade_id = 0;
  std::string program;
  std::string member;  // the buyer
  Fen amount;
  ClaimStatus status = ClaimStatus::kReserved;
  TimeNs ts = 0;  // the trade's time

  friend bool operator==(const ClaimRecord&, const ClaimRecord&) = default;
};

// A voucher program as it stands (budget_left moves with every claim).
struct ProgramRecord {
  std::string program;
  int32_t rate_bps = 0;
  Fen member_cap;
  Fen budget;
  Fen budget_left;
  int32_t year = 0;
  std::vector<std::string> domains;  // empty: every domain

  friend bool operator==(const ProgramRecord&, const ProgramRecord&) = default;
};

// One step of a trade's delivery (docs/PROTOCOL.md "Deliveries"), as the
// command that made it said: who, when, and what a grant gave.
struct DeliveryEventRecord {
  TradeId trade_id = 0;
  Seq seq = 0;  // the command's journal seq: steps of one trade in order
  TimeNs ts = 0;
  DeliveryState state = DeliveryState::kPending;  // the state it moved to
  std::string by;          // the member, or "" for an operator
  std::string access_ref;  // grants
  std::string dataset;     // grants: SHA-256 hex of what was made available
  TimeNs access_from = 0;  // grants
  TimeNs access_until = 0;
  std::string text;  // a dispute's reason, a resolution's note

  friend bool operator==(const DeliveryEventRecord&, const DeliveryEventRecord&) = default;
};

// A trade's delivery as it stands: the trade's parties, its state and every
// step so far, oldest first (none while pending).
struct DeliveryRecord {
  TradeId trade_id = 0;
  TimeNs opened_at = 0;  // the trade's time
  std::string instrument;
  std::string buyer;
  std::string seller;
  std::string attestation;
  std::string dataset;  // the attested dataset
  DeliveryState state = DeliveryState::kPending;
  std::vector<DeliveryEventRecord> steps;
};

// report.vouchers: a program and the ledgers of its enrolled members, by member id.
struct VoucherReport {
  ProgramRecord program;
  std::vector<LedgerRecord> members;
};

}  // namespace corpex
