// gateway/sequencer/member_limits.h — the per-member limits of order entry.
//
// orders_per_second (a member's order ops in one wall-clock second) and
// max_open_orders (its resting orders, kept in step with the book from each
// command's events). Over either: RATE_LIMITED, and the command is not run.
//
// Thread: the turn holder (docs/ARCHITECTURE.md).
#pragma once

#include <cstdint>
#include <unordered_map>

#include "corpex/engine.h"
#include "corpex/status.h"
#include "gateway/config.h"

namespace corpex::gw {

class MemberLimits {
 public:
  explicit MemberLimits(const Limits& limits) : limits_(limits) {}

  // Counts the resting orders of a recovered engine.
  void Load(const Engine& engine);
  // Ok, or RATE_LIMITED with why: an order op of `member` at `now_ns`
  // (`new_order` also counts against max_open_orders).
  Status Admit(MemberId member, bool new_order, int64_t now_ns);
  // Keeps the resting-order counts in step with one command's events.
  void Count(const Command& c, const Events& ev);

 private:
  void Decrement(MemberId m);

  const Limits limits_;
  struct Rate {
    int64_t second = 0;
    uint32_t count = 0;
  };
  std::unordered_map<MemberId, Rate> rates_;
  std::unordered_map<MemberId, uint32_t> open_orders_;  // resting orders per member
};

}  // namespace corpex::gw
