#include "gateway/sequencer/member_limits.h"

#include <string>

namespace corpex::gw {

void MemberLimits::Load(const Engine& engine) {
  open_orders_.clear();
  for (const OrderView& o : engine.AllOrders()) ++open_orders_[o.member];
}

Status MemberLimits::Admit(MemberId member, bool new_order, int64_t now_ns) {
  Rate& r = rates_[member];
  const int64_t sec = now_ns / 1'000'000'000;
  if (r.second != sec) {
    r.second = sec;
    r.count = 0;
  }
  if (++r.count > limits_.orders_per_second)
    return Status(ErrorCode::kRateLimited, "over the orders_per_second limit");
  if (new_order && member != kNone && open_orders_[member] >= limits_.max_open_orders)
    return Status(ErrorCode::kRateLimited, "max_open_orders " + std::to_string(limits_.max_open_orders) +
                                               " reached; cancel some first");
  return Status::Ok();
}

void MemberLimits::Decrement(MemberId m) {
  auto it = open_orders_.find(m);
  if (it != open_orders_.end() && it->second > 0) --it->second;
}

void MemberLimits::Count(const Command& c, const Events& ev) {
  auto terminal = [](OrderStatus s) {
    return s == OrderStatus::kFilled || s == OrderStatus::kCanceled || s == OrderStatus::kExpired;
  };
  // Resting orders that traded away or left the book.
  for (const Trade& t : ev.trades) {
    const bool buy_rests = t.aggressor == Side::kSell;
    const OrderAfter& resting = buy_rests ? t.buy_after : t.sell_after;
    if (resting.status == OrderStatus::kFilled) Decrement(buy_rests ? t.buyer : t.seller);
  }
  for (const OrderView& o : ev.done) Decrement(o.member);
  if (!ev.status.ok() || !ev.has_order) return;
  if (std::holds_alternative<NewOrder>(c.body) && !terminal(ev.order.status))
    ++open_orders_[ev.order.member];
  else if (std::holds_alternative<CancelOrder>(c.body))
    Decrement(ev.order.member);
  else if (std::holds_alternative<ReplaceOrder>(c.body) && terminal(ev.order.status))
    Decrement(ev.order.member);
}

}  // namespace corpex::gw
