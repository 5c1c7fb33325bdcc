#include "gateway/protocol/auth.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace corpex::gw {

namespace {
bool HexDecode(std::string_view hex, std::string* out) {
  if (hex.size() % 2) return false;
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    int v = 0;
    for (size_t k = 0; k < 2; ++k) {
      char c = hex[i + k];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
      else return false;
    }
    out->push_back(static_cast<char>(v));
  }
  return true;
}

}  // namespace

std::string NewMemberSecret() {
  unsigned char buf[48];
  if (RAND_bytes(buf, sizeof buf) != 1) return {};
  return HexEncode(std::string_view(reinterpret_cast<char*>(buf), sizeof buf));
}

std::string MemberKeyHex(std::string_view secret) { return HexEncode(Sha256(secret)); }

// ---- NonceBook -------------------------------------------------------------

NonceBook::~NonceBook() {
  if (file_) std::fclose(file_);
}

Status NonceBook::Open(const std::string& path, int64_t now_ms) {
  if (std::FILE* in = std::fopen(path.c_str(), "r")) {
    char line[512];
    while (std::fgets(line, sizeof line, in)) {
      // "ts user\nnonce" is stored as "ts<TAB>user<TAB>nonce".
      char* tab1 = std::strchr(line, '\t');
      if (!tab1) continue;
      char* tab2 = std::strchr(tab1 + 1, '\t');
      if (!tab2) continue;
      size_t n = std::strlen(tab2 + 1);
      if (n && tab2[n] == '\n') tab2[n] = '\0';
      int64_t ts = std::strtoll(line, nullptr, 10);
      if (ts + 2 * kLoginWindowMs < now_ms) continue;
      seen_[std::string(tab1 + 1, tab2) + "\n" + std::string(tab2 + 1)] = ts;
    }
    std::fclose(in);
  }
  std::string tmp = path + ".tmp";
  std::FILE* out = std::fopen(tmp.c_str(), "w");
  if (!out) return Status(ErrorCode::kInternal, "cannot write " + tmp);
  for (const auto& [key, ts] : seen_) {
    auto nl = key.find('\n');
    std::fprintf(out, "%lld\t%s\t%s\n", static_cast<long long>(ts), key.substr(0, nl).c_str(),
                 key.substr(nl + 1).c_str());
  }
  std::fflush(out);
  ::fsync(fileno(out));
  std::fclose(out);
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    return Status(ErrorCode::kInternal, "cannot rename " + tmp);
  file_ = std::fopen(path.c_str(), "a");
  if (!file_) return Status(ErrorCode::kInternal, "cannot append to " + path);
  return Status::Ok();
}

void NonceBook::Prune(int64_t now_ms) {
  if (now_ms - last_prune_ms_ < kLoginWindowMs) return;
  last_prune_ms_ = now_ms;
  for (auto it = seen_.begin(); it != seen_.end();) {
    if (it->second + 2 * kLoginWindowMs < now_ms) it = seen_.erase(it);
    else ++it;
  }
}

bool NonceBook::Use(const std::string& user, const std::string& nonce, int64_t ts_ms,
                    int64_t now_ms) {
  Prune(now_ms);
  auto [it, fresh] = seen_.emplace(user + "\n" + nonce, ts_ms);
  if (!fresh) return false;
  if (file_) {
    std::fprintf(file_, "%lld\t%s\t%s\n", static_cast<long long>(ts_ms), user.c_str(),
                 nonce.c_str());
    std::fflush(file_);
    ::fdatasync(fileno(file_));
  }
  return true;
}

// ---- Authenticator ---------------------------------------------------------

Authenticator::Authenticator(const Config& config) {
  for (const Account& a : config.accounts) accounts_[a.user] = Key{a.role, a.secret};
}

void Authenticator::SetMemberKey(const std::string& member, const std::string& key_hex) {
  std::string raw;
  if (HexDecode(key_hex, &raw)) members_[member] = Key{Role::kMember, raw};
}

StatusOr<Role> Authenticator::Verify(const std::string& user, int64_t ts_ms,
                                     const std::string& nonce, const std::string& sig_hex,
                                     int64_t now_ms) {
  const Status fail(ErrorCode::kAuthFailed, "login failed");
  const Key* key = nullptr;
  if (auto it = accounts_.find(user); it != accounts_.end()) key = &it->second;
  else if (auto m = members_.find(user); m != members_.end()) key = &m->second;
  if (!key) return fail;
  if (ts_ms < now_ms - kLoginWindowMs || ts_ms > now_ms + kLoginWindowMs)
    return Status(ErrorCode::kAuthFailed, "login ts is not within 30 s of the server clock");
  // Newlines or tabs in a nonce would break the nonce file's lines.
  if (nonce.find_first_of("\n\t\r") != std::string::npos) return fail;
  std::string expected = HmacSha256(key->key, LoginMessage(user, ts_ms, nonce));
  std::string sig;
  if (!HexDecode(sig_hex, &sig) || sig.size() != expected.size() ||
      CRYPTO_memcmp(sig.data(), expected.data(), sig.size()) != 0)
    return fail;
  if (!nonces_.Use(user, nonce, ts_ms, now_ms))
    return Status(ErrorCode::kAuthFailed, "nonce already used");
  return key->role;
}

}  // namespace corpex::gw
