// tools/load/driver.h — the asynchronous order driver behind corpex-load.
//
// One Driver is one thread's share of the load: its own io_context, its own
// connections (logged in before Run), and its own histogram. Orders are
// pre-formatted text and responses are read by scanning for "id" and "ok",
// so the generator spends its CPU on the socket, not on JSON, and leaves the
// machine to the exchange under test.
//
// Pacing: with a rate, order k is due at start + k/rate (open loop); its
// latency runs from that due time, not from when it was sent, so a stalled
// exchange is charged for every order it held back (no coordinated
// omission). Each connection keeps at most `window` requests in flight; flat
// out (rate 0), every acknowledgement frees a slot for the next order.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "load/histogram.h"

namespace corpex::tools {

struct LoadMember {
  std::string member, secret;
  bool seller = false;
};

struct DriverOptions {
  std::string host, port, path;
  std::string symbol;
  double rate = 0;          // orders/s for this driver; 0 = flat out
  int64_t count = 0;        // orders for this driver; 0 = until stopped
  uint32_t window = 1;      // requests in flight per connection
  bool resting = false;     // every order a GTC that never crosses: builds a book
  // With a rate: wake at most once a tick (orders due meanwhile leave
  // together, charged from their due times); 0 = wake for each order. On a
  // small VM, a wake-up per order is host overhead the exchange pays for.
  int64_t tick_ns = 0;
};

// Counters shared with the progress line (relaxed atomics).
struct LoadCounters {
  std::atomic<int64_t> sent{0}, acked{0}, errors{0}, fills{0};
  // The slowest ack since the progress line last took it (ns): shows when
  // in the run the tail latency happens.
  std::atomic<int64_t> slowest{0};
  std::atomic<bool> stop{false};
};

class Driver {
 public:
  Driver(DriverOptions options, std::vector<LoadMember> members, LoadCounters* counters);
  ~Driver();
  // Connects and logs every member in; "" on success, else why not.
  std::string Connect();
  // Runs until count is reached or counters->stop, then drains what is in flight.
  void Run();
  const Histogram& histogram() const;
  // With a rate: how late each order left against its due time (the
  // generator's own share of the latency it reports).
  const Histogram& send_lag() const;
  const std::map<std::string, int64_t>& error_codes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corpex::tools
