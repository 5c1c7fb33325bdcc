// JSON of deliveries: the event both parties get for each step, and the
// record reports show (docs/PROTOCOL.md "Deliveries").
#include <type_traits>

#include "gateway/protocol/wire_encode.h"

namespace corpex::gw {
namespace {

// What a step adds beyond its state: a grant's access, a dispute's reason,
// a resolution's note.
void StepDetail(JsonOut& j, const DeliveryEventRecord& s) {
  if (s.state == DeliveryState::kGranted) {
    j.KStr("access_ref", s.access_ref).KStr("dataset", s.dataset);
    j.KInt("access_from", ToMillis(s.access_from)).KInt("access_until", ToMillis(s.access_until));
  }
  if (s.text.empty()) return;
  if (s.state == DeliveryState::kDisputed) {
    j.KStr("reason", s.text);
  } else {
    j.KStr("note", s.text);
  }
}

void OptTime(JsonOut& j, JsonKey k, TimeNs t) {
  j.Key(k);
  if (t == 0) {
    j.Null();
  } else {
    j.Int(ToMillis(t));
  }
}

}  // namespace

std::string DeliveryEvent(const Engine& e, const Command& command, const DeliveryView& d) {
  DeliveryEventRecord step;
  step.state = d.state;
  step.ts = command.ts;
  std::visit(
      [&](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, DeliveryGrant>) {
          step.by = c.member.str();
          step.access_ref = c.access_ref.str();
          step.dataset = c.dataset.str();
          step.access_from = c.access_from;
          step.access_until = c.access_until;
        } else if constexpr (std::is_same_v<T, DeliveryConfirm>) {
          step.by = c.member.str();
        } else if constexpr (std::is_same_v<T, DeliveryDispute>) {
          step.by = c.member.str();
          step.text = c.reason.str();
        } else if constexpr (std::is_same_v<T, DeliveryResolve>) {
          step.text = c.note.str();
        }
      },
      command.body);
  const std::string_view instrument =
      d.instrument < e.instruments().size() ? std::string_view(e.instruments()[d.instrument].symbol) : "";
  const std::string_view buyer = d.buyer < e.members().size() ? std::string_view(e.members()[d.buyer].member) : "";
  const std::string_view seller =
      d.seller < e.members().size() ? std::string_view(e.members()[d.seller].member) : "";
  JsonOut j;
  j.Begin().KStr("event", "delivery").KUInt("trade_id", d.trade_id).KStr("instrument", instrument);
  j.KStr("buyer", buyer).KStr("seller", seller).KStr("state", to_string(d.state));
  j.KStr("by", step.by.empty() ? std::string_view("operator") : std::string_view(step.by));
  StepDetail(j, step);
  j.KInt("ts", ToMillis(step.ts)).End();
  return j.Take();
}

void DeliveryRecordObject(JsonOut& j, const DeliveryRecord& d) {
  TimeNs granted = 0, confirmed = 0, disputed = 0, resolved = 0;
  for (const DeliveryEventRecord& s : d.steps) {
    if (s.state == DeliveryState::kGranted) granted = s.ts;
    if (s.state == DeliveryState::kDisputed) disputed = s.ts;
    if (s.state == DeliveryState::kConfirmed) confirmed = s.ts;
    // An operator's confirmed or failed is a resolution; its grant is not.
    if (s.by.empty() && (s.state == DeliveryState::kConfirmed || s.state == DeliveryState::kFailed))
      resolved = s.ts;
  }
  j.Begin().KUInt("trade_id", d.trade_id).KStr("instrument", d.instrument);
  j.KStr("buyer", d.buyer).KStr("seller", d.seller).KStr("attestation", d.attestation);
  j.KStr("dataset", d.dataset).KStr("state", to_string(d.state)).KInt("opened_at", ToMillis(d.opened_at));
  OptTime(j, "granted_at", granted);
  OptTime(j, "confirmed_at", confirmed);
  OptTime(j, "disputed_at", disputed);
  OptTime(j, "resolved_at", resolved);
  j.Key("steps").BeginArr();
  for (const DeliveryEventRecord& s : d.steps) {
    j.Begin().KStr("state", to_string(s.state));
    j.KStr("by", s.by.empty() ? std::string_view("operator") : std::string_view(s.by));
    StepDetail(j, s);
    j.KInt("ts", ToMillis(s.ts)).End();
  }
  j.EndArr().End();
}

}  // namespace corpex::gw
