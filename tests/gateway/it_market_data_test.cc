// Market data: book snapshot + contiguous updates that rebuild the book; trades.
#include <catch2/catch.hpp>
#include <map>

#include "harness.h"

using namespace corpex::test;

namespace {
using Book = std::map<std::pair<std::string, int64_t>, int64_t>;  // (side, price) -> qty

void Apply(Book& b, const json::object& ev) {
  if (ev.at("type").as_string() == "snapshot") {
    b.clear();
    for (const char* side : {"bids", "asks"})
      for (const auto& l : ev.at(side).as_array())
        b[{side[0] == 'b' ? "buy" : "sell", l.as_array()[0].as_int64()}] = l.as_array()[1].as_int64();
    return;
  }
  for (const auto& c : ev.at("changes").as_array()) {
    const auto& a = c.as_array();
    std::pair<std::string, int64_t> key{std::string(a[0].as_string()), a[1].as_int64()};
    if (a[2].as_int64() == 0) b.erase(key);
    else b[key] = a[2].as_int64();
  }
}
}  // namespace

TEST_CASE("book snapshot then contiguous updates rebuild the book", "[it][md]") {
  SeededExchange x;
  auto& [d, m, ops, s1, b1, b2, reg] = x;
  REQUIRE(Code(s1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"}, {"qty", 5},
                        {"price", 900}, {"tif", "GTC"}, {"client_order_id", "pre"},
                        {"attestation", "ATT-1"}})) == "");
  REQUIRE(Code(reg.Call({{"op", "subscribe"}, {"channel", "book"}, {"instrument", "SYM"}})) == "");
  REQUIRE(Code(reg.Call({{"op", "subscribe"}, {"channel", "trades"}, {"instrument", "SYM"}})) == "");
  CHECK(Code(reg.Call({{"op", "subscribe"}, {"channel", "book"}, {"instrument", "NOPE"}})) ==
        "UNKNOWN_INSTRUMENT");
  auto is_book = [](const json::object& e) { return e.at("event").as_string() == "book"; };
  json::object snap = reg.Event(is_book);
  REQUIRE(!snap.empty());
  CHECK(snap.at("type").as_string() == "snapshot");
  Book book;
  Apply(book, snap);
  CHECK(book.size() == 1);
  uint64_t seq = snap.at("seq").as_int64();

  int n = 0;
  for (int64_t price : {800, 700, 900}) {
    std::string coid = "s";
    coid += std::to_string(n++);
    REQUIRE(Code(s1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"}, {"qty", 3},
                          {"price", price}, {"tif", "GTC"}, {"client_order_id", coid},
                          {"attestation", "ATT-1"}})) == "");
  }
  for (int64_t price : {200, 300}) {
    std::string coid = "b";
    coid += std::to_string(n++);
    REQUIRE(Code(b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 2},
                          {"price", price}, {"tif", "GTC"}, {"client_order_id", coid}})) == "");
  }
  json::object r = b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 4},
                            {"price", 800}, {"tif", "IOC"}, {"client_order_id", "take"}});
  REQUIRE(Code(r) == "");
  for (int i = 0; i < 6; ++i) {
    json::object u = reg.Event(is_book);
    REQUIRE(!u.empty());
    CHECK(u.at("type").as_string() == "update");
    CHECK(static_cast<uint64_t>(u.at("seq").as_int64()) == seq + 1);
    seq = u.at("seq").as_int64();
    Apply(book, u);
  }
  json::object t = reg.Event([](const json::object& e) { return e.at("event").as_string() == "trade"; });
  REQUIRE(!t.empty());
  CHECK(t.at("price").as_int64() == 700);
  CHECK(t.at("aggressor").as_string() == "buy");

  Client fresh(d.port());
  REQUIRE(Code(fresh.Login("csrc", kRegSecret)) == "");
  REQUIRE(Code(fresh.Call({{"op", "subscribe"}, {"channel", "book"}, {"instrument", "SYM"}})) == "");
  json::object now = fresh.Event(is_book);
  Book expected;
  Apply(expected, now);
  CHECK(static_cast<uint64_t>(now.at("seq").as_int64()) == seq);
  CHECK(book == expected);
  CHECK(book[{"sell", 800}] == 2);
  CHECK(book.count({"sell", 700}) == 0);
}
