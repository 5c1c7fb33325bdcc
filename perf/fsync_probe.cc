// fsync_probe — the disk's durability floor under the exchange's I/O shape.
//
// Appends `--bytes` to a file and fdatasyncs it, `--count` times, pausing
// `--gap-us` between (a group commit of that size at that pace), and prints
// the fdatasync latency percentiles. No order can be acknowledged durably
// faster than one of these, so they bound corpexd's order->ack latency from
// below: run it beside perf/e2e.sh on the same disk.
//
// `--spin N` runs N threads that only read the clock while the syncs go on,
// and reports the pauses they saw (gaps over 1 ms between two readings). On
// a VM whose CPU quota also pays for the host's disk work, syncs back to
// back pause every vCPU for milliseconds per 100 ms quota period; spaced
// syncs do not (README.md, Performance: why commit_interval_us exists).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  std::string dir = "/tmp";
  size_t bytes = 20000, count = 5000;
  long gap_us = 500;
  size_t spin = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "fsync_probe: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--dir") dir = next();
    else if (a == "--bytes") bytes = std::strtoull(next(), nullptr, 10);
    else if (a == "--count") count = std::strtoull(next(), nullptr, 10);
    else if (a == "--gap-us") gap_us = std::strtol(next(), nullptr, 10);
    else if (a == "--spin") spin = std::strtoull(next(), nullptr, 10);
    else if (a == "--help") {
      std::puts("usage: fsync_probe [--dir DIR] [--bytes N] [--count N] [--gap-us N] [--spin N]\n"
                "Appends N bytes + fdatasync, COUNT times, GAP-US apart, in DIR (default /tmp,\n"
                "20000 bytes, 5000 times, 500 us); prints fdatasync latency percentiles.\n"
                "--spin N: N threads read the clock meanwhile; prints the pauses (> 1 ms) they saw.");
      return 0;
    } else {
      std::fprintf(stderr, "fsync_probe: unknown argument %s (see --help)\n", a.c_str());
      return 2;
    }
  }
  if (count == 0) count = 1;
  std::string path = dir + "/fsync_probe." + std::to_string(getpid());
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::fprintf(stderr, "fsync_probe: cannot create %s: %s\n", path.c_str(), std::strerror(errno));
    return 1;
  }
  std::atomic<bool> done{false};
  struct Pauses {
    size_t count = 0;
    double ms = 0, worst = 0;
  };
  std::vector<Pauses> pauses(spin);
  std::vector<std::thread> spinners;
  for (size_t t = 0; t < spin; ++t)
    spinners.emplace_back([&done, &p = pauses[t]] {
      auto prev = std::chrono::steady_clock::now();
      while (!done.load(std::memory_order_relaxed)) {
        auto now = std::chrono::steady_clock::now();
        double gap = std::chrono::duration<double, std::milli>(now - prev).count();
        if (gap > 1.0) {
          ++p.count;
          p.ms += gap;
          p.worst = std::max(p.worst, gap);
        }
        prev = now;
      }
    });
  const auto start = std::chrono::steady_clock::now();
  std::vector<char> block(bytes, 'x');
  std::vector<double> us;
  us.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (write(fd, block.data(), block.size()) != static_cast<ssize_t>(block.size())) {
      std::fprintf(stderr, "fsync_probe: write failed: %s\n", std::strerror(errno));
      return 1;
    }
    auto t0 = std::chrono::steady_clock::now();
    if (fdatasync(fd) != 0) {
      std::fprintf(stderr, "fsync_probe: fdatasync failed: %s\n", std::strerror(errno));
      return 1;
    }
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    if (gap_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(gap_us));
  }
  const double run_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  done = true;
  for (auto& t : spinners) t.join();
  close(fd);
  unlink(path.c_str());
  std::sort(us.begin(), us.end());
  auto q = [&](double p) { return us[std::min(us.size() - 1, static_cast<size_t>(p * static_cast<double>(us.size())))]; };
  std::printf("fdatasync of %zu-byte appends, %zu times, %ld us apart: p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %.0f us\n",
              bytes, count, gap_us, q(0.5), q(0.9), q(0.99), q(0.999), us.back());
  for (size_t t = 0; t < spin; ++t)
    std::printf("spinning thread %zu: %zu pauses over 1 ms, %.0f ms in all (%.1f %% of %.0f ms), worst %.1f ms\n", t,
                pauses[t].count, pauses[t].ms, 100.0 * pauses[t].ms / run_ms, run_ms, pauses[t].worst);
  return 0;
}
