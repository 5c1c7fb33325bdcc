// memory_probe — the machine's memory floor under the large book.
//
// A command on a book of a million orders touches a handful of random cache
// lines (index entries, order records, levels). What that can cost is set by
// two numbers this prints, over an array of `--mb` MiB of 64-byte lines:
//   - dependent: each load's address waits on the previous load (a miss
//     nothing overlaps), without and with a software prefetch D loads ahead,
//     which shows whether prefetches work on this machine at all;
//   - independent: loads whose addresses are known up front, so the core
//     keeps many misses in flight; latency / this = the misses it overlaps;
//   - sequential: one load a line from start to end, the hardware
//     prefetcher's best case: what one core can stream, and so the floor
//     under a benchmark reading a stream of 400-byte commands from memory.
// Run with 2 MiB pages (default, madvise) and `--small-pages` to see what
// page walks add. Fixed seed; figures vary with the host, not the seed.
#include <sys/mman.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr size_t kLine = 64;
constexpr size_t kHuge = size_t{2} << 20;

double NsPerLoad(std::chrono::steady_clock::time_point t0, size_t loads) {
  const auto t1 = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(loads);
}

// Loads lines idx[0..] in order; each address also depends on the value the
// previous load returned (always 0), so no two loads overlap unless a
// prefetch `ahead` loads earlier brought the line already.
double Dependent(const char* a, const std::vector<uint32_t>& idx, size_t ahead) {
  uint64_t v = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t i = 0; i < idx.size(); ++i) {
    if (ahead != 0 && i + ahead < idx.size()) __builtin_prefetch(a + size_t{idx[i + ahead]} * kLine);
    v = *reinterpret_cast<const volatile uint64_t*>(a + size_t{idx[i]} * kLine + v);
  }
  return NsPerLoad(t0, idx.size());
}

double Independent(const char* a, const std::vector<uint32_t>& idx) {
  uint64_t sum = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (const uint32_t i : idx) sum += *reinterpret_cast<const volatile uint64_t*>(a + size_t{i} * kLine);
  const double ns = NsPerLoad(t0, idx.size());
  if (sum != 0) std::fputs("memory_probe: the array was not zero\n", stderr);
  return ns;
}

// Every line once, in address order; the rate is of lines read, in GB/s.
double Sequential(const char* a, size_t bytes) {
  uint64_t sum = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t off = 0; off < bytes; off += kLine) sum += *reinterpret_cast<const volatile uint64_t*>(a + off);
  const double ns = NsPerLoad(t0, bytes / kLine);
  if (sum != 0) std::fputs("memory_probe: the array was not zero\n", stderr);
  return static_cast<double>(kLine) / ns;
}

}  // namespace

int main(int argc, char** argv) {
  size_t mb = 512, loads = 2'000'000;
  bool huge = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "memory_probe: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--mb") mb = std::strtoull(next(), nullptr, 10);
    else if (arg == "--loads") loads = std::strtoull(next(), nullptr, 10);
    else if (arg == "--small-pages") huge = false;
    else if (arg == "--help") {
      std::puts("usage: memory_probe [--mb N] [--loads N] [--small-pages]\n"
                "Random 64-byte loads over an N MiB array (default 512, 2000000 loads, on 2 MiB\n"
                "pages): ns per dependent load without and with a software prefetch 1..16\n"
                "loads ahead, ns per independent load (how many misses overlap), and the\n"
                "sequential read rate over the whole array (what one core can stream).");
      return 0;
    } else {
      std::fprintf(stderr, "memory_probe: unknown argument %s (see --help)\n", arg.c_str());
      return 2;
    }
  }
  if (mb == 0 || loads == 0) {
    std::fputs("memory_probe: --mb and --loads must be positive\n", stderr);
    return 2;
  }
  const size_t bytes = mb << 20;
  void* const raw = mmap(nullptr, bytes + kHuge, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) {
    std::fprintf(stderr, "memory_probe: cannot map %zu MiB: %s\n", mb, std::strerror(errno));
    return 1;
  }
  char* const a = reinterpret_cast<char*>(
      (reinterpret_cast<uintptr_t>(raw) + kHuge - 1) & ~uintptr_t{kHuge - 1});
  if (huge) madvise(a, bytes, MADV_HUGEPAGE);
  std::memset(a, 0, bytes);  // every page present before timing

  std::mt19937_64 rng(20260301);
  std::vector<uint32_t> idx(loads);
  for (uint32_t& x : idx) x = static_cast<uint32_t>(rng() % (bytes / kLine));

  std::printf("%zu MiB, %s pages, %zu random line loads each\n", mb, huge ? "2 MiB (madvise)" : "4 KiB",
              loads);
  std::printf("dependent, no prefetch      %7.1f ns/load\n", Dependent(a, idx, 0));
  for (const size_t ahead : {1, 2, 4, 8, 16})
    std::printf("dependent, prefetch %2zu ahead %7.1f ns/load\n", ahead, Dependent(a, idx, ahead));
  std::printf("independent                 %7.1f ns/load\n", Independent(a, idx));
  constexpr double kCommandBytes = 400;  // sizeof(corpex::Command)
  for (int round = 0; round < 3; ++round) {
    const double gbs = Sequential(a, bytes);
    std::printf("sequential, round %d        %7.1f GB/s (%.1f ns per %.0f-byte command)\n", round + 1, gbs,
                kCommandBytes / gbs, kCommandBytes);
  }
  munmap(raw, bytes + kHuge);
  return 0;
}
