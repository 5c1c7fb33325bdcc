// The trade chain's version 2 (negotiated trades, docs/PROTOCOL.md): known
// answers computed outside corpex (Python's hashlib over the documented
// string), a book trade still hashed as SPEC §5 says, and trade records of
// the first codec version still read.
#include <catch2/catch.hpp>

#include <cstring>

#include "corpex/records.h"
#include "storage/codec.h"

namespace corpex {
namespace {

TradeRecord Deal() {
  TradeRecord t;
  t.id = 7;
  t.ts = 1'764'921'600'123 * 1'000'000LL + 999'999;  // the ms is floored
  t.instrument = "ZH-MED-DIALOG.TRAIN.12M";
  t.price = Price(75'000);
  t.qty = Qty(40);
  t.notional = Fen(3'000'000'000);
  t.aggressor = Side::kBuy;
  t.buyer = "GZ-MEDAI";
  t.seller = "GZ-HOSP-ZSU1";
  t.attestation = "ATT-ZSU1-MEDDIALOG-2026";
  std::string dataset;
  for (int i = 0; i < 32; ++i) dataset += "ab";
  t.dataset = dataset;
  t.net_cost = t.notional;
  t.consideration = Consideration::kEquity;
  t.company = "91440300MA5G0XXX11";
  t.shares = 1'200'000;
  t.prev_hash = std::string(kGenesisHash);
  return t;
}

TEST_CASE("a negotiated trade is hashed with version 2: venue, notional and consideration", "[chain]") {
  TradeRecord t = Deal();
  REQUIRE(ChainVersion(t) == 2);
  // sha256("0…0|7|1764921600123|ZH-MED-DIALOG.TRAIN.12M|75000|40|GZ-MEDAI|GZ-HOSP-ZSU1|0|0|buy|
  //         ATT-ZSU1-MEDDIALOG-2026|abab…|||0|2|negotiated|3000000000|equity|91440300MA5G0XXX11|1200000")
  CHECK(ChainHash(t) == "31d1ed111951620f07a2e2aef22e634f6ec5b6f28d1efcc6bb9ff2dc144a3421");
  // Each of the new fields is covered.
  TradeRecord more = t;
  more.shares += 1;
  CHECK(ChainHash(more) != ChainHash(t));
  more = t;
  more.notional = Fen(t.notional.v + 1);
  CHECK(ChainHash(more) != ChainHash(t));
  more = t;
  more.company = "91440101MA9W1234KU";
  CHECK(ChainHash(more) != ChainHash(t));
}

TEST_CASE("a book trade keeps SPEC's version 1 string", "[chain]") {
  TradeRecord t = Deal();
  t.buy_order = 3;
  t.sell_order = 4;
  t.consideration = Consideration::kCash;
  t.company.clear();
  t.shares = 0;
  REQUIRE(ChainVersion(t) == 1);
  CHECK(ChainHash(t) == "ad24cec5668652234867603b22a29ef9ff9c1483990d45b033e23050087b0879");
}

TEST_CASE("trade records: version 2 round-trips, version 1 reads as cash", "[chain][codec]") {
  TradeRecord t = Deal();
  std::string b;
  EncodeTrade(t, &b);
  TradeRecord back;
  REQUIRE(DecodeTrade(b, &back).ok());
  CHECK(back == t);
  // Version 1 had no consideration: the byte, the company and the shares go.
  TradeRecord cash = Deal();
  cash.consideration = Consideration::kCash;
  cash.company.clear();
  cash.shares = 0;
  std::string v2;
  EncodeTrade(cash, &v2);
  const size_t tail = 2 + cash.prev_hash.size() + 2 + cash.hash.size();  // the two str16 hashes
  const size_t consideration_bytes = 1 + 2 + 8;
  std::string v1 = v2.substr(0, v2.size() - tail - consideration_bytes) + v2.substr(v2.size() - tail);
  v1[0] = 1;
  REQUIRE(DecodeTrade(v1, &back).ok());
  CHECK(back == cash);
  v1[0] = 3;
  CHECK_FALSE(DecodeTrade(v1, &back).ok());
}

TEST_CASE("unified social credit codes are checked with their check character", "[chain]") {
  CHECK(ValidUscc("91440300MA5G0XXX11"));
  CHECK(ValidUscc("91350100M000100Y43"));
  CHECK_FALSE(ValidUscc("91350100M000100Y44"));  // wrong check character
  CHECK_FALSE(ValidUscc("91350100M000100Y4"));   // short
  CHECK_FALSE(ValidUscc("91350100M00010OY43"));  // O is not in the alphabet
  CHECK_FALSE(ValidUscc(""));
}

}  // namespace
}  // namespace corpex
