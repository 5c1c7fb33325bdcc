// The WebSocket protocol as corpexd speaks it over plain TCP (its own frame
// reader, gateway/net/ws_reader.h), seen from a raw socket: fragments and pings,
// the close handshake, and the close codes of protocol violations.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "client_frame.h"
#include "gateway/protocol/auth.h"
#include "harness.h"

using namespace corpex::test;

namespace {

struct ServerFrame {
  unsigned op = 0;  // 0 with `eof`: the connection ended instead
  std::string payload;
  bool eof = false;
};

class RawWs {
 public:
  explicit RawWs(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    Send("GET /v1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    while (in_.find("\r\n\r\n") == std::string::npos) REQUIRE(Fill());
    size_t end = in_.find("\r\n\r\n") + 4;
    REQUIRE(in_.rfind("HTTP/1.1 101", 0) == 0);
    in_.erase(0, end);
  }
  ~RawWs() { ::close(fd_); }

  void Send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may already have closed
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // The next frame from the server (unmasked, never fragmented by corpexd).
  ServerFrame Read() {
    ServerFrame f;
    for (;;) {
      if (in_.size() >= 2) {
        const auto* p = reinterpret_cast<const unsigned char*>(in_.data());
        size_t head = 2;
        uint64_t n = p[1] & 0x7F;
        if (n == 126 && in_.size() >= 4) n = (uint64_t{p[2]} << 8) | p[3], head = 4;
        if (n == 127 && in_.size() >= 10) {
          n = 0;
          for (int i = 0; i < 8; ++i) n = (n << 8) | p[2 + i];
          head = 10;
        }
        if ((p[1] & 0x7F) < 126 || head > 2) {
          if (in_.size() >= head + n) {
            f.op = p[0] & 0x0F;
            f.payload = in_.substr(head, n);
            in_.erase(0, head + n);
            return f;
          }
        }
      }
      if (!Fill()) {
        f.eof = true;
        return f;
      }
    }
  }

  // Frames until a close frame; its code (0 when none came before the end).
  int ReadCloseCode() {
    for (;;) {
      ServerFrame f = Read();
      if (f.eof) return 0;
      if (f.op == 0x8) return f.payload.size() >= 2 ? (static_cast<unsigned char>(f.payload[0]) << 8) |
                                                           static_cast<unsigned char>(f.payload[1])
                                                     : 1005;
    }
  }

  // True when the server ends the TCP connection within 5 s.
  bool WaitEof() {
    for (;;) {
      if (!Fill()) return last_fill_eof_;
      in_.clear();
    }
  }

 private:
  // More bytes within 5 s; false on timeout or end of stream.
  bool Fill() {
    pollfd pfd{fd_, POLLIN, 0};
    last_fill_eof_ = false;
    if (::poll(&pfd, 1, 5000) <= 0) return false;
    char buf[16384];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      last_fill_eof_ = true;
      return false;
    }
    in_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string in_;
  bool last_fill_eof_ = false;
};

}  // namespace

TEST_CASE("ws: a fragmented request with a ping between its parts", "[it][ws]") {
  Daemon d;
  REQUIRE(d.Start());
  RawWs ws(d.port());
  ws.Send(ClientFrame(R"({"id":7,"op":)", {.fin = false}) + ClientFrame("are you there", {.op = 0x9}) +
          ClientFrame(R"("orders.open"})", {.op = 0x0}));
  ServerFrame pong = ws.Read();
  CHECK(pong.op == 0xA);
  CHECK(pong.payload == "are you there");
  ServerFrame answer = ws.Read();
  CHECK(answer.op == 0x1);
  CHECK(answer.payload.find(R"("id":7)") != std::string::npos);
  CHECK(answer.payload.find("NOT_LOGGED_IN") != std::string::npos);

  // Two requests in one write are both answered, in order.
  ws.Send(ClientFrame(R"({"id":8,"op":"orders.open"})") + ClientFrame(R"({"id":9,"op":"nope"})"));
  CHECK(ws.Read().payload.find(R"("id":8)") != std::string::npos);
  CHECK(ws.Read().payload.find(R"("id":9)") != std::string::npos);
}

// corpexd hands the requests of one read to the exchange together (up to 64
// at a time): a burst
// of a login, orders, bad requests and a ping, all in one write, must come
// back as one answer per request in request order, the ping answered too,
// and every good order on the book.
TEST_CASE("ws: a burst in one write is answered request by request, in order", "[it][ws]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  RawWs ws(d.port());
  const int64_t ts = NowMs();
  const std::string sig =
      corpex::HmacSha256Hex(m.s1, "S1\n" + std::to_string(ts) + "\nburst-nonce");
  std::string burst = ClientFrame(R"({"id":1,"op":"login","user":"S1","ts":)" + std::to_string(ts) +
                                  R"(,"nonce":"burst-nonce","sig":")" + sig + R"("})");
  constexpr int kLast = 161;  // more than one stage of 64 after the ping
  int bad = 0;
  for (int i = 2; i <= kLast; ++i) {
    if (i == 30) burst += ClientFrame("mid-burst", {.op = 0x9});
    const std::string id = std::to_string(i);
    if (i % 10 == 0) {  // no side, qty, price: BAD_REQUEST, nothing changes
      burst += ClientFrame(R"({"id":)" + id + R"(,"op":"order.new","instrument":"SYM"})");
      ++bad;
    } else {
      burst += ClientFrame(R"({"id":)" + id +
                           R"(,"op":"order.new","instrument":"SYM","side":"sell","qty":1,"price":)" +
                           std::to_string(1000 + 100 * i) + R"(,"tif":"GTC","client_order_id":"c)" +
                           id + R"(","attestation":"ATT-1"})");
    }
  }
  ws.Send(burst);
  std::vector<int64_t> ids;
  int pongs = 0, refused = 0;
  while (ids.size() < kLast || pongs == 0) {
    ServerFrame f = ws.Read();
    REQUIRE(!f.eof);
    if (f.op == 0xA) {
      CHECK(f.payload == "mid-burst");
      ++pongs;
      continue;
    }
    json::object o = json::parse(f.payload).as_object();
    ids.push_back(o.at("id").as_int64());
    if (!o.at("ok").as_bool()) {
      ++refused;
      CHECK(o.at("error").as_object().at("code").as_string() == "BAD_REQUEST");
    }
  }
  CHECK(pongs == 1);
  CHECK(refused == bad);
  for (size_t i = 0; i < ids.size(); ++i) CHECK(ids[i] == static_cast<int64_t>(i + 1));
  ws.Send(ClientFrame(R"({"id":99,"op":"orders.open"})"));
  json::object open = json::parse(ws.Read().payload).as_object();
  CHECK(open.at("result").as_object().at("orders").as_array().size() ==
        static_cast<size_t>(kLast - 1 - bad));
}

TEST_CASE("ws: the client's close is echoed and the server ends the connection", "[it][ws]") {
  Daemon d;
  REQUIRE(d.Start());
  RawWs ws(d.port());
  ws.Send(ClientFrame(std::string("\x03\xe8", 2) + "bye", {.op = 0x8}));
  CHECK(ws.ReadCloseCode() == 1000);
  CHECK(ws.WaitEof());

  RawWs bare(d.port());
  bare.Send(ClientFrame("", {.op = 0x8}));
  CHECK(bare.ReadCloseCode() == 1005);  // an empty close is answered with an empty one
  CHECK(bare.WaitEof());
}

TEST_CASE("ws: protocol violations close with RFC 6455's codes", "[it][ws]") {
  Daemon d;
  REQUIRE(d.Start());
  {
    RawWs ws(d.port());
    ws.Send(ClientFrame(R"({"id":1,"op":"orders.open"})", {.masked = false}));  // unmasked
    CHECK(ws.ReadCloseCode() == 1002);
    CHECK(ws.WaitEof());
  }
  {
    RawWs ws(d.port());
    ws.Send(ClientFrame("{\"id\":\"\xc3\x28\"}"));  // not UTF-8
    CHECK(ws.ReadCloseCode() == 1007);
    CHECK(ws.WaitEof());
  }
  {
    // Over 4 x max_frame_bytes (the default 64 KiB): refused from the header,
    // before the payload is sent.
    RawWs ws(d.port());
    std::string head = ClientFrame(std::string(300000, ' ')).substr(0, 14);
    ws.Send(head);
    CHECK(ws.ReadCloseCode() == 1009);
    CHECK(ws.WaitEof());
  }
  {
    // A frame just over max_frame_bytes is answered TOO_LARGE and the session goes on.
    RawWs ws(d.port());
    ws.Send(ClientFrame(R"({"id":2,"op":"orders.open","pad":")" + std::string(70000, 'x') + "\"}"));
    ServerFrame f = ws.Read();
    CHECK(f.payload.find("TOO_LARGE") != std::string::npos);
    ws.Send(ClientFrame(R"({"id":3,"op":"orders.open"})"));
    CHECK(ws.Read().payload.find(R"("id":3)") != std::string::npos);
  }
}
