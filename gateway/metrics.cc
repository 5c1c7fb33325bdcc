#include "gateway/metrics.h"

namespace corpex::gw {

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
  return s;
}

}  // namespace corpex::gw
