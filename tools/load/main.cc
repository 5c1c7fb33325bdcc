// corpex-load — load generator (SPEC §6): N members trading over real
// WebSocket connections, a live progress line, then throughput and
// order->ack latency percentiles from a histogram.
//
// Set-up uses operator credentials: a fresh instrument LOAD<tag>.TRAIN (tick
// 1, lot 1, tier 1) and N members (half sellers with an attestation, half
// buyers). Sellers post GTC sells, buyers send IOC buys that cross them, so
// the book stays small and trades flow. Each member is one connection with
// up to --window requests in flight, driven asynchronously by --threads
// threads (load/driver.h); with --rate, latency runs from each order's due
// time, so it is not flattered by a stalled exchange.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>
#include <thread>

#include "common/client.h"
#include "load/driver.h"
#include "load/histogram.h"

using namespace corpex::tools;
using Clock = std::chrono::steady_clock;

namespace {

int Usage(bool ok) {
  std::cout
      << "usage: corpex-load [--members N] [--rate R] [--tick-us T] [--window W] [--threads T]\n"
         "                   [--duration S | --count C] [--json] [--url URL]\n"
         "                   operator credentials (--user/--secret, CORPEX_USER/\n"
         "                   CORPEX_SECRET or --credentials FILE)\n"
         "  --members N   simulated members, half sellers, half buyers (default 4, at least 2)\n"
         "  --rate R      orders per second over all members, open loop; 0 = flat out (default 0)\n"
         "  --tick-us T   with --rate, wake at most every T us (1..1000) and send the orders\n"
         "                due meanwhile together; latency still counts from each one's due\n"
         "                time (default: wake for each order)\n"
         "  --window W    requests in flight per member (default 1)\n"
         "  --threads T   client threads, each driving its share of members (default 1)\n"
         "  --duration S  seconds to run (default 10); 0 with --rate runs until Ctrl-C\n"
         "  --count C     stop after C orders in all instead\n"
         "  --resting     every order a GTC that never crosses (builds a deep book)\n"
         "Prints a progress line each second (with the slowest ack of that second),\n"
         "then throughput and order->ack latency p50/p90/p99/p99.9/max. With --rate,\n"
         "an order's latency counts from when it was due, so time it waited for a\n"
         "free window slot is included.\n";
  return ok ? 0 : 2;
}

std::atomic<bool>* g_stop = nullptr;
void OnSignal(int) {
  if (g_stop) *g_stop = true;
}

}  // namespace

int main(int argc, char** argv) {
  Args a(argc, argv, {"json", "help", "resting"});
  if (!a.error().empty()) return Fail(a.error(), 2);
  if (a.has("help")) return Usage(true);
  if (!a.pos().empty()) return Fail("unexpected argument '" + a.pos()[0] + "'", 2);
  if (std::string u = a.Unknown({"members", "rate", "tick-us", "duration", "count", "window", "threads", "url", "resting"}); !u.empty())
    return Fail("unknown option " + u, 2);
  std::string err;
  int64_t members = a.num("members", err, false).value_or(4);
  int64_t rate = a.num("rate", err, false).value_or(0);
  int64_t tick_us = a.num("tick-us", err, false).value_or(0);
  int64_t duration = a.num("duration", err, false).value_or(10);
  int64_t count = a.num("count", err, false).value_or(0);
  int64_t window = a.num("window", err, false).value_or(1);
  int64_t nthreads = a.num("threads", err, false).value_or(1);
  if (!err.empty()) return Fail(err, 2);
  if (window < 1 || window > 100000) return Fail("--window must be 1..100000", 2);
  if (nthreads < 1 || nthreads > 64) return Fail("--threads must be 1..64", 2);
  if (members < 2 || members > 1000) return Fail("--members must be 2..1000", 2);
  if (a.has("tick-us") && (tick_us < 1 || tick_us > 1000)) return Fail("--tick-us must be 1..1000", 2);
  if (rate < 0 || count < 0 || duration < 0)
    return Fail("--rate, --count and --duration must be >= 0", 2);

  Client ops;
  if (std::string e = ConnectAndLogin(a, ops); !e.empty()) return Fail(e);
  std::string tag = std::to_string(NowMs());
  std::string symbol = "LOAD" + tag + ".TRAIN";
  auto must = [&](json::object req) -> std::string {
    json::object r = ops.Call(std::move(req));
    std::string e = ErrorOf(r);
    if (!e.empty()) throw std::runtime_error("set-up: " + e);
    return json::serialize(r);
  };
  std::vector<LoadMember> workers;
  try {
    must({{"op", "instrument.create"},
          {"symbol", symbol},
          {"domain", "general"},
          {"language", "zh"},
          {"modality", "text"},
          {"licence", "training"},
          {"term_months", 12},
          {"tier", 1},
          {"unit", "mtok"},
          {"tick", 1},
          {"lot", 1}});
    for (int64_t i = 0; i < members; ++i) {
      bool seller = i % 2 == 0;
      std::string id = "LOAD" + tag + (seller ? "-S" : "-B") + std::to_string(i / 2);
      json::object r = json::parse(must({{"op", "member.create"},
                                         {"member", id},
                                         {"name", id},
                                         {"group", id},
                                         {"roles", {seller ? "seller" : "buyer"}},
                                         {"tier", 4}}))
                           .as_object();
      workers.push_back({id, std::string(Result(r).at("secret").as_string()), seller});
      if (seller)
        must({{"op", "attestation.register"},
              {"attestation", "ATT-" + id},
              {"member", id},
              {"dataset", corpex::Sha256Hex(id)},
              {"assessor", "corpex-load"},
              {"licences", {"training"}},
              {"tier", 1},
              {"issued_at", NowMs() - 60000},
              {"expires_at", NowMs() + 30LL * 86400000}});
    }
  } catch (const std::exception& ex) {
    return Fail(ex.what());
  }

  std::string url = a.get("url", "ws://127.0.0.1:8080/v1");
  if (url.rfind("ws://", 0) != 0) return Fail("--url must start with ws://", 2);
  std::string rest = url.substr(5);
  std::string hostport = rest.substr(0, rest.find('/'));
  std::string path = rest.find('/') == std::string::npos ? "/v1" : rest.substr(rest.find('/'));
  size_t colon = hostport.rfind(':');
  LoadCounters sh;
  g_stop = &sh.stop;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  // Each thread drives whole seller/buyer pairs, so every share stays balanced.
  nthreads = std::min<int64_t>(nthreads, members / 2);
  std::vector<std::vector<LoadMember>> shares(static_cast<size_t>(nthreads));
  for (size_t i = 0; i < workers.size(); ++i) shares[(i / 2) % shares.size()].push_back(workers[i]);
  std::vector<std::unique_ptr<Driver>> drivers;
  for (auto& share : shares) {
    DriverOptions o;
    o.host = colon == std::string::npos ? hostport : hostport.substr(0, colon);
    o.port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);
    o.path = path;
    o.symbol = symbol;
    double part = static_cast<double>(share.size()) / static_cast<double>(members);
    o.rate = static_cast<double>(rate) * part;
    o.count = count > 0 ? static_cast<int64_t>(static_cast<double>(count) * part + 0.5) : 0;
    o.window = static_cast<uint32_t>(window);
    o.resting = a.has("resting");
    o.tick_ns = tick_us * 1000;
    drivers.push_back(std::make_unique<Driver>(o, std::move(share), &sh));
    if (std::string e = drivers.back()->Connect(); !e.empty()) return Fail(e);
  }
  std::fprintf(
      stderr, "corpex-load: %lld members on %s, %s, window %lld, %lld thread(s), %s\n",
      static_cast<long long>(members), symbol.c_str(),
      rate > 0 ? (std::to_string(rate) + " orders/s").c_str() : "flat out",
      static_cast<long long>(window), static_cast<long long>(nthreads),
      count > 0
          ? (std::to_string(count) + " orders").c_str()
          : (duration > 0 ? std::to_string(duration) + " s" : std::string("until Ctrl-C")).c_str());
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (auto& d : drivers) threads.emplace_back([&d] { d->Run(); });
  std::atomic<int> done{0};
  std::thread joiner([&] {
    for (auto& t : threads) t.join();
    done = 1;
  });
  int64_t last = 0;
  while (!done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    if (count == 0 && duration > 0 && secs >= static_cast<double>(duration)) sh.stop = true;
    if (static_cast<int64_t>(secs) != last) {
      last = static_cast<int64_t>(secs);
      std::fprintf(stderr,
                   "\r  %4llds  sent %lld  acked %lld  fills %lld  errors %lld  %.0f acks/s  "
                   "slowest this second %.1f ms   ",
                   static_cast<long long>(last), static_cast<long long>(sh.sent.load()),
                   static_cast<long long>(sh.acked.load()), static_cast<long long>(sh.fills.load()),
                   static_cast<long long>(sh.errors.load()),
                   static_cast<double>(sh.acked.load()) / secs,
                   static_cast<double>(sh.slowest.exchange(0)) / 1e6);
      std::fflush(stderr);
    }
  }
  joiner.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::fprintf(stderr, "\n");
  Histogram h, lag;
  std::map<std::string, int64_t> error_codes;
  for (const auto& d : drivers) {
    h.Merge(d->histogram());
    lag.Merge(d->send_lag());
    for (const auto& [k, v] : d->error_codes()) error_codes[k] += v;
  }
  auto us = [](uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
  if (a.has("json")) {
    json::object errs;
    for (const auto& [k, v] : error_codes) errs[k] = v;
    std::cout << json::serialize(
                     json::object{{"members", members},
                                  {"window", window},
                                  {"rate", rate},
                                  {"tick_us", tick_us},
                                  {"seconds", secs},
                                  {"sent", sh.sent.load()},
                                  {"acked", sh.acked.load()},
                                  {"fills", sh.fills.load()},
                                  {"errors", errs},
                                  {"acks_per_second", static_cast<double>(sh.acked.load()) / secs},
                                  {"latency_us",
                                   {{"p50", us(h.Quantile(0.5))},
                                    {"p90", us(h.Quantile(0.9))},
                                    {"p99", us(h.Quantile(0.99))},
                                    {"p99.9", us(h.Quantile(0.999))},
                                    {"max", us(h.max())}}},
                                  {"send_lag_us",
                                   {{"p50", us(lag.Quantile(0.5))},
                                    {"p99", us(lag.Quantile(0.99))},
                                    {"p99.9", us(lag.Quantile(0.999))},
                                    {"max", us(lag.max())}}}})
              << "\n";
  } else {
    std::printf("%lld orders acknowledged in %.2f s: %.0f orders/s, %lld fills, %lld errors\n",
                static_cast<long long>(sh.acked.load()), secs,
                static_cast<double>(sh.acked.load()) / secs,
                static_cast<long long>(sh.fills.load()), static_cast<long long>(sh.errors.load()));
    for (const auto& [k, v] : error_codes)
      std::printf("  %s: %lld\n", k.c_str(), static_cast<long long>(v));
    std::printf("order->ack latency (us): p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n",
                us(h.Quantile(0.5)), us(h.Quantile(0.9)), us(h.Quantile(0.99)),
                us(h.Quantile(0.999)), us(h.max()));
    if (lag.count() > 0)
      std::printf("send lag, due -> sent (us): p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n",
                  us(lag.Quantile(0.5)), us(lag.Quantile(0.99)), us(lag.Quantile(0.999)), us(lag.max()));
  }
  return sh.acked.load() > 0 ? 0 : 1;
}
