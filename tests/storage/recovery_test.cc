// Recovery: latest snapshot + journal replay gives exactly the live engine's
// state (Engine::Digest), whichever mix of snapshot and journal it starts from.
#include <catch2/catch.hpp>
#include <filesystem>

#include "test_util.h"

namespace corpex::testing {
namespace {

struct Case {
  uint64_t snapshot_every;
  bool prune;
  bool snapshot_on_close;
};

TEST_CASE("snapshot + journal replay equals the live engine", "[recovery]") {
  const Case cases[] = {
      {0, false, false},    // journal only
      {500, false, false},  // snapshots, a journal tail after the last one
      {500, true, false},   // same, covered journal entries pruned
      {0, false, true},     // one snapshot on clean close, nothing to replay
      {777, true, true},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION("every " << c.snapshot_every << " prune " << c.prune << " close-snapshot "
                             << c.snapshot_on_close) {
      TempDir tmp;
      StoreOptions o = Options(tmp.path());
      o.snapshot_every = c.snapshot_every;
      o.prune_journal = c.prune;
      std::string digest;
      {
        Live live(o);
        live.RunWorkload(21, 4321);
        live.WaitAll();
        digest = live.engine->Digest();
        if (c.snapshot_every) CHECK(live.store->stats().snapshots == 4321 / c.snapshot_every);
        REQUIRE(live.store->Close(c.snapshot_on_close ? live.engine.get() : nullptr).ok());
      }
      auto store = Store::Open(o);
      REQUIRE(store.ok());
      auto r = (*store)->Recover();
      INFO(r.status().message());
      REQUIRE(r.ok());
      CHECK(r->last_seq == 4321);
      CHECK(r->engine->Digest() == digest);
      Seq expected_snapshot = c.snapshot_on_close ? 4321
                              : c.snapshot_every  ? 4321 / c.snapshot_every * c.snapshot_every
                                                  : 0;
      CHECK(r->snapshot_seq == expected_snapshot);
      CHECK(r->replayed == 4321 - expected_snapshot);
      auto chain = (*store)->VerifyChain();
      REQUIRE(chain.ok());
      CHECK(r->last_trade_id == *chain);
    }
  }
}

TEST_CASE("snapshots written by a forked child restore like inline ones", "[recovery]") {
  TempDir tmp;
  StoreOptions o = Options(tmp.path());
  o.snapshot_every = 500;
  o.snapshot_in_child = true;
  std::string digest;
  Seq snapshot_seq = 0;
  for (int round = 0; round < 2; ++round) {
    Live live(o);
    live.RunWorkload(31 + round, 3000 * (round + 1));
    live.WaitAll();
    digest = live.engine->Digest();
    REQUIRE(live.store->Close(nullptr).ok());  // reaps a child still writing
    StoreStats st = live.store->stats();
    CHECK(st.snapshot_failures == 0);
  }
  auto store = Store::Open(o);
  REQUIRE(store.ok());
  auto r = (*store)->Recover();
  INFO(r.status().message());
  REQUIRE(r.ok());
  snapshot_seq = r->snapshot_seq;
  CHECK(snapshot_seq > 3000);  // the second round's snapshots, from files
  CHECK(r->replayed == r->last_seq - snapshot_seq);
  CHECK(r->engine->Digest() == digest);
  // Exactly one snapshot file is left: the one the meta names.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(tmp.path() + "/corpex-snapshots")) {
    ++files;
    CHECK(e.path().filename().string().find(std::to_string(snapshot_seq)) != std::string::npos);
  }
  CHECK(files == 1);
}

TEST_CASE("recovered engine keeps matching the live engine", "[recovery]") {
  TempDir tmp;
  StoreOptions o = Options(tmp.path());
  o.snapshot_every = 300;
  Engine shadow;  // never stops: the state a crash-free exchange would have
  for (int round = 0; round < 4; ++round) {
    Live live(o);
    REQUIRE(live.engine->Digest() == shadow.Digest());
    Seq until = live.seq + 1000 + 137 * round;
    while (live.seq < until) {
      Command c = WorkloadCommand(5, live.seq + 1);
      shadow.Execute(c);
      live.Run(c);
    }
    live.WaitAll();
    CHECK(live.engine->Digest() == shadow.Digest());
    // Rounds end without a final snapshot, like a crash after the last fsync.
    REQUIRE(live.store->Close(nullptr).ok());
  }
  Live last(o);
  CHECK(last.engine->Digest() == shadow.Digest());
  CHECK(last.engine->counters().next_trade_id == shadow.counters().next_trade_id);
  CHECK(last.store->VerifyChain().ok());
}

TEST_CASE("voucher ledgers and claims are stored as they stand", "[recovery]") {
  TempDir tmp;
  Live live(Options(tmp.path()));
  live.RunWorkload(9, 6000);
  live.WaitAll();
  const Engine& e = *live.engine;
  ProgramId p = e.FindProgram(kWorkloadProgram);
  REQUIRE(p != kNone);
  auto report = live.store->Vouchers(kWorkloadProgram);
  REQUIRE(report.ok());
  CHECK(report->program.budget_left == e.programs()[p].budget_left);
  CHECK(report->program.budget == e.programs()[p].budget);
  CHECK(report->members.size() == 4);
  Fen reserved_sum;
  for (const LedgerRecord& l : report->members) {
    const Ledger* el = e.FindLedger(p, e.FindMember(l.member));
    REQUIRE(el != nullptr);
    CHECK(l.reserved == el->reserved);
    CHECK(l.approved == el->approved);
    CHECK(l.paid == el->paid);
    CHECK(l.rejected == el->rejected);
    reserved_sum.v += l.reserved.v;
  }
  CHECK(reserved_sum.v > 0);
  CHECK(report->program.budget.v - report->program.budget_left.v == reserved_sum.v);

  auto claims = live.store->Claims(kWorkloadProgram);
  REQUIRE(claims.ok());
  std::vector<Claim> engine_claims = e.Claims(p);
  REQUIRE(claims->size() == engine_claims.size());
  bool settled = false;
  for (size_t i = 0; i < claims->size(); ++i) {
    const ClaimRecord& c = (*claims)[i];
    CHECK(c.trade_id == engine_claims[i].trade_id);
    CHECK(c.amount == engine_claims[i].amount);
    CHECK(c.status == engine_claims[i].status);
    settled = settled || c.status != ClaimStatus::kReserved;
    auto t = live.store->Trade(c.trade_id);
    REQUIRE(t.ok());
    CHECK(t->voucher_offset == c.amount);
    CHECK(t->buyer == c.member);
  }
  CHECK(settled);
  ClaimStatus rejected = ClaimStatus::kRejected;
  auto only = live.store->Claims(kWorkloadProgram, &rejected);
  REQUIRE(only.ok());
  for (const ClaimRecord& c : *only) CHECK(c.status == ClaimStatus::kRejected);
  CHECK(live.store->Vouchers("NOPE").status().code() == ErrorCode::kBadRequest);
}

}  // namespace
}  // namespace corpex::testing
