// storage_bench — what durability costs, with fixed, seeded workloads.
//
//   durable trades/s   1,000,000 buy IOCs against one deep resting sell:
//                      one trade per command, each with a voucher offset (so
//                      the batch also carries ledger, claim and program), all
//                      through Append and group commit; timed until the last
//                      seq is durable. With sync (fsync per group) and without.
//   restart            1,000,000 resting orders in the latest snapshot, then
//                      1,000,000 journaled commands after it (cancel one, add
//                      one, so ~1M stay resting); Open + Recover timed, as
//                      after a kill -9 (the WAL is replayed too). And the same
//                      after a clean close (final snapshot, nothing to replay).
//
// Prints the median of --runs runs (default 3). --quick: 1/10 of the sizes.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "corpex/engine.h"
#include "corpex/storage.h"

namespace corpex {
namespace {

using Clock = std::chrono::steady_clock;
constexpr TimeNs kStart = 1740787200LL * 1'000'000'000;  // 2025-03-01 UTC

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// CPU seconds this process has used (all threads): a figure that other
// load on a shared machine disturbs less than wall time.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

[[noreturn]] void Die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "storage_bench: %s: %s\n", what.c_str(), s.message().c_str());
  std::exit(1);
}

// Engine + store, commands stamped 1 µs apart.
struct Rig {
  std::unique_ptr<Store> store;
  std::unique_ptr<Engine> engine;
  Seq seq = 0;
  Recovered recovered;

  explicit Rig(StoreOptions o) {
    auto s = Store::Open(std::move(o));
    if (!s.ok()) Die("open", s.status());
    store = std::move(*s);
    auto r = store->Recover();
    if (!r.ok()) Die("recover", r.status());
    recovered = std::move(*r);
    engine = std::move(recovered.engine);
    seq = recovered.last_seq;
  }
  void Run(CommandBody body) {
    Command c{kStart + static_cast<TimeNs>(seq + 1) * 1000, body};
    const Events& ev = engine->Execute(c);
    if (!ev.status.ok()) Die("command " + std::to_string(seq + 1), ev.status);
    Status s = store->Append(++seq, c, ev, *engine);
    if (!s.ok()) Die("append", s);
  }
  void Drain() {
    Status s = store->WaitDurable(seq, std::chrono::minutes(10));
    if (!s.ok()) Die("wait durable", s);
  }
};

void Setup(Rig& rig) {
  rig.Run(
      MemberCreate{MemberName::of("BUYER"), Text::of("b"), MemberName::of("GB"), kRoleBuyer, 4});
  rig.Run(
      MemberCreate{MemberName::of("SELLER"), Text::of("s"), MemberName::of("GS"), kRoleSeller, 4});
  InstrumentCreate ic;
  ic.symbol = Name::of("ZH-MED-DIALOG.TRAIN.12M");
  ic.domain = DomainName::of("medical");
  ic.language = Language::of("zh");
  ic.term_months = 12;
  ic.tier = 1;
  ic.tick = Price(1);
  ic.lot = Qty(1);
  rig.Run(ic);
  AttestationRegister ar;
  ar.attestation = Name::of("ATT-1");
  ar.member = MemberName::of("SELLER");
  ar.dataset = DatasetHex::of(std::string(64, 'a'));
  ar.assessor = Text::of("assessor");
  ar.licences = 0x0F;
  ar.tier = 1;
  ar.issued_at = kStart - 1;
  ar.expires_at = kNever;
  rig.Run(ar);
  ProgramCreate p;
  p.program = Name::of("SZ-2025");
  p.rate_bps = 3000;
  p.member_cap = Fen(1'000'000'000'000'000);
  p.budget = Fen(1'000'000'000'000'000);
  p.year = 2025;
  rig.Run(p);
  rig.Run(Enrol{Name::of("SZ-2025"), MemberName::of("BUYER")});
}

NewOrder Order(Side side, int64_t price, int64_t qty, Tif tif, uint64_t n) {
  NewOrder o;
  o.member = MemberName::of(side == Side::kBuy ? "BUYER" : "SELLER");
  o.instrument = Name::of("ZH-MED-DIALOG.TRAIN.12M");
  o.side = side;
  o.tif = tif;
  o.price = Price(price);
  o.qty = Qty(qty);
  o.client_order_id = ClientOrderId::of(std::to_string(n));
  if (side == Side::kSell) o.attestation = Name::of("ATT-1");
  if (side == Side::kBuy) o.voucher = Name::of("SZ-2025");
  return o;
}

struct ThroughputResult {
  double trades_per_s;
  double commands_per_batch;
  double cpu_us_per_trade;
};

ThroughputResult DurableTrades(const std::string& dir, bool sync, uint64_t n) {
  std::filesystem::remove_all(dir);
  StoreOptions o;
  o.dir = dir;
  o.sync = sync;
  o.snapshot_every = 0;
  Rig rig(o);
  Setup(rig);
  rig.Run(Order(Side::kSell, 100, 1'000'000'000'000, Tif::kGtc, 0));
  rig.Drain();
  StoreStats before = rig.store->stats();
  auto t0 = Clock::now();
  double cpu0 = CpuSeconds();
  for (uint64_t i = 1; i <= n; ++i) rig.Run(Order(Side::kBuy, 100, 1, Tif::kIoc, i));
  rig.Drain();
  auto t1 = Clock::now();
  double cpu = CpuSeconds() - cpu0;
  StoreStats after = rig.store->stats();
  if (after.trades - before.trades != n) {
    std::fprintf(stderr, "storage_bench: expected %llu trades, wrote %llu\n",
                 static_cast<unsigned long long>(n),
                 static_cast<unsigned long long>(after.trades - before.trades));
    std::exit(1);
  }
  (void)rig.store->Close(nullptr);
  return {static_cast<double>(n) / Seconds(t0, t1),
          static_cast<double>(n) / static_cast<double>(after.batches - before.batches),
          cpu * 1e6 / static_cast<double>(n)};
}

// 1M resting orders snapshotted, then 1M journaled commands after it.
void BuildRestartDb(const std::string& dir, uint64_t resting, uint64_t tail) {
  std::filesystem::remove_all(dir);
  StoreOptions o;
  o.dir = dir;
  o.snapshot_every = 0;
  o.engine.expected_orders = resting + tail;
  Rig rig(o);
  Setup(rig);
  uint64_t n = 0;
  // Bids 1..5000 and asks 10001..15000: the book never crosses.
  for (uint64_t i = 0; i < resting; ++i, ++n) {
    bool buy = i % 2 == 0;
    rig.Run(Order(buy ? Side::kBuy : Side::kSell, buy ? 1 + (i / 2) % 5000 : 10001 + (i / 2) % 5000,
                  10, Tif::kGtc, n));
  }
  rig.Drain();
  auto t0 = Clock::now();
  Status s = rig.store->Snapshot(*rig.engine);  // Engine::Save on the engine thread
  auto t1 = Clock::now();
  if (!s.ok()) Die("snapshot", s);
  OrderId oldest = 1;
  for (uint64_t i = 0; i < tail; ++i) {
    if (i % 2 == 0) {
      CancelOrder c;
      c.member = MemberName::of(oldest % 2 == 1 ? "BUYER" : "SELLER");
      c.order_id = oldest++;
      rig.Run(c);
    } else {
      bool buy = i % 4 == 1;
      rig.Run(Order(buy ? Side::kBuy : Side::kSell, buy ? 1 + i % 5000 : 10001 + i % 5000, 10,
                    Tif::kGtc, n++));
    }
  }
  rig.Drain();
  std::printf(
      "  built: %llu resting orders, snapshot at seq %llu (engine thread busy %.3f s taking it), "
      "%llu journaled after it\n",
      static_cast<unsigned long long>(rig.engine->counters().resting_orders),
      static_cast<unsigned long long>(rig.seq - tail), Seconds(t0, t1),
      static_cast<unsigned long long>(tail));
  s = rig.store->Close(nullptr);  // no final snapshot: the tail must be replayed
  if (!s.ok()) Die("close", s);
}

struct RestartResult {
  double seconds;
  uint64_t replayed;
  uint64_t resting;
  double open_s;      // RocksDB open, its own WAL replay included
  double snapshot_s;  // reading + Engine::Restore
  double replay_s;    // reading + executing the journal tail
};

RestartResult Restart(const std::string& dir, uint64_t expected_orders, bool snapshot_on_close) {
  StoreOptions o;
  o.dir = dir;
  o.snapshot_every = 0;
  o.engine.expected_orders = expected_orders;
  auto t0 = Clock::now();
  Rig rig(o);
  auto t1 = Clock::now();
  const double snap = std::chrono::duration<double>(rig.recovered.snapshot_time).count();
  const double replay = std::chrono::duration<double>(rig.recovered.replay_time).count();
  RestartResult r{Seconds(t0, t1),
                  rig.recovered.replayed,
                  rig.engine->counters().resting_orders,
                  Seconds(t0, t1) - snap - replay,
                  snap,
                  replay};
  Status s = rig.store->Close(snapshot_on_close ? rig.engine.get() : nullptr);
  if (!s.ok()) Die("close", s);
  return r;
}

}  // namespace
}  // namespace corpex

int main(int argc, char** argv) {
  using namespace corpex;
  int runs = 3;
  uint64_t scale = 1;
  std::string only;  // "", "tput" or "restart"
  std::string base = (std::filesystem::temp_directory_path() / "corpex-storage-bench").string();
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      scale = 10;
    } else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (!std::strcmp(argv[i], "--only") && i + 1 < argc) {
      only = argv[++i];
    } else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) {
      base = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: storage_bench [--quick] [--runs N] [--only tput|restart] [--dir DIR]\n");
      return std::strcmp(argv[i], "--help") == 0 ? 0 : 2;
    }
  }
  const uint64_t n = 1'000'000 / scale;
  std::printf("storage_bench: %d runs, medians; data under %s\n\n", runs, base.c_str());

  for (bool sync : {true, false}) {
    if (only == "restart") break;
    std::vector<double> tps, per_batch, cpu;
    for (int r = 0; r < runs; ++r) {
      ThroughputResult t = DurableTrades(base + "/tput", sync, n);
      tps.push_back(t.trades_per_s);
      per_batch.push_back(t.commands_per_batch);
      cpu.push_back(t.cpu_us_per_trade);
      std::fprintf(stderr, "  run %d: %.0f trades/s, %.2f CPU us per trade\n", r + 1,
                   t.trades_per_s, t.cpu_us_per_trade);
    }
    std::printf(
        "durable trades/s, group commit, sync=%-5s: %9.0f  (%llu trades, %.0f per batch, "
        "%.2f CPU us per trade)\n",
        sync ? "true" : "false", Median(tps), static_cast<unsigned long long>(n), Median(per_batch),
        Median(cpu));
    std::fflush(stdout);
  }

  if (only == "tput") return 0;
  std::printf("restart, %llu resting + %llu journaled commands:\n",
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(n));
  BuildRestartDb(base + "/pristine", n, n);
  std::vector<double> crash, clean;
  RestartResult last{};
  for (int r = 0; r < runs; ++r) {
    // Every run starts from the same state a kill -9 left, WAL included.
    std::filesystem::remove_all(base + "/restart");
    std::filesystem::copy(base + "/pristine", base + "/restart",
                          std::filesystem::copy_options::recursive);
    last = Restart(base + "/restart", 2 * n, false);
    crash.push_back(last.seconds);
    std::fprintf(stderr, "  run %d: %.3f s (open %.3f, snapshot %.3f, replay %.3f)\n", r + 1,
                 last.seconds, last.open_s, last.snapshot_s, last.replay_s);
  }
  std::printf("  after kill -9 (snapshot + %llu replayed, %llu resting): %.3f s\n",
              static_cast<unsigned long long>(last.replayed),
              static_cast<unsigned long long>(last.resting), Median(crash));
  (void)Restart(base + "/restart", 2 * n, true);  // clean shutdown writes the snapshot
  for (int r = 0; r < runs; ++r) {
    last = Restart(base + "/restart", 2 * n, false);
    clean.push_back(last.seconds);
    std::fprintf(stderr, "  run %d: %.3f s (open %.3f, snapshot %.3f, replay %.3f)\n", r + 1,
                 last.seconds, last.open_s, last.snapshot_s, last.replay_s);
  }
  std::printf("  after clean shutdown (snapshot, %llu replayed):          %.3f s\n",
              static_cast<unsigned long long>(last.replayed), Median(clean));
  if (!std::getenv("CORPEX_BENCH_KEEP")) std::filesystem::remove_all(base);
  return 0;
}
