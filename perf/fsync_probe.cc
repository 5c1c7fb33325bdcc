// fsync_probe — the disk's durability floor under the exchange's I/O shape.
//
// Appends `--bytes` to a file and fdatasyncs it, `--count` times, pausing
// `--gap-us` between (a group commit of that size at that pace), and prints
// the fdatasync latency percentiles. No order can be acknowledged durably
// faster than one of these, so they bound corpexd's order->ack latency from
// below: run it beside perf/e2e.sh on the same disk.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
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
    else if (a == "--help") {
      std::puts("usage: fsync_probe [--dir DIR] [--bytes N] [--count N] [--gap-us N]\n"
                "Appends N bytes + fdatasync, COUNT times, GAP-US apart, in DIR (default /tmp,\n"
                "20000 bytes, 5000 times, 500 us); prints fdatasync latency percentiles.");
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
  close(fd);
  unlink(path.c_str());
  std::sort(us.begin(), us.end());
  auto q = [&](double p) { return us[std::min(us.size() - 1, static_cast<size_t>(p * static_cast<double>(us.size())))]; };
  std::printf("fdatasync of %zu-byte appends, %zu times, %ld us apart: p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %.0f us\n",
              bytes, count, gap_us, q(0.5), q(0.9), q(0.99), q(0.999), us.back());
  return 0;
}
