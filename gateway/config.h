// gateway/config.h — corpexd's configuration file (SPEC §5).
//
// {"listen": "127.0.0.1:8080", "data_dir": "var/data",
//  "tls": {"cert": "cert.pem", "key": "key.pem"},
//  "accounts": [{"user": "ops", "role": "operator", "secret": "..."}],
//  "limits": {"orders_per_second": 2000, "max_frame_bytes": 65536},
//  "web_root": "gateway/web/dist", "io_threads": 1, "commit_interval_us": 1000,
//  "snapshot_every": 1000000, "durability": "replicated",
//  "cluster": {"name": "a", "etcd": "127.0.0.1:2379", "replication_listen": "127.0.0.1:9101"}}
//
// `tls`, `limits`, `web_root` (beyond SPEC: the web console), `io_threads`
// (beyond SPEC: threads serving the sockets), `commit_interval_us`
// (beyond SPEC: group commit pacing) and `snapshot_every` (beyond SPEC:
// commands between periodic snapshots), `durability` and `cluster` (beyond
// SPEC: hot standby, README.md) are optional; every
// unknown key is an error that names the key. Parsing is pure: any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corpex/status.h"

namespace corpex::gw {

enum class Role : uint8_t { kNone = 0, kMember, kOperator, kRegulator };
std::string_view RoleName(Role r);

struct Account {
  std::string user;
  Role role = Role::kNone;  // operator or regulator
  std::string secret;
};

struct Limits {
  uint32_t orders_per_second = 2000;
  uint32_t max_frame_bytes = 65536;
  uint32_t max_open_orders = 100000;  // per member
  uint32_t send_queue = 8192;         // queued outgoing frames before a slow consumer is dropped
  uint32_t idle_timeout_s = 300;      // a session silent this long is closed (Beast's suggested)
};

// When a member is told of a fill (README.md, "Durability and failover").
enum class Durability : uint8_t {
  kLocal,           // this machine's fsync; no cluster
  kReplicated,      // the designated standby has it in memory, and the local write is issued
  kReplicatedSync,  // the designated standby's fsync and this machine's
};
std::string_view DurabilityName(Durability d);

// {"name": "a", "etcd": "127.0.0.1:2379", "replication_listen": "127.0.0.1:9101",
//  "id": "corpex", "lease_ttl_ms": 2000}: leadership on etcd (gateway/cluster/node.h).
struct ClusterConfig {
  std::string name;                // this node, unique in the cluster
  std::string etcd;                // HOST:PORT of etcd's client URL
  std::string replication_listen;  // HOST:PORT standbys connect to while this node leads
  std::string id = "corpex";       // keys live under /corpex/<id>/
  uint32_t lease_ttl_ms = 2000;    // 1000..60000; failover takes about this long
};

struct Config {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;
  std::string data_dir;
  std::string tls_cert;  // both empty: no TLS
  std::string tls_key;
  std::string web_root;  // the web console's built files, served at GET /; empty: none
  // Threads running the sockets. An I/O thread runs a request to completion
  // when no one else is (exchange.h), so on 2 cores one thread beats two:
  // a second mostly waits for the turn and queues to the engine thread
  // (README.md, Performance). More pay off only with cores to spare.
  uint32_t io_threads = 1;
  // Least microseconds between the starts of two group commits (0..100000;
  // 0: back to back). Each sync costs CPU outside the process too: on this
  // 2-vCPU VM the host's disk work counts against the VM's CPU quota, and
  // back-to-back syncs at moderate load got every vCPU paused ~10 ms per
  // 100 ms. 1 ms apart keeps the load under the quota at the price of up to
  // 1 ms more per acknowledgement (README.md, Performance).
  uint32_t commit_interval_us = 1000;
  // Commands between periodic snapshots (100..1,000,000,000). Each is a fork,
  // and after it the process pays a page fault for every page it writes
  // again: at one per 250,000 commands, ~13 % of corpexd's CPU per order
  // flat out on this VM (README.md, Performance). A restart replays at most
  // this many commands, ~0.75 s per million (storage/README.md).
  uint32_t snapshot_every = 1'000'000;
  std::vector<Account> accounts;
  Limits limits;
  Durability durability = Durability::kLocal;  // replicated modes need `cluster`
  bool clustered = false;                      // `cluster` given
  ClusterConfig cluster;
};

StatusOr<Config> ParseConfig(std::string_view json);
StatusOr<Config> LoadConfig(const std::string& path);

}  // namespace corpex::gw
