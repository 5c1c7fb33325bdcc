#include "load/driver.h"

#include <openssl/rand.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "common/client.h"
#include "gateway/net/write_behind.h"
#include "gateway/net/ws_frame.h"
#include "gateway/net/ws_reader.h"

namespace corpex::tools {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using Clock = std::chrono::steady_clock;

int64_t Ns(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// The integer after `"key":` in `s`, or -1.
int64_t IntAfter(std::string_view s, std::string_view key) {
  size_t at = s.find(key);
  if (at == std::string_view::npos) return -1;
  int64_t v = 0;
  bool any = false;
  for (size_t i = at + key.size(); i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    v = v * 10 + (s[i] - '0');
    any = true;
  }
  return any ? v : -1;
}

size_t Count(std::string_view s, std::string_view what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string_view::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

struct Conn {
  explicit Conn(net::io_context& ioc) : ws(ioc) {}
  // Orders are framed here and appended to the write-behind buffer, which
  // sends what gathered in one write: no Beast write operation per order.
  // After the login, frames are read from the socket straight into `reader`,
  // every whole one of a read handled at once: no Beast read per response.
  websocket::stream<WriteBehind<net::ip::tcp::socket>> ws;
  gw::WsReader reader{size_t{64} << 20, gw::WsReader::Role::kClient};
  bool unsent = false;  // orders appended since the last Kick
  bool dead = false;
  LoadMember m;
  uint64_t next_id = 1;
  uint64_t order_seq = 0;
  uint32_t inflight = 0;
  std::vector<int64_t> due;  // by id & (size - 1): when each request was due
};

struct Driver::Impl {
  DriverOptions opt;
  std::vector<LoadMember> members;
  LoadCounters* counters;
  net::io_context ioc;
  std::vector<std::unique_ptr<Conn>> conns;
  Histogram hist;
  Histogram send_lag;  // with a rate: an order's due time -> handed to its socket
  std::map<std::string, int64_t> errors;
  int64_t start_ns = 0;
  int64_t issued = 0;
  bool issuing = true;
  int64_t drain_deadline_ns = 0;
  size_t rr = 0;
  uint64_t mask_seed = 0;  // splitmix64 state for the frames' masking keys
  net::steady_timer pace{ioc};

  std::string LoginOne(Conn& c);
  void Send(Conn& c, int64_t due_ns);
  void KickAll();
  void DoRead(Conn& c);
  void OnFrame(Conn& c, std::string_view frame);
  void Pump();
  void Tick();
  bool Drained() const;
  void Error(const std::string& code) {
    counters->errors.fetch_add(1, std::memory_order_relaxed);
    ++errors[code];
  }
};

Driver::Driver(DriverOptions options, std::vector<LoadMember> members, LoadCounters* counters)
    : impl_(std::make_unique<Impl>()) {
  impl_->opt = std::move(options);
  impl_->members = std::move(members);
  impl_->counters = counters;
}

Driver::~Driver() = default;
const Histogram& Driver::histogram() const { return impl_->hist; }
const Histogram& Driver::send_lag() const { return impl_->send_lag; }
const std::map<std::string, int64_t>& Driver::error_codes() const { return impl_->errors; }

std::string Driver::Impl::LoginOne(Conn& c) {
  beast::error_code ec;
  net::ip::tcp::resolver resolver(ioc);
  auto results = resolver.resolve(opt.host, opt.port, ec);
  if (ec) return "cannot resolve " + opt.host + ": " + ec.message();
  net::ip::tcp::socket& sock = c.ws.next_layer().next_layer();
  net::connect(sock, results, ec);
  if (ec) return "cannot connect to " + opt.host + ":" + opt.port + ": " + ec.message();
  sock.set_option(net::ip::tcp::no_delay(true), ec);
  c.ws.auto_fragment(false);
  c.ws.handshake(opt.host + ":" + opt.port, opt.path, ec);
  if (ec) return "WebSocket handshake failed: " + ec.message();
  unsigned char rnd[8];
  RAND_bytes(rnd, sizeof rnd);
  char nonce[17];
  for (int i = 0; i < 8; ++i) std::snprintf(nonce + 2 * i, 3, "%02x", rnd[i]);
  int64_t ts = NowMs();
  std::string sig = LoginSignature(c.m.secret, c.m.member, ts, nonce);
  c.ws.write(net::buffer("{\"id\":0,\"op\":\"login\",\"user\":\"" + c.m.member + "\",\"ts\":" +
                         std::to_string(ts) + ",\"nonce\":\"" + nonce + "\",\"sig\":\"" + sig + "\"}"),
             ec);
  if (ec) return "login write failed: " + ec.message();
  beast::flat_buffer buf;
  c.ws.read(buf, ec);
  if (ec) return "login read failed: " + ec.message();
  std::string r = beast::buffers_to_string(buf.data());
  if (r.find("\"ok\":true") == std::string::npos) return "login as " + c.m.member + " failed: " + r;
  return "";
}

std::string Driver::Connect() {
  Impl& d = *impl_;
  size_t ring = 4;
  while (ring < 2 * static_cast<size_t>(d.opt.window)) ring <<= 1;
  RAND_bytes(reinterpret_cast<unsigned char*>(&d.mask_seed), sizeof d.mask_seed);
  for (const LoadMember& m : d.members) {
    auto c = std::make_unique<Conn>(d.ioc);
    c->m = m;
    c->due.assign(ring, 0);
    if (std::string e = d.LoginOne(*c); !e.empty()) return e;
    d.conns.push_back(std::move(c));
  }
  return "";
}

void Driver::Impl::Send(Conn& c, int64_t due_ns) {
  uint64_t id = c.next_id++;
  uint64_t k = c.order_seq++;
  char buf[512];
  int n;
  if (c.m.seller)
    n = std::snprintf(buf, sizeof buf,
                      "{\"id\":%llu,\"op\":\"order.new\",\"instrument\":\"%s\",\"side\":\"sell\",\"qty\":1,"
                      "\"price\":%llu,\"tif\":\"GTC\",\"client_order_id\":\"L%llu\",\"attestation\":\"ATT-%s\"}",
                      static_cast<unsigned long long>(id), opt.symbol.c_str(),
                      static_cast<unsigned long long>(opt.resting ? 1000 + k % 500 : 100 + k % 10),
                      static_cast<unsigned long long>(k),
                      c.m.member.c_str());
  else
    n = std::snprintf(buf, sizeof buf,
                      "{\"id\":%llu,\"op\":\"order.new\",\"instrument\":\"%s\",\"side\":\"buy\",\"qty\":1,"
                      "\"price\":%llu,\"tif\":\"%s\",\"client_order_id\":\"L%llu\"}",
                      static_cast<unsigned long long>(id), opt.symbol.c_str(),
                      static_cast<unsigned long long>(opt.resting ? 1 + k % 500 : 109),
                      opt.resting ? "GTC" : "IOC", static_cast<unsigned long long>(k));
  // A client masks every frame with a fresh key (RFC 6455 5.3).
  mask_seed += 0x9E3779B97F4A7C15ULL;
  uint64_t z = mask_seed;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  unsigned char key[4];
  std::memcpy(key, &z, sizeof key);
  char head[14];
  std::string_view h = TextFrameHeader(static_cast<size_t>(n), head, key);
  MaskPayload(buf, static_cast<size_t>(n), key);
  if (!c.ws.next_layer().Append(h, std::string_view(buf, static_cast<size_t>(n)))) {
    Error("SEND_FAILED");  // the connection failed; its read side reports it
    return;
  }
  c.due[id & (c.due.size() - 1)] = due_ns;
  if (opt.rate > 0) {
    const int64_t lag = Ns(Clock::now()) - due_ns;
    send_lag.Record(static_cast<uint64_t>(lag > 0 ? lag : 0));
  }
  ++c.inflight;
  counters->sent.fetch_add(1, std::memory_order_relaxed);
  c.unsent = true;
}

void Driver::Impl::KickAll() {
  for (auto& c : conns)
    if (c->unsent) {
      c->unsent = false;
      c->ws.next_layer().Kick();
    }
}

void Driver::Impl::DoRead(Conn& c) {
  std::span<char> room = c.reader.Prepare(16 << 10);
  c.ws.next_layer().next_layer().async_read_some(
      net::buffer(room.data(), room.size()), [this, &c](beast::error_code ec, size_t n) {
        auto lost = [&](const char* code) {
          if (!c.dead && (issuing || c.inflight > 0)) Error(code);
          c.dead = true;
          c.inflight = 0;
        };
        if (ec) return lost("DISCONNECTED");
        c.reader.Commit(n);
        using Kind = gw::WsReader::Event::Kind;
        for (;;) {
          gw::WsReader::Event e = c.reader.Next();
          if (e.kind == Kind::kNeedMore) break;
          if (e.kind == Kind::kMessage) OnFrame(c, e.payload);
          if (e.kind == Kind::kClose) return lost("DISCONNECTED");
          if (e.kind == Kind::kFail) return lost("BAD_FRAME");
        }
        // The orders these acknowledgements freed go out together, not one
        // write per acknowledgement.
        KickAll();
        DoRead(c);
      });
}

void Driver::Impl::OnFrame(Conn& c, std::string_view f) {
  if (f.rfind("{\"id\":", 0) != 0) return;  // an event (executions of resting sells)
  int64_t id = IntAfter(f, "{\"id\":");
  if (id <= 0 || c.inflight == 0) return;
  --c.inflight;
  if (f.find("\"ok\":true") != std::string_view::npos) {
    int64_t due = c.due[static_cast<uint64_t>(id) & (c.due.size() - 1)];
    int64_t ns = Ns(Clock::now()) - due;
    hist.Record(static_cast<uint64_t>(ns > 0 ? ns : 0));
    int64_t slowest = counters->slowest.load(std::memory_order_relaxed);
    while (ns > slowest &&
           !counters->slowest.compare_exchange_weak(slowest, ns, std::memory_order_relaxed)) {
    }
    counters->acked.fetch_add(1, std::memory_order_relaxed);
    counters->fills.fetch_add(static_cast<int64_t>(Count(f, "\"trade_id\"")), std::memory_order_relaxed);
  } else {
    size_t at = f.find("\"code\":\"");
    std::string code = "?";
    if (at != std::string_view::npos) {
      at += 8;
      code = std::string(f.substr(at, f.find('"', at) - at));
    }
    Error(code);
  }
  Pump();
}

void Driver::Impl::Pump() {
  if (!issuing) return;
  int64_t now = Ns(Clock::now());
  int64_t due = INT64_MAX;
  if (opt.rate > 0) due = static_cast<int64_t>(static_cast<double>(now - start_ns) * 1e-9 * opt.rate) + 1;
  if (opt.count > 0 && due > opt.count) due = opt.count;
  while (issued < due) {
    Conn* pick = nullptr;
    for (size_t tries = 0; tries < conns.size() && !pick; ++tries) {
      Conn& c = *conns[rr++ % conns.size()];
      if (!c.dead && c.inflight < opt.window) pick = &c;
    }
    if (!pick) return;  // every window is full: the backlog waits, its due times kept
    int64_t due_ns = opt.rate > 0 ? start_ns + static_cast<int64_t>(static_cast<double>(issued) * 1e9 / opt.rate)
                                  : now;
    Send(*pick, due_ns);
    ++issued;
  }
}

bool Driver::Impl::Drained() const {
  for (const auto& c : conns)
    if (!c->dead && c->inflight > 0) return false;
  return true;
}

void Driver::Impl::Tick() {
  int64_t now = Ns(Clock::now());
  bool all_dead = true;
  for (const auto& c : conns) all_dead = all_dead && c->dead;
  if (issuing && (counters->stop.load(std::memory_order_relaxed) || all_dead ||
                  (opt.count > 0 && issued >= opt.count))) {
    issuing = false;
    drain_deadline_ns = now + 10'000'000'000LL;
  }
  if (!issuing && (Drained() || now >= drain_deadline_ns)) {
    for (const auto& c : conns) {
      beast::error_code ec;
      c->dead = true;
      c->ws.next_layer().next_layer().close(ec);
    }
    return;  // no more timers: run() returns once the closed reads complete
  }
  Pump();
  KickAll();
  // Wake when the next order is due (flat out: to check for the end), so
  // orders leave on time at low rates without spinning at high ones.
  int64_t wait_ns = 1'000'000;
  if (opt.rate > 0) {
    int64_t next_due = start_ns + static_cast<int64_t>(static_cast<double>(issued) * 1e9 / opt.rate);
    wait_ns = std::clamp<int64_t>(next_due - Ns(Clock::now()), std::max<int64_t>(20'000, opt.tick_ns),
                                  1'000'000);
  }
  pace.expires_after(std::chrono::nanoseconds(wait_ns));
  pace.async_wait([this](beast::error_code ec) {
    if (!ec) Tick();
  });
}

void Driver::Run() {
  Impl& d = *impl_;
  d.start_ns = Ns(Clock::now());
  for (auto& c : d.conns) d.DoRead(*c);
  d.Tick();
  d.ioc.run();
}

}  // namespace corpex::tools
