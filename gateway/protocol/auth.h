// gateway/protocol/auth.h — login verification (SPEC §5).
//
// sig = hex(HMAC-SHA256(secret, user "\n" ts "\n" nonce)). A member's secret
// is 96 hex characters, longer than SHA-256's 64-byte block, so HMAC itself
// first replaces it by SHA-256(secret) (RFC 2104): storing only that digest is
// enough to verify and the secret is never kept. Operator and regulator
// secrets come from the config and are kept as configured.
//
// Nonces: a user's nonce is refused for at least the ts window; the nonce
// book appends each accepted nonce to a file in the data dir (fsync'd before
// the login answers) so a restart does not reopen the window.
//
// Thread: the Exchange's turn holder owns the Authenticator.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>

#include "corpex/login.h"
#include "corpex/status.h"
#include "gateway/config.h"

namespace corpex::gw {

inline constexpr int64_t kLoginWindowMs = 30'000;

// A fresh member secret (96 hex chars) from RAND_bytes; empty on failure.
std::string NewMemberSecret();
// What storage keeps for a member: hex(SHA-256(secret)).
std::string MemberKeyHex(std::string_view secret);

class NonceBook {
 public:
  NonceBook() = default;
  ~NonceBook();
  NonceBook(const NonceBook&) = delete;
  NonceBook& operator=(const NonceBook&) = delete;

  // Loads nonces still inside the window from `path` and rewrites the file.
  Status Open(const std::string& path, int64_t now_ms);
  // False when (user, nonce) was seen; else records it (durably if a file is open).
  bool Use(const std::string& user, const std::string& nonce, int64_t ts_ms, int64_t now_ms);

 private:
  void Prune(int64_t now_ms);
  std::unordered_map<std::string, int64_t> seen_;  // user "\n" nonce -> ts
  int64_t last_prune_ms_ = 0;
  std::FILE* file_ = nullptr;
};

class Authenticator {
 public:
  explicit Authenticator(const Config& config);
  Status OpenNonces(const std::string& path, int64_t now_ms) { return nonces_.Open(path, now_ms); }

  // Registers a member's stored key (hex SHA-256 of its secret).
  void SetMemberKey(const std::string& member, const std::string& key_hex);
  bool IsAccount(const std::string& user) const { return accounts_.count(user) != 0; }

  // The role the login earns, or AUTH_FAILED. Members' suspension is the
  // caller's check.
  StatusOr<Role> Verify(const std::string& user, int64_t ts_ms, const std::string& nonce,
                        const std::string& sig_hex, int64_t now_ms);

 private:
  struct Key {
    Role role;
    std::string key;  // HMAC key bytes
  };
  std::unordered_map<std::string, Key> accounts_;
  std::unordered_map<std::string, Key> members_;
  NonceBook nonces_;
};

}  // namespace corpex::gw
