// gateway/metrics.h — counters behind GET /metrics (Prometheus text format).
//
// Relaxed atomics: any thread increments, the HTTP session reads a
// momentary view. Nothing here orders other memory.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include "corpex/log_buckets.h"
#include "corpex/status.h"

namespace corpex::gw {

// The stages of an order request's time in corpexd, frame read to ack
// handed to the socket (perf/README.md, "Where an ack's time goes").
enum class Stage : uint8_t {
  kDecode,      // frame read from the socket -> decoded
  kSequence,    // decoded -> engine done (queue wait, the turn, the engine)
  kCommitWait,  // engine done -> its group commit started
  kCommit,      // commit started -> durable (RocksDB write with fsync)
  kRelease,     // durable -> the ack handed to the socket (release, strand hop, write)
  kCount
};

// Steady-clock ns, the stages' clock.
int64_t SteadyNowNs();

// A latency histogram any thread records into (relaxed atomics): 16
// sub-buckets per power of two, so a quantile is within 1/16 of itself.
class StageHistogram {
 public:
  void Record(int64_t ns, uint64_t n = 1);
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  uint64_t sum_ns() const { return sum_ns_.load(std::memory_order_relaxed); }
  uint64_t Quantile(double q) const;  // ns; 0 when empty

 private:
  using Buckets = LogBuckets<16>;
  std::array<std::atomic<uint64_t>, Buckets::kCount> counts_{};
  std::atomic<uint64_t> count_{0}, sum_ns_{0};
};

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
  // Order requests (order.new, .cancel, .replace) acknowledged, by stage.
  std::array<StageHistogram, static_cast<size_t>(Stage::kCount)> stages;
  // Each group commit's RocksDB write with fsync, once per commit (the
  // stages count it once per order): the disk's own stalls, at their size.
  StageHistogram group_commit;

  void ObserveStage(Stage st, int64_t ns, uint64_t n = 1) { stages[static_cast<size_t>(st)].Record(ns, n); }

  void Reject(ErrorCode c) { rejects[static_cast<size_t>(WireCode(c))].fetch_add(1, std::memory_order_relaxed); }
  void ObserveDurableWait(int64_t us);
  std::string Render() const;
};

}  // namespace corpex::gw
