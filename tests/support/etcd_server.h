// tests/support/etcd_server.h — a real single-node etcd on loopback, for tests.
//
// Start picks two free loopback ports (client and peer), makes a temp dir
// under /tmp, starts /usr/bin/etcd (else `etcd` from PATH) with its data in
// DIR/data and its output in DIR/etcd.log, and returns once etcd answers a
// read through cluster::Etcd (at most 10 s) and the answering socket is its
// own; should another process take a port first, a first Start tries fresh
// ports (3 attempts). Stop ends it (SIGTERM, then SIGKILL after 10 s); Start
// after Stop restarts it on the same ports and data. Pause/Resume freeze and
// thaw the process (SIGSTOP/SIGCONT) and return once every thread has stopped
// or runs again (false after 2 s): its sockets still accept connections but
// nothing answers, as in a partition.
// The destructor stops etcd and removes the dir. etcd dies with the test
// process (PR_SET_PDEATHSIG), so a crashed test leaves no etcd behind.
//
// Threads: one thread drives a server; the Etcd clients it hands out are
// independent objects.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "gateway/cluster/etcd.h"

namespace corpex::test {

class EtcdServer {
 public:
  EtcdServer() = default;
  ~EtcdServer();
  EtcdServer(const EtcdServer&) = delete;
  EtcdServer& operator=(const EtcdServer&) = delete;

  // False, with the reason on stderr (and the tail of etcd.log if etcd ran),
  // when etcd is missing, exits or does not answer within 10 s.
  bool Start();
  void Stop();
  // Before the first Start: try these ports first (tests of the retry).
  void PreferPorts(uint16_t client, uint16_t peer);
  [[nodiscard]] bool Pause();
  [[nodiscard]] bool Resume();

  // A client for this server; every call gives up after `timeout`.
  cluster::Etcd Client(std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) const;

  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }  // "127.0.0.1:P"
  uint16_t port() const { return port_; }
  const std::string& dir() const { return dir_; }
  bool running() const { return pid_ > 0; }

 private:
  enum class Launch { kUp, kPortsLost, kFailed };
  Launch LaunchOnce(const std::string& etcd);
  // Pause and Resume: `sig`, then wait until every thread is (not) stopped.
  bool SignalAndWait(int sig, bool stopped);

  std::string dir_;
  pid_t pid_ = -1;
  uint16_t port_ = 0, peer_port_ = 0;
  bool ever_up_ = false;  // then Start keeps the ports: a restart
};

// A loopback port nothing listens on right now (bound to port 0, read, closed).
uint16_t FreeLoopbackPort();

}  // namespace corpex::test
