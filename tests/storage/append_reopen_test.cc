// Append + reopen: what was acknowledged durable is there after a restart,
// with the same trades, the same hash chain and the same engine state.
#include <algorithm>
#include <catch2/catch.hpp>
#include <mutex>

#include "storage/codec.h"
#include "test_util.h"

namespace corpex::testing {
namespace {

TEST_CASE("appended commands and trades survive a reopen", "[storage]") {
  TempDir tmp;
  std::string digest;
  Seq last = 0;
  uint64_t trades = 0;
  {
    Live live(Options(tmp.path()));
    CHECK(live.seq == 0);
    for (uint64_t s = 1; s <= 3000; ++s) {
      trades += live.Run(WorkloadCommand(7, s)).trades.size();
    }
    live.WaitAll();
    CHECK(live.store->durable_seq() == 3000);
    StoreStats st = live.store->stats();
    CHECK(st.commands == 3000);
    CHECK(st.trades == trades);
    CHECK(st.batches >= 1);
    REQUIRE(trades > 100);  // the workload trades
    digest = live.engine->Digest();
    last = live.seq;
    REQUIRE(live.store->Close(nullptr).ok());  // no final snapshot: replay everything
  }
  Live again(Options(tmp.path()));
  CHECK(again.seq == last);
  CHECK(again.engine->Digest() == digest);
  auto verified = again.store->VerifyChain();
  REQUIRE(verified.ok());
  CHECK(*verified == trades);
  // And it goes on from where it was.
  for (uint64_t s = last + 1; s <= last + 500; ++s) again.Run(WorkloadCommand(7, s));
  again.WaitAll();
  CHECK(again.store->VerifyChain().ok());
}

TEST_CASE("the chain matches an independent SPEC §5 recomputation", "[storage]") {
  TempDir tmp;
  Live live(Options(tmp.path()));
  // Long enough for negotiated deals, cash and equity (version-2 hashes).
  live.RunWorkload(3, 40'000);
  live.WaitAll();
  const std::vector<TradeRecord> trades = AllTrades(*live.store);
  REQUIRE(trades.size() > 50);
  std::string prev(64, '0');
  TradeId last = 0;
  bool saw_voucher = false, saw_affiliated = false;
  int cash_deals = 0, equity_deals = 0;
  for (const TradeRecord& t : trades) {
    CHECK(t.id > last);
    CHECK(t.prev_hash == prev);
    CHECK(t.hash == SpecHash(t, prev));
    CHECK(t.hash.size() == 64);
    if (t.consideration == Consideration::kEquity) {
      ++equity_deals;
      CHECK(t.buy_order == 0);
      CHECK(t.voucher_offset.v == 0);
      CHECK(t.shares > 0);
    } else {
      if (t.buy_order == 0) ++cash_deals;
      CHECK(t.notional.v == t.price.v * t.qty.v);
    }
    CHECK(t.net_cost.v == t.notional.v - t.voucher_offset.v);
    CHECK(t.dataset.size() == 64);
    CHECK_FALSE(t.attestation.empty());
    if (t.voucher_offset.v > 0) {
      CHECK(t.voucher_program == kWorkloadProgram);
      saw_voucher = true;
    }
    saw_affiliated = saw_affiliated || t.affiliated;
    prev = t.hash;
    last = t.id;
  }
  CHECK(saw_voucher);
  CHECK(saw_affiliated);
  CHECK(cash_deals >= 1);
  CHECK(equity_deals >= 1);
  // Single reads agree with the page.
  auto one = live.store->Trade(trades.front().id);
  REQUIRE(one.ok());
  CHECK(*one == trades.front());
  CHECK(live.store->Trade(999'999'999).status().code() == ErrorCode::kBadRequest);
}

TEST_CASE("every executed command is journaled, rejected ones too", "[storage]") {
  TempDir tmp;
  std::string digest;
  {
    Live live(Options(tmp.path()));
    live.RunWorkload(3, SetupCount());
    CancelOrder bad;
    bad.member = MemberName::of("B1");
    bad.order_id = 12345;
    const Events& ev = live.Run(Command{kWorkloadStart + 60'000'000'000, bad});
    CHECK(ev.status.code() == ErrorCode::kUnknownOrder);
    live.WaitAll();
    digest = live.engine->Digest();
  }
  Live again(Options(tmp.path()));
  CHECK(again.seq == SetupCount() + 1);
  CHECK(again.engine->Digest() == digest);
}

TEST_CASE("a member's secret is stored with its member.create", "[storage]") {
  TempDir tmp;
  {
    Live live(Options(tmp.path()));
    AppendExtras extras;
    extras.member_secret = "s3cr3t-hash";
    live.Run(WorkloadCommand(1, 1), &extras);
    live.WaitAll();
  }
  Live again(Options(tmp.path()));
  auto secret = again.store->MemberSecret("B1");
  REQUIRE(secret.ok());
  CHECK(*secret == "s3cr3t-hash");
  CHECK(again.store->MemberSecret("B2").status().code() == ErrorCode::kNotFound);
}

TEST_CASE("Append refuses a seq out of order", "[storage]") {
  TempDir tmp;
  Live live(Options(tmp.path()));
  Command c = WorkloadCommand(1, 1);
  const Events& ev = live.engine->Execute(c);
  CHECK_FALSE(live.store->Append(2, c, ev, *live.engine).ok());
  CHECK(live.store->Append(1, c, ev, *live.engine).ok());
  CHECK_FALSE(live.store->Append(1, c, ev, *live.engine).ok());
}

TEST_CASE("durability is published in seq order, once per group commit", "[storage]") {
  TempDir tmp;
  std::mutex mu;
  std::vector<Seq> published;
  StoreOptions o = Options(tmp.path());
  o.on_durable = [&](Seq s) {
    std::lock_guard lock(mu);
    published.push_back(s);
  };
  Live live(o);
  for (uint64_t s = 1; s <= 5000; ++s) {
    live.Run(WorkloadCommand(31, s));
    CHECK(live.store->durable_seq() <= s);
  }
  live.WaitAll();
  CHECK(live.store->WaitDurable(live.seq, std::chrono::milliseconds(0)).ok());
  StoreStats st = live.store->stats();
  REQUIRE(live.store->Close(nullptr).ok());
  std::lock_guard lock(mu);
  REQUIRE_FALSE(published.empty());
  CHECK(published.back() == 5000);
  CHECK(std::is_sorted(published.begin(), published.end()));
  CHECK(std::adjacent_find(published.begin(), published.end()) == published.end());
  CHECK(published.size() == st.batches);
  CHECK(st.max_batch >= 1);
}

TEST_CASE("WaitDurable times out on a seq never appended", "[storage]") {
  TempDir tmp;
  Live live(Options(tmp.path()));
  live.RunWorkload(1, 10);
  live.WaitAll();
  Status s = live.store->WaitDurable(11, std::chrono::milliseconds(20));
  CHECK_THAT(s.message(), Catch::Contains("timed out"));
  CHECK(live.store->health().ok());
}

}  // namespace
}  // namespace corpex::testing
