// The crash and reopen tests are only as good as the workload they replay:
// it must reach every kind of state, deliveries and negotiated deals
// included, not just be refused.
#include <catch2/catch.hpp>

#include <map>

#include "corpex/engine.h"
#include "workload.h"

namespace corpex::testing {
namespace {

TEST_CASE("the workload's delivery steps and deals are accepted often enough to matter", "[workload]") {
  Engine engine;
  std::map<std::string, int> accepted;
  int negotiated = 0, book = 0;
  for (uint64_t seq = 1; seq <= 40'000; ++seq) {
    const Command c = WorkloadCommand(3, seq);
    const Events& ev = engine.Execute(c);
    if (!ev.status.ok()) continue;
    std::visit(
        [&](const auto& body) {
          using T = std::decay_t<decltype(body)>;
          if constexpr (std::is_same_v<T, DeliveryGrant>) ++accepted["grant"];
          if constexpr (std::is_same_v<T, DeliveryConfirm>) ++accepted["confirm"];
          if constexpr (std::is_same_v<T, DeliveryDispute>) ++accepted["dispute"];
          if constexpr (std::is_same_v<T, DeliveryResolve>) ++accepted["resolve"];
          if constexpr (std::is_same_v<T, RfqNew>) ++accepted["rfq"];
          if constexpr (std::is_same_v<T, QuoteNew>) {
            ++accepted[body.consideration == Consideration::kEquity ? "equity quote" : "cash quote"];
          }
        },
        c.body);
    for (const Trade& t : ev.trades) ++(t.buy_order == 0 ? negotiated : book);
  }
  INFO("book trades " << book << ", negotiated " << negotiated);
  for (const char* k : {"grant", "confirm", "dispute", "resolve", "rfq", "cash quote", "equity quote"}) {
    INFO(k);
    CHECK(accepted[k] >= 2);  // each kind reached, and more than once
  }
  CHECK(negotiated >= 3);
  CHECK(book > negotiated);
}

}  // namespace
}  // namespace corpex::testing
