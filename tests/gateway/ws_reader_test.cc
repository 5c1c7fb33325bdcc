// WsReader: a client's frames in, whole messages and control frames out, and
// every protocol violation refused with RFC 6455's close code.
#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "client_frame.h"
#include "gateway/net/ws_reader.h"

using corpex::gw::IsValidCloseCode;
using corpex::test::ClientFrame;
using corpex::gw::WsReader;
using Kind = WsReader::Event::Kind;

namespace {

std::string Close(uint16_t code, std::string_view reason = "") {
  std::string body{static_cast<char>(code >> 8), static_cast<char>(code)};
  return ClientFrame(body + std::string(reason), {.op = 0x8});
}

void Feed(WsReader& r, std::string_view bytes) {
  auto room = r.Prepare(bytes.size());
  REQUIRE(room.size() >= bytes.size());
  std::memcpy(room.data(), bytes.data(), bytes.size());
  r.Commit(bytes.size());
}

struct Seen {
  Kind kind;
  std::string payload;
  uint16_t code;
  bool text;
};

// Everything Next yields until it needs more.
std::vector<Seen> Drain(WsReader& r) {
  std::vector<Seen> out;
  for (;;) {
    WsReader::Event e = r.Next();
    if (e.kind == Kind::kNeedMore) return out;
    out.push_back({e.kind, std::string(e.payload), e.code, e.text});
    if (e.kind == Kind::kFail) return out;
  }
}

uint16_t FailCode(std::string_view bytes, size_t max = 1 << 16) {
  WsReader r(max);
  Feed(r, bytes);
  auto seen = Drain(r);
  if (seen.empty() || seen.back().kind != Kind::kFail) return 0;
  return seen.back().code;
}

}  // namespace

TEST_CASE("ws reader: messages of every length form, in order, however the bytes arrive", "[ws_reader]") {
  const std::string small = R"({"id":1,"op":"orders.open"})";
  const std::string mid(300, 'm');
  const std::string big(70000, 'b');
  const std::string stream = ClientFrame(small) + ClientFrame(mid) + ClientFrame(big) + ClientFrame("\x01\xff", {.op = 0x2});

  for (size_t chunk : {stream.size(), size_t{1}, size_t{7}, size_t{16 << 10}}) {
    WsReader r(1 << 20);
    std::vector<Seen> seen;
    for (size_t off = 0; off < stream.size(); off += chunk) {
      Feed(r, std::string_view(stream).substr(off, chunk));
      for (Seen& s : Drain(r)) seen.push_back(std::move(s));
    }
    INFO("chunk " << chunk);
    REQUIRE(seen.size() == 4);
    CHECK(seen[0].kind == Kind::kMessage);
    CHECK(seen[0].text);
    CHECK(seen[0].payload == small);
    CHECK(seen[1].payload == mid);
    CHECK(seen[2].payload == big);
    CHECK(seen[3].kind == Kind::kMessage);
    CHECK_FALSE(seen[3].text);
    CHECK(seen[3].payload == std::string("\x01\xff"));
    CHECK_FALSE(r.buffered());
  }
}

TEST_CASE("ws reader: a fragmented message comes whole, control frames between its parts first", "[ws_reader]") {
  WsReader r(1 << 16);
  Feed(r, ClientFrame("{\"id\":", {.fin = false, .op = 0x1}) + ClientFrame("ping!", {.op = 0x9}) +
              ClientFrame("7,\"op\"", {.fin = false, .op = 0x0}) + ClientFrame(":\"x\"}", {.op = 0x0}) +
              ClientFrame("", {.op = 0xA}) + ClientFrame("next"));
  auto seen = Drain(r);
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].kind == Kind::kPing);
  CHECK(seen[0].payload == "ping!");
  CHECK(seen[1].kind == Kind::kMessage);
  CHECK(seen[1].text);
  CHECK(seen[1].payload == R"({"id":7,"op":"x"})");
  CHECK(seen[2].kind == Kind::kPong);
  CHECK(seen[3].payload == "next");
}

TEST_CASE("ws reader: close frames", "[ws_reader]") {
  WsReader r(1 << 16);
  Feed(r, ClientFrame("", {.op = 0x8}));
  auto seen = Drain(r);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].kind == Kind::kClose);
  CHECK(seen[0].code == 1005);  // none given

  WsReader r2(1 << 16);
  Feed(r2, Close(1000, "bye"));
  seen = Drain(r2);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].kind == Kind::kClose);
  CHECK(seen[0].code == 1000);
  CHECK(seen[0].payload == "bye");

  CHECK(FailCode(ClientFrame("x", {.op = 0x8})) == 1002);  // a one-byte body
  CHECK(FailCode(Close(1005)) == 1002);               // reserved for "none given"
  CHECK(FailCode(Close(999)) == 1002);
  CHECK(FailCode(Close(2000)) == 1002);
  CHECK(FailCode(Close(5000)) == 1002);
  CHECK(FailCode(Close(1000, "\xc3\x28")) == 1007);
  CHECK(FailCode(Close(4000, "app")) == 0);
  CHECK(IsValidCloseCode(1000));
  CHECK(IsValidCloseCode(1013));
  CHECK(IsValidCloseCode(3000));
  CHECK_FALSE(IsValidCloseCode(1004));
  CHECK_FALSE(IsValidCloseCode(1006));
  CHECK_FALSE(IsValidCloseCode(1015));
}

TEST_CASE("ws reader: protocol violations fail with 1002 and the reader stays failed", "[ws_reader]") {
  CHECK(FailCode(ClientFrame("hi", {.masked = false})) == 1002);
  CHECK(FailCode(ClientFrame("hi", {.rsv = 0x40})) == 1002);  // compression was never negotiated
  CHECK(FailCode(ClientFrame("hi", {.op = 0x3})) == 1002);
  CHECK(FailCode(ClientFrame("hi", {.op = 0xB})) == 1002);
  CHECK(FailCode(ClientFrame("p", {.fin = false, .op = 0x9})) == 1002);
  CHECK(FailCode(ClientFrame(std::string(126, 'p'), {.op = 0x9})) == 1002);
  CHECK(FailCode(ClientFrame("orphan", {.op = 0x0})) == 1002);
  CHECK(FailCode(ClientFrame("a", {.fin = false}) + ClientFrame("b")) == 1002);  // a new message inside one
  CHECK(FailCode(ClientFrame("short", {.length_bytes = 2})) == 1002);       // not the shortest form
  CHECK(FailCode(ClientFrame(std::string(300, 's'), {.length_bytes = 8})) == 1002);
  std::string huge = ClientFrame("", {.length_bytes = 8});
  huge[2] = static_cast<char>(0x80);  // a 64-bit length with its top bit set
  CHECK(FailCode(huge) == 1002);

  WsReader r(1 << 16);
  Feed(r, ClientFrame("hi", {.masked = false}) + ClientFrame("fine"));
  CHECK(r.Next().kind == Kind::kFail);
  WsReader::Event again = r.Next();
  CHECK(again.kind == Kind::kFail);
  CHECK(again.code == 1002);
}

TEST_CASE("ws reader: a message over the limit fails with 1009 from its header alone", "[ws_reader]") {
  const size_t max = 1000;
  CHECK(FailCode(ClientFrame(std::string(1000, 'a')), max) == 0);
  std::string over = ClientFrame(std::string(1001, 'a'));
  CHECK(FailCode(over.substr(0, 8), max) == 1009);  // header and mask key only
  // Fragments count together.
  CHECK(FailCode(ClientFrame(std::string(600, 'a'), {.fin = false}) + ClientFrame(std::string(401, 'a'), {.op = 0x0}), max) ==
        1009);
  CHECK(FailCode(ClientFrame(std::string(600, 'a'), {.fin = false}) + ClientFrame(std::string(400, 'a'), {.op = 0x0}), max) ==
        0);
}

TEST_CASE("ws reader: text must be UTF-8, binary need not", "[ws_reader]") {
  CHECK(FailCode(ClientFrame("\xc3\x28")) == 1007);
  CHECK(FailCode(ClientFrame("\xe4\xb8", {.fin = false}) + ClientFrame("\xad", {.op = 0x0})) == 0);  // split inside a character
  CHECK(FailCode(ClientFrame("\xc3\x28", {.op = 0x2})) == 0);
  CHECK(FailCode(ClientFrame("\xe8\xaf\xad\xe6\x96\x99")) == 0);  // 语料
}

TEST_CASE("ws reader: the buffer grows for a large frame and shrinks after it", "[ws_reader]") {
  WsReader r(1 << 20);
  const std::string big = ClientFrame(std::string(300000, 'z'));
  size_t off = 0;
  std::vector<Seen> seen;
  while (off < big.size()) {
    auto room = r.Prepare(16 << 10);
    REQUIRE(room.size() >= (16u << 10));
    size_t n = std::min(room.size(), big.size() - off);
    std::memcpy(room.data(), big.data() + off, n);
    r.Commit(n);
    off += n;
    for (Seen& s : Drain(r)) seen.push_back(std::move(s));
  }
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].payload.size() == 300000);
  CHECK(r.Prepare(16 << 10).size() < 100000);
}

TEST_CASE("ws reader: as a client it reads the server's unmasked frames and refuses masked ones", "[ws_reader]") {
  WsReader r(1 << 16, WsReader::Role::kClient);
  Feed(r, ClientFrame(R"({"id":1,"ok":true})", {.masked = false}) + ClientFrame(std::string(200, 'e'), {.masked = false}));
  auto seen = Drain(r);
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].payload == R"({"id":1,"ok":true})");
  CHECK(seen[1].payload == std::string(200, 'e'));

  WsReader masked(1 << 16, WsReader::Role::kClient);
  Feed(masked, ClientFrame("hi"));
  seen = Drain(masked);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].kind == Kind::kFail);
  CHECK(seen[0].code == 1002);
}
