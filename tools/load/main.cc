// corpex-load — load generator (SPEC §6): N members trading over real
// WebSocket connections, a live progress line, then throughput and
// order->ack latency percentiles from a histogram.
//
// Set-up uses operator credentials: a fresh instrument LOAD<tag>.TRAIN (tick
// 1, lot 1, tier 1) and N members (half sellers with an attestation, half
// buyers). Sellers post GTC sells, buyers send IOC buys that cross them, so
// the book stays small and trades flow. Each member is one thread with one
// connection and one request in flight; latency is send -> response.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "common/client.h"
#include "load/histogram.h"

using namespace corpex::tools;
using Clock = std::chrono::steady_clock;

namespace {

struct Shared {
  std::atomic<int64_t> sent{0}, acked{0}, errors{0}, fills{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::map<std::string, int64_t> error_codes;  // guarded by mu
  Histogram hist;                              // guarded by mu (merged at the end)
};

struct Worker {
  std::string member, secret;
  bool seller;
};

void RunWorker(const Args& a, const Worker& w, const std::string& symbol, double rate_per_worker,
               int64_t count_per_worker, Shared& sh) {
  Client c;
  std::string e = c.Connect(a.get("url", "ws://127.0.0.1:8080/v1"));
  if (e.empty()) e = c.Login(w.member, w.secret);
  if (!e.empty()) {
    std::lock_guard<std::mutex> lock(sh.mu);
    ++sh.error_codes["connect: " + e];
    sh.errors++;
    return;
  }
  Histogram h;
  auto start = Clock::now();
  for (int64_t i = 0; !sh.stop && (count_per_worker <= 0 || i < count_per_worker); ++i) {
    if (rate_per_worker > 0) {
      auto due = start + std::chrono::nanoseconds(
                             static_cast<int64_t>(1e9 * static_cast<double>(i) / rate_per_worker));
      std::this_thread::sleep_until(due);
      if (sh.stop) break;
    }
    json::object req{{"op", "order.new"},
                     {"instrument", symbol},
                     {"qty", 1},
                     {"client_order_id", "L" + std::to_string(i)}};
    if (w.seller) {
      req["side"] = "sell", req["price"] = 100 + (i % 10), req["tif"] = "GTC";
      req["attestation"] = "ATT-" + w.member;
    } else {
      req["side"] = "buy", req["price"] = 109, req["tif"] = "IOC";
    }
    auto t0 = Clock::now();
    sh.sent++;
    json::object r = c.Call(req);
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
    std::string err = ErrorOf(r);
    if (err.empty()) {
      h.Record(static_cast<uint64_t>(ns));
      sh.acked++;
      sh.fills += static_cast<int64_t>(Result(r).at("fills").as_array().size());
    } else {
      sh.errors++;
      std::lock_guard<std::mutex> lock(sh.mu);
      ++sh.error_codes[err.substr(0, err.find(':'))];
      if (err.rfind("DISCONNECTED", 0) == 0) break;
    }
  }
  std::lock_guard<std::mutex> lock(sh.mu);
  sh.hist.Merge(h);
}

int Usage(bool ok) {
  std::cout
      << "usage: corpex-load [--members N] [--rate R] [--duration S | --count C] [--json]\n"
         "                   [--url URL] operator credentials (--user/--secret, CORPEX_USER/\n"
         "                   CORPEX_SECRET or --credentials FILE)\n"
         "  --members N   simulated members, half sellers, half buyers (default 4, at least 2)\n"
         "  --rate R      target orders per second over all members; 0 = flat out (default 0)\n"
         "  --duration S  seconds to run (default 10); 0 with --rate runs until Ctrl-C\n"
         "  --count C     stop after C orders in all instead\n"
         "Prints a progress line each second, then throughput and order->ack latency\n"
         "p50/p90/p99/p99.9/max.\n";
  return ok ? 0 : 2;
}

std::atomic<bool>* g_stop = nullptr;
void OnSignal(int) {
  if (g_stop) *g_stop = true;
}

}  // namespace

int main(int argc, char** argv) {
  Args a(argc, argv, {"json", "help"});
  if (!a.error().empty()) return Fail(a.error(), 2);
  if (a.has("help")) return Usage(true);
  if (!a.pos().empty()) return Fail("unexpected argument '" + a.pos()[0] + "'", 2);
  if (std::string u = a.Unknown({"members", "rate", "duration", "count"}); !u.empty())
    return Fail("unknown option " + u, 2);
  std::string err;
  int64_t members = a.num("members", err, false).value_or(4);
  int64_t rate = a.num("rate", err, false).value_or(0);
  int64_t duration = a.num("duration", err, false).value_or(10);
  int64_t count = a.num("count", err, false).value_or(0);
  if (!err.empty()) return Fail(err, 2);
  if (members < 2 || members > 1000) return Fail("--members must be 2..1000", 2);
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
  std::vector<Worker> workers;
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
              {"dataset", Sha256Hex(id)},
              {"assessor", "corpex-load"},
              {"licences", {"training"}},
              {"tier", 1},
              {"issued_at", NowMs() - 60000},
              {"expires_at", NowMs() + 30LL * 86400000}});
    }
  } catch (const std::exception& ex) {
    return Fail(ex.what());
  }

  Shared sh;
  g_stop = &sh.stop;
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  double per_worker_rate = rate > 0 ? static_cast<double>(rate) / static_cast<double>(members) : 0;
  int64_t per_worker_count = count > 0 ? (count + members - 1) / members : 0;
  std::fprintf(
      stderr, "corpex-load: %lld members on %s, %s, %s\n", static_cast<long long>(members),
      symbol.c_str(), rate > 0 ? (std::to_string(rate) + " orders/s").c_str() : "flat out",
      count > 0
          ? (std::to_string(count) + " orders").c_str()
          : (duration > 0 ? std::to_string(duration) + " s" : std::string("until Ctrl-C")).c_str());
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (const Worker& w : workers)
    threads.emplace_back(
        [&, w] { RunWorker(a, w, symbol, per_worker_rate, per_worker_count, sh); });
  std::atomic<int> done{0};
  std::thread joiner([&] {
    for (auto& t : threads) t.join();
    done = 1;
  });
  int64_t last = 0;
  while (!done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    double secs = std::chrono::duration<double>(Clock::now() - start).count();
    if (count == 0 && duration > 0 && secs >= static_cast<double>(duration)) sh.stop = true;
    if (static_cast<int64_t>(secs) != last) {
      last = static_cast<int64_t>(secs);
      std::fprintf(
          stderr, "\r  %4llds  sent %lld  acked %lld  fills %lld  errors %lld  %.0f acks/s   ",
          static_cast<long long>(last), static_cast<long long>(sh.sent.load()),
          static_cast<long long>(sh.acked.load()), static_cast<long long>(sh.fills.load()),
          static_cast<long long>(sh.errors.load()), static_cast<double>(sh.acked.load()) / secs);
      std::fflush(stderr);
    }
  }
  joiner.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::fprintf(stderr, "\n");
  const Histogram& h = sh.hist;
  auto us = [](uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
  if (a.has("json")) {
    json::object errs;
    for (const auto& [k, v] : sh.error_codes) errs[k] = v;
    std::cout << json::serialize(
                     json::object{{"members", members},
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
                                    {"max", us(h.max())}}}})
              << "\n";
  } else {
    std::printf("%lld orders acknowledged in %.2f s: %.0f orders/s, %lld fills, %lld errors\n",
                static_cast<long long>(sh.acked.load()), secs,
                static_cast<double>(sh.acked.load()) / secs,
                static_cast<long long>(sh.fills.load()), static_cast<long long>(sh.errors.load()));
    for (const auto& [k, v] : sh.error_codes)
      std::printf("  %s: %lld\n", k.c_str(), static_cast<long long>(v));
    std::printf("order->ack latency (us): p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n",
                us(h.Quantile(0.5)), us(h.Quantile(0.9)), us(h.Quantile(0.99)),
                us(h.Quantile(0.999)), us(h.max()));
  }
  return sh.acked.load() > 0 ? 0 : 1;
}
