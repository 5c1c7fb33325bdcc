#include "gateway/protocol/wire_encode.h"

namespace corpex::gw {
namespace {

bool Terminal(OrderStatus s) {
  return s == OrderStatus::kFilled || s == OrderStatus::kCanceled || s == OrderStatus::kExpired;
}

std::string_view Symbol(const Engine& e, InstrumentId i) {
  return i < e.instruments().size() ? std::string_view(e.instruments()[i].symbol) : "";
}

}  // namespace

std::string OkFrame(std::string_view id, std::string_view result_json) {
  std::string s;
  s.reserve(result_json.size() + id.size() + 32);
  s += "{\"id\":";
  s += id;
  s += ",\"ok\":true,\"result\":";
  s += result_json;
  s += '}';
  return s;
}

void BeginOkFrame(JsonOut& j, std::string_view id) {
  j.Begin().Key("id").Raw(id).KBool("ok", true).Key("result");
}

std::string ErrorFrame(std::string_view id, const Status& status) {
  JsonOut j;
  j.Begin().Key("id").Raw(id).KBool("ok", false).Key("error").Begin();
  j.KStr("code", to_string(WireCode(status.code()))).KStr("message", status.message()).End().End();
  return j.Take();
}

void FillFields(JsonOut& j, const Engine& e, const Trade& t, Side side) {
  const bool buy = side == Side::kBuy;
  j.KUInt("trade_id", t.id);
  if (!Negotiated(t)) j.KUInt("order_id", buy ? t.buy_order : t.sell_order);
  j.KStr("instrument", Symbol(e, t.instrument)).KStr("side", to_string(side));
  j.KInt("price", t.price.v).KInt("qty", t.qty.v).KInt("notional", t.notional.v);
  j.KInt("voucher_offset", buy ? t.voucher_offset.v : 0);
  j.KInt("net_cost", buy ? t.net_cost.v : t.notional.v);
  j.KBool("affiliated", t.affiliated);
  j.KStr("liquidity", t.aggressor == side ? "taker" : "maker");
  j.KInt("ts", ToMillis(t.ts));
}

void OrderObject(JsonOut& j, const Engine& e, const OrderView& o, const std::vector<Trade>& trades,
                 int64_t canceled_qty) {
  j.Begin();
  j.KUInt("order_id", o.id).KStr("client_order_id", o.client_order_id.view());
  j.KStr("instrument", Symbol(e, o.instrument)).KStr("side", to_string(o.side));
  j.KInt("price", o.price.v).KStr("tif", to_string(o.tif)).KStr("status", to_string(o.status));
  j.KInt("filled_qty", o.filled.v).KInt("open_qty", Terminal(o.status) ? 0 : o.open.v);
  if (o.min_qty.v) j.KInt("min_qty", o.min_qty.v);
  if (o.expire_at != kNever) j.KInt("expire_at", ToMillis(o.expire_at));
  if (o.status == OrderStatus::kCanceled || o.status == OrderStatus::kExpired)
    j.KStr("reason", to_string(o.reason));
  if (canceled_qty >= 0) j.KInt("canceled_qty", canceled_qty);
  j.Key("fills").BeginArr();
  for (const Trade& t : trades) {
    if (o.side == Side::kBuy ? t.buy_order != o.id : t.sell_order != o.id) continue;
    j.Begin();
    FillFields(j, e, t, o.side);
    j.End();
  }
  j.EndArr().End();
}

std::string ExecutionFillEvent(const Engine& e, const Trade& t, Side side) {
  const OrderAfter& a = side == Side::kBuy ? t.buy_after : t.sell_after;
  JsonOut j;
  j.Begin().KStr("event", "execution");
  FillFields(j, e, t, side);
  j.KStr("client_order_id", a.client_order_id.view()).KStr("status", to_string(a.status));
  j.KInt("filled_qty", a.filled.v).KInt("open_qty", Terminal(a.status) ? 0 : a.open.v);
  j.End();
  return j.Take();
}

std::string ExecutionDoneEvent(const Engine& e, const OrderView& o) {
  JsonOut j;
  j.Begin().KStr("event", "execution");
  j.KUInt("order_id", o.id).KStr("client_order_id", o.client_order_id.view());
  j.KStr("instrument", Symbol(e, o.instrument)).KStr("side", to_string(o.side));
  j.KInt("price", o.price.v).KStr("status", to_string(o.status));
  j.KInt("filled_qty", o.filled.v).KInt("open_qty", 0).KInt("canceled_qty", o.open.v);
  j.KStr("reason", to_string(o.reason)).KInt("ts", ToMillis(e.counters().clock));
  j.End();
  return j.Take();
}

std::string BookSnapshotEvent(std::string_view symbol, uint64_t seq, const BookDepth& depth) {
  JsonOut j;
  j.Begin().KStr("event", "book").KStr("instrument", symbol).KStr("type", "snapshot");
  j.KUInt("seq", seq);
  for (int side = 0; side < 2; ++side) {
    (side == 0 ? j.Key("bids") : j.Key("asks")).BeginArr();
    for (const BookLevel& l : side == 0 ? depth.bids : depth.asks)
      j.BeginArr().Int(l.price.v).Int(l.qty.v).UInt(l.orders).EndArr();
    j.EndArr();
  }
  j.End();
  return j.Take();
}

std::string BookUpdateEvent(std::string_view symbol, uint64_t seq,
                            const std::vector<const LevelChange*>& changes) {
  JsonOut j;
  j.Begin().KStr("event", "book").KStr("instrument", symbol).KStr("type", "update");
  j.KUInt("seq", seq).Key("changes").BeginArr();
  for (const LevelChange* c : changes)
    j.BeginArr().Str(to_string(c->side)).Int(c->price.v).Int(c->qty.v).EndArr();
  j.EndArr().End();
  return j.Take();
}

std::string TradeEvent(const Engine& e, const Trade& t) {
  JsonOut j;
  j.Begin().KStr("event", "trade").KStr("instrument", Symbol(e, t.instrument));
  j.KUInt("trade_id", t.id).KInt("price", t.price.v).KInt("qty", t.qty.v);
  j.KStr("aggressor", to_string(t.aggressor)).KInt("ts", ToMillis(t.ts));
  if (Negotiated(t)) j.KStr("venue", "negotiated");
  j.End();
  return j.Take();
}

void TradeRecordObject(JsonOut& j, const TradeRecord& t) {
  j.Begin();
  j.KUInt("trade_id", t.id).KInt("ts", ToMillis(t.ts)).KStr("instrument", t.instrument);
  j.KInt("price", t.price.v).KInt("qty", t.qty.v).KInt("notional", t.notional.v);
  j.KStr("aggressor", to_string(t.aggressor)).KStr("buyer", t.buyer).KStr("seller", t.seller);
  j.KUInt("buy_order_id", t.buy_order).KUInt("sell_order_id", t.sell_order);
  j.KStr("venue", IsNegotiated(t) ? "negotiated" : "book").KInt("chain_version", ChainVersion(t));
  if (IsNegotiated(t)) {
    j.KStr("consideration", to_string(t.consideration)).KStr("company", t.company).KInt("shares", t.shares);
  }
  j.KBool("affiliated", t.affiliated).KStr("attestation", t.attestation);
  j.KStr("dataset", t.dataset).KStr("voucher_program", t.voucher_program);
  j.KInt("voucher_offset", t.voucher_offset.v).KInt("net_cost", t.net_cost.v);
  j.KStr("prev_hash", t.prev_hash).KStr("hash", t.hash);
  j.End();
}

void ClaimRecordObject(JsonOut& j, const ClaimRecord& c) {
  j.Begin();
  j.KUInt("trade_id", c.trade_id).KStr("program", c.program).KStr("member", c.member);
  j.KInt("amount", c.amount.v).KStr("status", to_string(c.status)).KInt("ts", ToMillis(c.ts));
  j.End();
}

}  // namespace corpex::gw
