// gateway/cluster/etcd.h — a small synchronous client for etcd's v3 JSON gateway.
//
// corpexd elects its leader through etcd: a lease kept alive by the holder, a
// key created under it only if absent (a txn on create_revision == 0), and
// the key's create revision as the leader's epoch (etcd's revision only ever
// grows, so a later leader always has a higher one). This client speaks the
// gateway etcd serves on its client URL (HTTP/1.1 POST /v3/..., JSON bodies,
// keys and values base64, int64s as JSON strings); no gRPC, no TLS.
//
// Every call opens one connection, sends one request with "Connection:
// close" and reads one response. That costs a connect per call, nothing on
// loopback at an election's rate, and it never has to guess whether a reused
// connection that failed mid-call had already delivered a non-idempotent
// txn. Every call, connect and write and read together, gives up after the
// timeout given to Parse: a stopped, paused or partitioned etcd costs at most
// that long, never a hang. A call that failed may still have taken effect
// (etcd may have applied the request and lost only the answer): after a
// failed CreateIfAbsent, a Get tells whether the key is ours.
//
// Errors are values, one line naming the endpoint and the call ("etcd
// 127.0.0.1:2379 lease/grant: connect: connection refused", "... kv/txn:
// timed out after 1000 ms (read)"): kIOError when etcd could not be reached
// in time or answered with an error, kNotFound when etcd says the lease is
// unknown (KeepAlive also when it has expired), kInternal when the answer
// cannot be understood; Parse's are kBadRequest. No exception escapes.
//
// Threads: an Etcd holds no connection and no shared state; any one thread
// at a time may call a given object, and separate objects are independent.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corpex/status.h"

namespace corpex::cluster {

// One key as etcd stores it; `lease` is 0 for a key under no lease.
struct EtcdKv {
  std::string key, value;
  int64_t create_revision = 0, mod_revision = 0, lease = 0;
};

class Etcd {
 public:
  // A default-made Etcd has no endpoint and fails every call (StatusOr needs one).
  Etcd() = default;

  // "127.0.0.1:2379", "http://127.0.0.1:2379", "[::1]:2379" or "localhost:2379".
  // A host name is resolved here, once, by the system resolver (which has its
  // own timeouts), so the calls themselves never wait on DNS; a call tries
  // its addresses in turn ("localhost" may be ::1 first while etcd listens on
  // 127.0.0.1 only). `timeout` > 0.
  static StatusOr<Etcd> Parse(std::string_view endpoint, std::chrono::milliseconds timeout);

  // A new lease; its ID. etcd may grant a longer TTL than asked (its minimum
  // is 1.5 election timeouts, 2 s with the defaults): `granted_ttl`, when
  // given, receives the TTL actually granted, in seconds.
  StatusOr<int64_t> GrantLease(int ttl_seconds, int64_t* granted_ttl = nullptr);
  // Refreshes the lease; its TTL in seconds from now. kNotFound when the
  // lease has expired or is unknown: whatever was under it is gone.
  StatusOr<int64_t> KeepAlive(int64_t lease);
  // Ends the lease now and deletes every key under it. kNotFound when etcd
  // does not know the lease (already expired or revoked).
  Status Revoke(int64_t lease);

  // The key, or std::nullopt when absent. `revision`, when given, receives
  // the store's revision at the time of the read.
  StatusOr<std::optional<EtcdKv>> Get(std::string_view key, int64_t* revision = nullptr);

  struct CampaignResult {
    bool won = false;
    int64_t revision = 0;  // won: the create revision of our key (the epoch); lost: 0
    EtcdKv holder;         // lost: the key as it is, whoever holds it
  };
  // Creates `key` = `value` under `lease` (0: none) only if the key is absent,
  // in one txn: either we won, or the txn read back who holds it.
  StatusOr<CampaignResult> CreateIfAbsent(std::string_view key, std::string_view value, int64_t lease);

  // Sets `key` = `value` unconditionally, under `lease` (0: none).
  Status Put(std::string_view key, std::string_view value, int64_t lease = 0);
  // Deletes `key` only if its create revision is still `create_revision`
  // (resigning: never delete a later leader's key). Ok whether or not it was
  // deleted; `deleted`, when given, says which.
  Status DeleteIf(std::string_view key, int64_t create_revision, bool* deleted = nullptr);

  // "127.0.0.1:2379": host and port as given to Parse, without the scheme.
  const std::string& endpoint() const { return endpoint_; }
  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  // POSTs `body` to /v3/`call`; the response body of a 200, else the error.
  StatusOr<std::string> Post(std::string_view call, const std::string& body) const;
  Status Error(ErrorCode code, std::string_view call, std::string_view what) const;

  std::string endpoint_;  // as given, for messages and the Host header
  std::vector<std::string> addresses_;  // the IPs to connect to, in the resolver's order
  uint16_t port_ = 0;
  std::chrono::milliseconds timeout_{0};
};

}  // namespace corpex::cluster
