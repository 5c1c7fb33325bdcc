// corpex/command.h — what the engine is asked to do.
//
// A Command is a plain value: trivially copyable, no pointers, every name
// inline. The sequencer stamps `ts` (Unix ns) before the engine sees it and
// journals it as is, so replaying the journal through a fresh engine repeats
// every decision exactly. The engine trusts nothing else in a command: every
// field is validated again before it can touch the book.
//
// Names are resolved inside the engine (symbol -> instrument, member id ->
// member), so a command is meaningful without any engine state; an order
// command's Handles only spare the engine that work when they are right.
#pragma once

#include <array>
#include <cstdint>
#include <variant>

#include "corpex/types.h"

namespace corpex {

using DomainName = FixedStr<24>;
using Language = FixedStr<16>;
using DatasetHex = FixedStr<kDatasetHexLen>;
inline constexpr size_t kMaxProgramDomains = 12;

// ---- member ops ----------------------------------------------------------

// What the sender already knows the names to be: a session holds its
// member's id from log-in and the ids of the symbol and the attestation its
// last order named. A hint only: the engine takes it when the handle's name
// is the command's text and resolves the text otherwise, so a wrong or
// missing hint changes nothing but the cost. The journal does not keep it
// (a replay resolves by name).
struct Handles {
  MemberId member = kNone;
  InstrumentId instrument = kNone;
  AttestationId attestation = kNone;  // new sell orders
};

struct NewOrder {
  MemberName member;  // the session's user
  Name instrument;
  Side side = Side::kBuy;
  Tif tif = Tif::kGtc;
  Qty qty;
  Price price;
  Qty min_qty;                // 0: none
  TimeNs expire_at = kNever;  // GTD only
  ClientOrderId client_order_id;
  Name attestation;  // required for sells
  Name voucher;      // optional program id, buys only
  Handles handles;
};

// By order_id when non-zero, else by client_order_id.
struct CancelOrder {
  MemberName member;
  OrderId order_id = 0;
  ClientOrderId client_order_id;
  Reason reason = Reason::kByMember;  // or kCancelOnDisconnect from the gateway
  Handles handles;
};

// qty is the new open quantity; 0 leaves it, as price 0 leaves the price.
struct ReplaceOrder {
  MemberName member;
  OrderId order_id = 0;
  Qty qty;
  Price price;
  Handles handles;
};

// ---- operator ops --------------------------------------------------------

struct MemberCreate {
  MemberName member;
  Text name;
  MemberName group;
  uint8_t roles = 0;  // kRoleBuyer | kRoleSeller
  uint8_t tier = 0;   // 1..4
};

struct MemberSetStatus {
  MemberName member;
  bool suspend = true;
};

struct MemberKill {
  MemberName member;
};

struct InstrumentCreate {
  Name symbol;
  DomainName domain;
  Language language;
  Modality modality = Modality::kText;
  Licence licence = Licence::kTraining;
  int32_t term_months = 0;
  uint8_t tier = 0;  // 1..4
  Unit unit = Unit::kMtok;
  Price tick;
  Qty lot;
};

struct InstrumentSetStatus {
  Name symbol;
  bool halt = true;
};

struct AttestationRegister {
  Name attestation;
  MemberName member;
  DatasetHex dataset;
  Text assessor;
  uint8_t licences = 0;  // bit (1 << Licence)
  uint8_t tier = 0;      // 1..4
  TimeNs issued_at = 0;
  TimeNs expires_at = 0;
};

struct AttestationRevoke {
  Name attestation;
  Text reason;
};

struct ProgramCreate {
  Name program;
  int32_t rate_bps = 0;  // 1..10000
  Fen member_cap;
  Fen budget;
  int32_t year = 0;
  uint8_t domain_count = 0;  // 0: every domain
  std::array<DomainName, kMaxProgramDomains> domains{};
  // A claim of this program is paid only once its trade's delivery is
  // confirmed (DELIVERY_PENDING before).
  bool delivery_required = false;
};

struct Enrol {
  Name program;
  MemberName member;
};

struct ClaimSettle {
  TradeId trade_id = 0;
  ClaimStatus status = ClaimStatus::kApproved;
};

// ---- a trade's sandbox delivery (member or operator) --------------------------
// `member` is the session's user when a member acts, empty when an operator does.

struct DeliveryGrant {
  MemberName member;  // the trade's seller, or empty: an operator
  TradeId trade_id = 0;
  Text access_ref;     // opaque reference to the sandbox grant
  DatasetHex dataset;  // must be the dataset the trade's attestation covers
  TimeNs access_from = 0;
  TimeNs access_until = 0;  // > access_from
};

struct DeliveryConfirm {
  MemberName member;  // the trade's buyer
  TradeId trade_id = 0;
};

struct DeliveryDispute {
  MemberName member;  // the trade's buyer
  TradeId trade_id = 0;
  Text reason;
};

struct DeliveryResolve {
  TradeId trade_id = 0;
  DeliveryState outcome = DeliveryState::kConfirmed;  // confirmed or failed
  Text note;
};

// ---- negotiated deals: request for quote, quotes, acceptance ------------------
// `member` is the session's user. Ids are the engine's (positive, increasing).

struct RfqNew {
  MemberName member;  // the buyer
  Name instrument;
  Qty qty;
  Name voucher;  // optional program, as on a buy order
  TimeNs expire_at = 0;
};

struct RfqCancel {
  MemberName member;
  uint64_t rfq_id = 0;
};

struct QuoteNew {
  MemberName member;  // a seller
  uint64_t rfq_id = 0;
  Price price;  // cash; 0 with an equity consideration
  Name attestation;
  TimeNs valid_until = 0;
  Consideration consideration = Consideration::kCash;
  Equity equity;  // kEquity only
};

struct QuoteCancel {
  MemberName member;
  uint64_t quote_id = 0;
};

// The RFQ's buyer takes a quote: one trade at its price for the RFQ's qty.
struct QuoteAccept {
  MemberName member;
  uint64_t quote_id = 0;
};

// Advances the engine's clock: GTD orders and attestations due by `ts`
// leave the book. The gateway sends one at least every few hundred ms.
struct Tick {};

using CommandBody =
    std::variant<NewOrder, CancelOrder, ReplaceOrder, MemberCreate, MemberSetStatus, MemberKill,
                 InstrumentCreate, InstrumentSetStatus, AttestationRegister, AttestationRevoke,
                 ProgramCreate, Enrol, ClaimSettle, Tick, DeliveryGrant, DeliveryConfirm,
                 DeliveryDispute, DeliveryResolve, RfqNew, RfqCancel, QuoteNew, QuoteCancel,
                 QuoteAccept>;

struct Command {
  TimeNs ts = 0;  // stamped by the sequencer
  CommandBody body;
};

}  // namespace corpex
