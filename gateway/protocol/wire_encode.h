// gateway/protocol/wire_encode.h — JSON text of every response and event (SPEC §5).
//
// Pure functions from engine values (handles resolved through the engine's
// reference data) or owned records to one frame's text. Times go out as Unix
// milliseconds. Thread: the turn holder (they read the engine;
// docs/ARCHITECTURE.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "corpex/engine.h"
#include "corpex/records.h"
#include "corpex/status.h"
#include "gateway/protocol/json_out.h"

namespace corpex::gw {

std::string OkFrame(std::string_view id, std::string_view result_json);
// Starts {"id":<id>,"ok":true,"result": so the result is written straight
// into the frame; the caller writes the result, then End().
void BeginOkFrame(JsonOut& j, std::string_view id);
std::string ErrorFrame(std::string_view id, const Status& status);

// One fill from `side`'s point of view, as fields of an open object.
void FillFields(JsonOut& j, const Engine& e, const Trade& t, Side side);
// An order result object: order fields plus the fills of `trades` it took part in.
void OrderObject(JsonOut& j, const Engine& e, const OrderView& o, const std::vector<Trade>& trades,
                 int64_t canceled_qty = -1);

// {"event":"execution", ...} for one side of a fill.
std::string ExecutionFillEvent(const Engine& e, const Trade& t, Side side);
// {"event":"execution", ...} for an order that was canceled or expired.
std::string ExecutionDoneEvent(const Engine& e, const OrderView& o);

std::string BookSnapshotEvent(std::string_view symbol, uint64_t seq, const BookDepth& depth);
// `changes` are this instrument's level changes of one command.
std::string BookUpdateEvent(std::string_view symbol, uint64_t seq,
                            const std::vector<const LevelChange*>& changes);
std::string TradeEvent(const Engine& e, const Trade& t);

void TradeRecordObject(JsonOut& j, const TradeRecord& t);
void ClaimRecordObject(JsonOut& j, const ClaimRecord& c);

// Deliveries (delivery_encode.cc; docs/PROTOCOL.md "Deliveries").
// {"event":"delivery", ...}: the step `command` (a delivery command the
// engine accepted) made, as both parties see it.
std::string DeliveryEvent(const Engine& e, const Command& command, const DeliveryView& d);
// A delivery as reports and the deliveries op show it.
void DeliveryRecordObject(JsonOut& j, const DeliveryRecord& d);

// Negotiated deals (deal_encode.cc; docs/PROTOCOL.md "Negotiated deals").
// An RFQ as its buyer sees it (`for_buyer`: with the buyer and the program)
// or as a seller does (anonymous).
void RfqObject(JsonOut& j, const Engine& e, const RfqView& r, bool for_buyer);
void QuoteObject(JsonOut& j, const Engine& e, const QuoteView& q);
std::string RfqEvent(const Engine& e, const RfqView& r, bool for_buyer);
std::string QuoteEvent(const Engine& e, const QuoteView& q);
// {"event":"execution","venue":"negotiated", ...} for one side of a deal's trade.
std::string DealFillEvent(const Engine& e, const Trade& t, Side side, const QuoteView& accepted);
// "consideration":{type, company, shares, valuation_fen} for data for equity; nothing for cash.
void ConsiderationFields(JsonOut& j, Consideration c, const Equity& e);
// Book trades carry order ids; a negotiated trade has none.
inline bool Negotiated(const Trade& t) { return t.buy_order == 0; }

}  // namespace corpex::gw
