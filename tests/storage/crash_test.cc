// Crash test: storage_crash_driver runs engine + store under a steady random
// load and is SIGKILLed at random moments, over and over. After each kill the
// test recovers the store itself and checks it against an independent
// reference: the same workload replayed through a fresh Engine in this
// process, with the SPEC §5 chain recomputed here. Every seq the driver had
// acknowledged (its fsync'd ack file) must be recovered; the recovered state
// must be exactly the reference's at the recovered seq — every trade once,
// ledgers and claims to the fen, chain intact, resting orders intact.
//
// CORPEX_CRASH_CYCLES (default 30) and CORPEX_CRASH_SEED tune a run by hand.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "test_util.h"

extern char** environ;

namespace corpex::testing {
namespace {

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : fallback;
}

struct Driver {
  pid_t pid = -1;
  int out = -1;  // its stdout

  Driver(const std::string& dir, const std::string& ack, uint64_t seed) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    std::string seed_s = std::to_string(seed);
    const char* argv[] = {CORPEX_CRASH_DRIVER, dir.c_str(), ack.c_str(),
                          seed_s.c_str(),      "2500",      nullptr};
    REQUIRE(posix_spawn(&pid, CORPEX_CRASH_DRIVER, &fa, nullptr, const_cast<char**>(argv),
                        environ) == 0);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    out = fds[0];
  }
  // True once the driver printed "ready"; false on timeout or exit.
  bool WaitReady(std::chrono::milliseconds timeout) {
    std::string got;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (got.find('\n') == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{out, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
      char buf[256];
      ssize_t n = read(out, buf, sizeof buf);
      if (n <= 0) return false;
      got.append(buf, static_cast<size_t>(n));
    }
    return got.rfind("ready ", 0) == 0;
  }
  // SIGKILL; true if it was still running (it must never stop on its own).
  bool Kill() {
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(out);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  }
};

Seq LastAck(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  Seq last = 0;
  while (std::getline(in, line)) {
    if (!in.eof()) last = std::max<Seq>(last, std::strtoull(line.c_str(), nullptr, 10));
  }
  return last;  // a torn last line (no '\n') was never fsync'd as a whole
}

// The owned record of an engine trade, built here from the engine's refdata.
// A negotiated trade's consideration is the accepted quote's.
TradeRecord RecordOf(const Trade& t, const Engine& e, const QuoteView* accepted) {
  TradeRecord r;
  r.id = t.id;
  r.ts = t.ts;
  r.instrument = e.instruments()[t.instrument].symbol;
  r.price = t.price;
  r.qty = t.qty;
  r.notional = t.notional;
  r.aggressor = t.aggressor;
  r.buy_order = t.buy_order;
  r.sell_order = t.sell_order;
  r.buyer = e.members()[t.buyer].member;
  r.seller = e.members()[t.seller].member;
  r.affiliated = t.affiliated;
  r.attestation = e.attestations()[t.attestation].attestation;
  r.dataset = e.attestations()[t.attestation].dataset;
  r.voucher_program = t.program == kNone ? "" : e.programs()[t.program].program;
  r.voucher_offset = t.voucher_offset;
  r.net_cost = t.net_cost;
  if (t.buy_order == 0 && accepted != nullptr && accepted->consideration == Consideration::kEquity) {
    r.consideration = Consideration::kEquity;
    r.company = std::string(accepted->equity.company_view());
    r.shares = accepted->equity.shares;
  }
  return r;
}

// What an exchange that never crashed would hold after the same commands.
struct Reference {
  uint64_t seed = 0;
  Engine engine;
  Seq seq = 0;
  std::vector<TradeRecord> trades;
  std::string head = std::string(64, '0');

  void AdvanceTo(Seq target) {
    for (; seq < target; ++seq) {
      const Events& ev = engine.Execute(WorkloadCommand(seed, seq + 1));
      const QuoteView* accepted = nullptr;
      for (const QuoteView& q : ev.quotes) {
        if (q.status == QuoteStatus::kAccepted) accepted = &q;
      }
      for (const Trade& t : ev.trades) {
        TradeRecord r = RecordOf(t, engine, accepted);
        r.prev_hash = head;
        r.hash = SpecHash(r, head);
        head = r.hash;
        trades.push_back(std::move(r));
      }
    }
  }
};

// Returns the recovered seq.
Seq CheckRecovered(const std::string& dir, Seq acked, Reference* ref) {
  auto store = Store::Open(Options(dir));
  INFO(store.status().message());
  REQUIRE(store.ok());
  auto r = (*store)->Recover();
  INFO(r.status().message());
  REQUIRE(r.ok());
  REQUIRE(r->last_seq >= acked);  // nothing acknowledged is lost
  ref->AdvanceTo(r->last_seq);
  const Engine& got = *r->engine;
  REQUIRE(got.Digest() == ref->engine.Digest());
  CHECK(r->chain_head == ref->head);

  // Every trade exactly once, field for field, through the report index.
  const std::vector<TradeRecord> stored = AllTrades(**store);
  REQUIRE(stored.size() == ref->trades.size());
  for (size_t i = 0; i < stored.size(); ++i) {
    if (!(stored[i] == ref->trades[i])) FAIL("trade " << ref->trades[i].id << " differs");
  }
  auto chain = (*store)->VerifyChain();
  INFO(chain.status().message());
  REQUIRE(chain.ok());
  CHECK(*chain == ref->trades.size());

  // Ledgers and claims to the fen, as stored and as recovered.
  ProgramId p = ref->engine.FindProgram(kWorkloadProgram);
  auto vouchers = (*store)->Vouchers(kWorkloadProgram);
  if (p == kNone) {
    // Killed before the workload created its program: storage must not know it either.
    CHECK_FALSE(vouchers.ok());
    CHECK(got.FindProgram(kWorkloadProgram) == kNone);
  } else {
    REQUIRE(vouchers.ok());
    CHECK(vouchers->program.budget_left == ref->engine.programs()[p].budget_left);
    for (const LedgerRecord& l : vouchers->members) {
      const Ledger* want = ref->engine.FindLedger(p, ref->engine.FindMember(l.member));
      REQUIRE(want != nullptr);
      CHECK(l.reserved == want->reserved);
      CHECK(l.approved == want->approved);
      CHECK(l.paid == want->paid);
      CHECK(l.rejected == want->rejected);
    }
    auto claims = (*store)->Claims(kWorkloadProgram);
    REQUIRE(claims.ok());
    std::vector<Claim> want_claims = ref->engine.Claims(p);
    REQUIRE(claims->size() == want_claims.size());
    for (size_t i = 0; i < want_claims.size(); ++i) {
      CHECK((*claims)[i].trade_id == want_claims[i].trade_id);
      CHECK((*claims)[i].amount == want_claims[i].amount);
      CHECK((*claims)[i].status == want_claims[i].status);
    }
  }

  // Resting orders, one by one (the digest covers them too).
  std::vector<OrderView> orders = got.AllOrders(), want_orders = ref->engine.AllOrders();
  REQUIRE(orders.size() == want_orders.size());
  for (size_t i = 0; i < orders.size(); ++i) {
    CHECK(orders[i].id == want_orders[i].id);
    CHECK(orders[i].open == want_orders[i].open);
    CHECK(orders[i].price == want_orders[i].price);
  }
  REQUIRE((*store)->Close(nullptr).ok());
  return r->last_seq;
}

TEST_CASE("SIGKILL at random moments loses nothing acknowledged", "[crash]") {
  const uint64_t cycles = EnvOr("CORPEX_CRASH_CYCLES", 30);
  const uint64_t seed = EnvOr("CORPEX_CRASH_SEED", std::random_device{}());
  INFO("CORPEX_CRASH_SEED=" << seed);
  TempDir tmp;
  const std::string dir = tmp.sub("db"), ack = tmp.sub("acks");
  std::mt19937_64 rng(seed);
  Reference ref;
  ref.seed = seed;
  uint64_t early_kills = 0;
  uint64_t in_flight = 0;  // kills after which more was on disk than acknowledged
  Seq last_acked = 0;
  for (uint64_t cycle = 0; cycle < cycles; ++cycle) {
    INFO("cycle " << cycle);
    Driver d(dir, ack, seed);
    if (rng() % 6 == 0) {  // during start-up and recovery
      std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 40));
      ++early_kills;
    } else {
      REQUIRE(d.WaitReady(std::chrono::seconds(30)));
      if (cycle % 10 == 1) {  // the running driver holds the directory
        auto other = Store::Open(Options(dir));
        CHECK_FALSE(other.ok());
        CHECK_THAT(other.status().message(), Catch::Contains("in use by another process"));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10 + rng() % 350));
    }
    REQUIRE(d.Kill());
    Seq acked = LastAck(ack);
    CHECK(acked >= last_acked);
    last_acked = acked;
    Seq recovered = CheckRecovered(dir, acked, &ref);
    in_flight += recovered > acked ? 1 : 0;
  }
  WARN("crash test: " << cycles << " kills (" << early_kills << " during start-up, " << in_flight
                      << " with unacknowledged commands on disk), " << ref.seq << " commands, "
                      << ref.trades.size() << " trades, seed " << seed);
  CHECK(ref.trades.size() > 1000);
}

}  // namespace
}  // namespace corpex::testing
