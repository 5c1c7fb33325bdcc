// tests/storage/test_util.h — temp dirs, an engine + store pair, and an
// independent SPEC §5 hash (its own string building and OpenSSL call, so the
// tests do not check storage's hash with storage's code).
#pragma once

#include <openssl/evp.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "corpex/engine.h"
#include "corpex/storage.h"
#include "workload.h"

namespace corpex::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "corpex-storage-XXXXXX").string();
    char* p = mkdtemp(tmpl.data());
    REQUIRE(p != nullptr);
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::string Hex(const unsigned char* p, size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s.push_back(kHex[p[i] >> 4]);
    s.push_back(kHex[p[i] & 0xF]);
  }
  return s;
}

// SPEC §5 (and docs/PROTOCOL.md's version 2), written out again from the text.
inline std::string SpecHash(const TradeRecord& t, const std::string& prev) {
  std::string msg = prev + "|" + std::to_string(t.id) + "|" + std::to_string(t.ts / 1'000'000) +
                    "|" + t.instrument + "|" + std::to_string(t.price.v) + "|" +
                    std::to_string(t.qty.v) + "|" + t.buyer + "|" + t.seller + "|" +
                    std::to_string(t.buy_order) + "|" + std::to_string(t.sell_order) + "|" +
                    (t.aggressor == Side::kBuy ? "buy" : "sell") + "|" + t.attestation + "|" +
                    t.dataset + "|" + t.voucher_program + "|" + std::to_string(t.voucher_offset.v);
  if (t.buy_order == 0) {  // a negotiated trade: docs/PROTOCOL.md, "The hash chain, version 2"
    msg += "|2|negotiated|" + std::to_string(t.notional.v) + "|" +
           (t.consideration == Consideration::kEquity ? "equity" : "cash") + "|" + t.company +
           "|" + std::to_string(t.shares);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  REQUIRE(EVP_Digest(msg.data(), msg.size(), md, &len, EVP_sha256(), nullptr) == 1);
  return Hex(md, len);
}

inline StoreOptions Options(const std::string& dir) {
  StoreOptions o;
  o.dir = dir;
  return o;
}

// Every stored trade, oldest first, paged through the report index.
inline std::vector<TradeRecord> AllTrades(const Store& store) {
  std::vector<TradeRecord> all;
  TradeQuery q{INT64_MIN, INT64_MAX, "", "", "", kMaxTradePage};
  for (;;) {
    auto page = store.Trades(q);
    INFO(page.status().message());
    REQUIRE(page.ok());
    all.insert(all.end(), page->trades.begin(), page->trades.end());
    if (page->next_cursor.empty()) return all;
    q.cursor = page->next_cursor;
  }
}

// An engine and its store, as the exchange runs them: execute, then append.
struct Live {
  std::unique_ptr<Store> store;
  std::unique_ptr<Engine> engine;
  Seq seq = 0;

  explicit Live(StoreOptions options) {
    auto opened = Store::Open(std::move(options));
    INFO(opened.status().message());
    REQUIRE(opened.ok());
    store = std::move(*opened);
    auto recovered = store->Recover();
    INFO(recovered.status().message());
    REQUIRE(recovered.ok());
    engine = std::move(recovered->engine);
    seq = recovered->last_seq;
  }

  const Events& Run(const Command& c, const AppendExtras* extras = nullptr) {
    const Events& ev = engine->Execute(c);
    Status s = store->Append(++seq, c, ev, *engine, extras);
    INFO(s.message());
    REQUIRE(s.ok());
    return ev;
  }

  void RunWorkload(uint64_t seed, uint64_t until) {
    while (seq < until) Run(WorkloadCommand(seed, seq + 1));
  }

  void WaitAll() {
    Status s = store->WaitDurable(seq, std::chrono::seconds(30));
    INFO(s.message());
    REQUIRE(s.ok());
  }
};

}  // namespace corpex::testing
