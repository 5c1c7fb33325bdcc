// Group commit pacing (StoreOptions::commit_interval): commands that arrive
// within the interval of the last write gather into one group, and closing
// the store does not wait the interval out.
#include <catch2/catch.hpp>
#include <chrono>

#include "test_util.h"

namespace corpex::testing {
namespace {

using Clock = std::chrono::steady_clock;

TEST_CASE("commands within the commit interval gather into one group commit", "[storage]") {
  TempDir tmp;
  StoreOptions o = Options(tmp.path());
  o.commit_interval = std::chrono::milliseconds(300);
  Live live(o);
  const Clock::time_point start = Clock::now();
  live.Run(WorkloadCommand(5, 1));
  // The first write has no earlier one to keep apart from.
  REQUIRE(live.store->WaitDurable(1, std::chrono::seconds(30)).ok());
  CHECK(Clock::now() - start < std::chrono::milliseconds(300));
  for (uint64_t s = 2; s <= 11; ++s) live.Run(WorkloadCommand(5, s));
  live.WaitAll();
  CHECK(Clock::now() - start >= std::chrono::milliseconds(300));
  StoreStats st = live.store->stats();
  CHECK(st.batches == 2);
  CHECK(st.max_batch == 10);
  CHECK(st.commands == 11);
}

TEST_CASE("closing a paced store writes what is queued without waiting the interval", "[storage]") {
  TempDir tmp;
  std::string digest;
  {
    StoreOptions o = Options(tmp.path());
    o.commit_interval = std::chrono::seconds(60);
    Live live(o);
    live.Run(WorkloadCommand(9, 1));
    REQUIRE(live.store->WaitDurable(1, std::chrono::seconds(30)).ok());
    for (uint64_t s = 2; s <= 50; ++s) live.Run(WorkloadCommand(9, s));
    CHECK(live.store->durable_seq() == 1);  // held by the interval
    digest = live.engine->Digest();
    const Clock::time_point start = Clock::now();
    REQUIRE(live.store->Close(nullptr).ok());
    CHECK(Clock::now() - start < std::chrono::seconds(30));
  }
  Live again(Options(tmp.path()));
  CHECK(again.seq == 50);
  CHECK(again.engine->Digest() == digest);
}

TEST_CASE("a full queue is written without waiting the interval out", "[storage]") {
  TempDir tmp;
  {
    StoreOptions o = Options(tmp.path());
    o.commit_interval = std::chrono::seconds(60);
    o.max_queued = 4;
    Live live(o);
    live.Run(WorkloadCommand(13, 1));
    REQUIRE(live.store->WaitDurable(1, std::chrono::seconds(30)).ok());
    const Clock::time_point start = Clock::now();
    // Append blocks at 4 queued commands until the writer takes them.
    for (uint64_t s = 2; s <= 21; ++s) live.Run(WorkloadCommand(13, s));
    CHECK(Clock::now() - start < std::chrono::seconds(30));
    CHECK(live.store->durable_seq() >= 5);
    CHECK(live.store->stats().max_batch <= 4);
    REQUIRE(live.store->Close(nullptr).ok());
  }
  Live again(Options(tmp.path()));
  CHECK(again.seq == 21);
}

}  // namespace
}  // namespace corpex::testing
