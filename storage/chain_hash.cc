// The SPEC §5 trade hash (records.h), with OpenSSL SHA-256.
#include <openssl/evp.h>

#include <charconv>
#include <cstdlib>
#include <memory>

#include "corpex/records.h"
#include "storage/chain_hash.h"

namespace corpex {
namespace {

// One fetched SHA-256 implementation for the process (an implicit fetch per
// call costs more than the hash itself), one context per thread.
const EVP_MD* Sha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct CtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

void AppendNum(std::string* s, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;  // 24 bytes always hold an int64
  s->append(buf, end);
}

void AppendNum(std::string* s, uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  s->append(buf, end);
}

}  // namespace

void storage::ChainHashInto(const TradeRecord& t, std::string* out) {
  thread_local std::string msg;
  msg.clear();
  msg.append(t.prev_hash).push_back('|');
  AppendNum(&msg, static_cast<uint64_t>(t.id));
  msg.push_back('|');
  AppendNum(&msg, static_cast<int64_t>(ToMillis(t.ts)));
  msg.push_back('|');
  msg.append(t.instrument).push_back('|');
  AppendNum(&msg, static_cast<int64_t>(t.price.v));
  msg.push_back('|');
  AppendNum(&msg, static_cast<int64_t>(t.qty.v));
  msg.push_back('|');
  msg.append(t.buyer).push_back('|');
  msg.append(t.seller).push_back('|');
  AppendNum(&msg, static_cast<uint64_t>(t.buy_order));
  msg.push_back('|');
  AppendNum(&msg, static_cast<uint64_t>(t.sell_order));
  msg.push_back('|');
  msg.append(t.aggressor == Side::kBuy ? "buy" : "sell").push_back('|');
  msg.append(t.attestation).push_back('|');
  msg.append(t.dataset).push_back('|');
  msg.append(t.voucher_program).push_back('|');
  AppendNum(&msg, static_cast<int64_t>(t.voucher_offset.v));
  if (ChainVersion(t) == 2) {
    msg.append("|2|negotiated|");
    AppendNum(&msg, static_cast<int64_t>(t.notional.v));
    msg.append(t.consideration == Consideration::kEquity ? "|equity|" : "|cash|");
    msg.append(t.company).push_back('|');
    AppendNum(&msg, static_cast<int64_t>(t.shares));
  }

  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (ctx == nullptr || Sha256() == nullptr || !EVP_DigestInit_ex2(ctx.get(), Sha256(), nullptr) ||
      !EVP_DigestUpdate(ctx.get(), msg.data(), msg.size()) ||
      !EVP_DigestFinal_ex(ctx.get(), digest, &len)) {
    std::abort();  // no SHA-256 means no audit trail; nothing sensible to continue with
  }
  static constexpr char kHex[] = "0123456789abcdef";
  out->resize(2 * len);
  char* hex = out->data();
  for (unsigned int i = 0; i < len; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
}

std::string ChainHash(const TradeRecord& t) {
  std::string hex;
  storage::ChainHashInto(t, &hex);
  return hex;
}

}  // namespace corpex
