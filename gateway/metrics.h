// gateway/metrics.h — counters behind GET /metrics (Prometheus text format).
//
// Relaxed atomics: any thread increments, the HTTP session reads a
// momentary view. Nothing here orders other memory.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "corpex/status.h"

namespace corpex::gw {

struct Metrics {
  static constexpr size_t kCodes = static_cast<size_t>(ErrorCode::kInternal) + 1;
  static constexpr std::array<int64_t, 8> kFsyncBucketsUs = {100, 500, 1000, 2000, 5000,
                                                            10000, 50000, 250000};

  std::atomic<uint64_t> orders{0};    // order.new accepted by the engine
  std::atomic<uint64_t> trades{0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> sessions{0};  // open WebSocket sessions
  std::atomic<uint64_t> sessions_total{0};
  std::atomic<uint64_t> slow_consumers{0};
  std::atomic<uint64_t> queue_depth{0};  // engine input queue
  std::atomic<uint64_t> appended_seq{0};
  std::atomic<uint64_t> durable_seq{0};
  std::atomic<uint64_t> group_commits{0};  // storage writes (each one sync)
  // Cluster (gateway/cluster/node.h): 0 single, 1 standby, 2 leader, 3 fenced.
  std::atomic<uint64_t> role{0};
  std::atomic<uint64_t> epoch{0};
  // Leader: appended commands its successor has not applied (or all, with
  // none); standby: records received and not yet applied.
  std::atomic<uint64_t> replication_lag{0};
  std::array<std::atomic<uint64_t>, kCodes> rejects{};
  // Time from a command's append to its durability, per command.
  std::array<std::atomic<uint64_t>, kFsyncBucketsUs.size() + 1> durable_wait_us{};
  std::atomic<uint64_t> durable_wait_sum_us{0};

  void Reject(ErrorCode c) { rejects[static_cast<size_t>(WireCode(c))].fetch_add(1, std::memory_order_relaxed); }
  void ObserveDurableWait(int64_t us);
  std::string Render() const;
};

}  // namespace corpex::gw
