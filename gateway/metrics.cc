#include "gateway/metrics.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace corpex::gw {

int64_t SteadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void StageHistogram::Record(int64_t ns, uint64_t n) {
  const uint64_t v = ns > 0 ? static_cast<uint64_t>(ns) : 0;
  counts_[static_cast<size_t>(Buckets::Index(v))].fetch_add(n, std::memory_order_relaxed);
  count_.fetch_add(n, std::memory_order_relaxed);
  sum_ns_.fetch_add(v * n, std::memory_order_relaxed);
}

uint64_t StageHistogram::Quantile(double q) const {
  // A momentary view: counts recorded while this reads may be half seen.
  uint64_t total = 0;
  for (const auto& c : counts_) total += c.load(std::memory_order_relaxed);
  if (total == 0) return 0;
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(total)));
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i].load(std::memory_order_relaxed);
    if (seen >= rank) return Buckets::Upper(static_cast<int>(i));
  }
  return Buckets::Upper(Buckets::kCount - 1);
}

void Metrics::ObserveDurableWait(int64_t us) {
  size_t i = 0;
  while (i < kFsyncBucketsUs.size() && us > kFsyncBucketsUs[i]) ++i;
  durable_wait_us[i].fetch_add(1, std::memory_order_relaxed);
  durable_wait_sum_us.fetch_add(static_cast<uint64_t>(us < 0 ? 0 : us), std::memory_order_relaxed);
}

std::string Metrics::Render() const {
  std::string s;
  auto line = [&s](const char* name, const char* type, uint64_t v) {
    s += "# TYPE ";
    s += name;
    s += ' ';
    s += type;
    s += '\n';
    s += name;
    s += ' ';
    s += std::to_string(v);
    s += '\n';
  };
  auto get = [](const std::atomic<uint64_t>& a) { return a.load(std::memory_order_relaxed); };
  line("corpex_orders_total", "counter", get(orders));
  line("corpex_trades_total", "counter", get(trades));
  line("corpex_requests_total", "counter", get(requests));
  line("corpex_sessions", "gauge", get(sessions));
  line("corpex_sessions_total", "counter", get(sessions_total));
  line("corpex_slow_consumers_total", "counter", get(slow_consumers));
  line("corpex_engine_queue_depth", "gauge", get(queue_depth));
  line("corpex_appended_seq", "gauge", get(appended_seq));
  line("corpex_durable_seq", "gauge", get(durable_seq));
  line("corpex_group_commits_total", "counter", get(group_commits));
  static constexpr const char* kRoles[] = {"single", "standby", "leader", "fenced"};
  s += "# TYPE corpex_role gauge\n";
  for (uint64_t r = 0; r < 4; ++r)
    s += std::string("corpex_role{role=\"") + kRoles[r] + "\"} " + (get(role) == r ? "1" : "0") + "\n";
  line("corpex_epoch", "gauge", get(epoch));
  line("corpex_replication_lag_records", "gauge", get(replication_lag));
  s += "# TYPE corpex_rejects_total counter\n";
  for (size_t c = 1; c < kCodes; ++c)
    s += "corpex_rejects_total{code=\"" + std::string(to_string(static_cast<ErrorCode>(c))) +
         "\"} " + std::to_string(get(rejects[c])) + "\n";
  s += "# TYPE corpex_durable_wait_seconds histogram\n";
  uint64_t cum = 0;
  for (size_t i = 0; i <= kFsyncBucketsUs.size(); ++i) {
    cum += get(durable_wait_us[i]);
    std::string le = i < kFsyncBucketsUs.size()
                         ? std::to_string(kFsyncBucketsUs[i] / 1e6).substr(0, 8)
                         : std::string("+Inf");
    s += "corpex_durable_wait_seconds_bucket{le=\"" + le + "\"} " + std::to_string(cum) + "\n";
  }
  s += "corpex_durable_wait_seconds_sum " + std::to_string(get(durable_wait_sum_us) / 1e6) + "\n";
  s += "corpex_durable_wait_seconds_count " + std::to_string(cum) + "\n";
  static constexpr const char* kStages[] = {"decode", "sequence", "commit_wait", "commit", "release"};
  static constexpr std::array<std::pair<const char*, double>, 4> kQuantiles = {
      {{"0.5", 0.5}, {"0.99", 0.99}, {"0.999", 0.999}, {"1", 1.0}}};
  auto seconds = [](uint64_t ns) {
    char b[32];
    std::snprintf(b, sizeof b, "%.9f", static_cast<double>(ns) / 1e9);
    return std::string(b);
  };
  // NAME{LABELS,quantile=...} lines, then NAME_sum{LABELS} and NAME_count{LABELS}.
  auto summary = [&](const std::string& name, const std::string& labels, const StageHistogram& h) {
    const std::string sep = labels.empty() ? "" : ",";
    for (const auto& [qname, q] : kQuantiles)
      s += name + "{" + labels + sep + "quantile=\"" + qname + "\"} " + seconds(h.Quantile(q)) + "\n";
    const std::string braces = labels.empty() ? "" : "{" + labels + "}";
    s += name + "_sum" + braces + " " + seconds(h.sum_ns()) + "\n";
    s += name + "_count" + braces + " " + std::to_string(h.count()) + "\n";
  };
  s += "# TYPE corpex_stage_seconds summary\n";
  for (size_t i = 0; i < stages.size(); ++i)
    summary("corpex_stage_seconds", std::string("stage=\"") + kStages[i] + "\"", stages[i]);
  s += "# TYPE corpex_group_commit_seconds summary\n";
  summary("corpex_group_commit_seconds", "", group_commit);
  return s;
}

}  // namespace corpex::gw
