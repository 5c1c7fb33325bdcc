// corpex/events.h — what the engine answers.
//
// Each Command yields one Events value, emitted after the book is consistent
// again. The engine owns it and reuses its buffers: it is valid until the next
// call into the engine, so a consumer copies what it keeps (no allocation per
// command in steady state). Entity fields are handles; their names are in the
// engine's reference data (refdata.h), which never forgets an entity.
#pragma once

#include <cstdint>
#include <vector>

#include "corpex/status.h"
#include "corpex/types.h"

namespace corpex {

// An order's state, as a member sees it in a result or an execution report.
struct OrderView {
  OrderId id = 0;
  MemberId member = kNone;
  InstrumentId instrument = kNone;
  Side side = Side::kBuy;
  Tif tif = Tif::kGtc;
  OrderStatus status = OrderStatus::kNew;
  Reason reason = Reason::kNone;  // set when canceled or expired
  Price price;
  Qty filled;
  Qty open;
  Qty min_qty;
  TimeNs expire_at = kNever;
  AttestationId attestation = kNone;  // sells
  ProgramId voucher = kNone;          // buys that named a program
  ClientOrderId client_order_id;
};

// The state of one side's order right after a fill.
struct OrderAfter {
  OrderStatus status = OrderStatus::kNew;
  Qty filled;
  Qty open;
  ClientOrderId client_order_id;
};

// One fill: everything the audit trail, both members and the voucher ledger
// need. `program` is kNone when the fill was not voucher-eligible (an eligible
// fill may still earn 0 when the buyer's cap or the budget is used up).
struct Trade {
  TradeId id = 0;
  TimeNs ts = 0;
  InstrumentId instrument = kNone;
  Price price;
  Qty qty;
  Fen notional;
  Side aggressor = Side::kBuy;
  OrderId buy_order = 0;
  OrderId sell_order = 0;
  MemberId buyer = kNone;
  MemberId seller = kNone;
  bool affiliated = false;
  AttestationId attestation = kNone;
  ProgramId program = kNone;  // the eligible program, kNone otherwise
  Fen voucher_offset;
  Fen net_cost;
  OrderAfter buy_after;
  OrderAfter sell_after;
};

// A price level's new aggregate (qty 0: the level is gone).
struct LevelChange {
  InstrumentId instrument = kNone;
  Side side = Side::kBuy;
  Price price;
  Qty qty;
  uint32_t orders = 0;
};

// A trade's delivery, as it stands after a delivery command (a grant's
// details travel in the command and the delivery records, not here).
struct DeliveryView {
  TradeId trade_id = 0;
  InstrumentId instrument = kNone;
  MemberId buyer = kNone;
  MemberId seller = kNone;
  DeliveryState state = DeliveryState::kPending;
};

// An RFQ or a quote as it stands after the command that changed it.
struct RfqView {
  uint64_t id = 0;
  MemberId buyer = kNone;
  InstrumentId instrument = kNone;
  Qty qty;
  ProgramId voucher = kNone;
  TimeNs expire_at = 0;
  RfqStatus status = RfqStatus::kOpen;
};

struct QuoteView {
  uint64_t id = 0;
  uint64_t rfq_id = 0;
  MemberId seller = kNone;
  MemberId buyer = kNone;  // the RFQ's
  InstrumentId instrument = kNone;
  Price price;
  Qty qty;
  AttestationId attestation = kNone;
  TimeNs valid_until = 0;
  QuoteStatus status = QuoteStatus::kOpen;
  Consideration consideration = Consideration::kCash;
  Equity equity;  // kEquity: price is the implied unit price, valuation / qty
};

struct Events {
  Status status;               // the command's result
  bool has_order = false;      // order ops: `order` is the subject order after the command
  OrderView order;
  std::vector<Trade> trades;   // fills in execution order
  std::vector<OrderView> done; // other orders that left the book (canceled or expired)
  std::vector<LevelChange> book;  // coalesced per level, in order of first change
  uint64_t count = 0;          // kill, suspend, revoke, tick: orders that left the book
  bool has_delivery = false;   // delivery ops: `delivery` is the trade's delivery after it
  DeliveryView delivery;
  // Negotiation ops and ticks: every RFQ and quote whose state changed, the
  // command's own first. A quote.accept's trade is in `trades`, without
  // order ids (venue "negotiated"); its consideration is the accepted quote's.
  std::vector<RfqView> rfqs;
  std::vector<QuoteView> quotes;

  void Clear() {
    if (!status.ok()) status.Reset();
    has_order = false;
    trades.clear();
    done.clear();
    book.clear();
    count = 0;
    has_delivery = false;
    rfqs.clear();
    quotes.clear();
  }
};

}  // namespace corpex
