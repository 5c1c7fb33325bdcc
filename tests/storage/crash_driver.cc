// storage_crash_driver DIR ACKFILE SEED SNAPSHOT_EVERY [PACE]
//
// Runs engine + store on DIR under the deterministic workload (workload.h)
// until it is killed. Each time the store reports a seq durable, the driver
// appends "<seq>\n" to ACKFILE and fdatasyncs it, so ACKFILE holds the last
// seq this process could have acknowledged to anyone. After recovery it prints
// "ready <last seq>" on stdout. PACE is commands per millisecond (default 20):
// a steady load, not a flood, so each kill finds a different mix in flight.
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "corpex/engine.h"
#include "corpex/storage.h"
#include "workload.h"

int main(int argc, char** argv) {
  using namespace corpex;
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s DIR ACKFILE SEED SNAPSHOT_EVERY [PACE]\n", argv[0]);
    return 2;
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test that drives us
  const uint64_t seed = std::strtoull(argv[3], nullptr, 10);
  const uint64_t pace = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 20;
  int ack = open(argv[2], O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (ack < 0) {
    std::perror("ack file");
    return 2;
  }

  StoreOptions options;
  options.dir = argv[1];
  options.snapshot_every = std::strtoull(argv[4], nullptr, 10);
  options.snapshot_in_child = true;  // as corpexd runs: kills also find a snapshot child mid-write
  options.on_durable = [ack](Seq seq) {
    std::string line = std::to_string(seq) + "\n";
    if (write(ack, line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
        fdatasync(ack) != 0) {
      std::perror("ack write");
      std::_Exit(4);
    }
  };
  auto store = Store::Open(options);
  if (!store.ok()) {
    std::fprintf(stderr, "error: %s\n", store.status().message().c_str());
    return 3;
  }
  auto recovered = (*store)->Recover();
  if (!recovered.ok()) {
    std::fprintf(stderr, "error: %s\n", recovered.status().message().c_str());
    return 3;
  }
  std::unique_ptr<Engine> engine = std::move(recovered->engine);
  Seq seq = recovered->last_seq;
  std::printf("ready %llu\n", static_cast<unsigned long long>(seq));
  std::fflush(stdout);

  for (uint64_t n = 0;; ++n) {
    Command c = testing::WorkloadCommand(seed, ++seq);
    const Events& ev = engine->Execute(c);
    Status s = (*store)->Append(seq, c, ev, *engine);
    if (!s.ok()) {
      std::fprintf(stderr, "error: %s\n", s.message().c_str());
      return 3;
    }
    if (pace != 0 && n % pace == pace - 1) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
}
