// tests/gateway/harness.h — the real corpexd on a loopback port, and a
// Beast WebSocket client to talk to it.
//
// Daemon writes a config with a temp data dir, starts the built corpexd
// (CORPEXD_PATH) with port 0 and reads the port it prints. Client is a
// synchronous Beast client with a receive timeout; Call() sends a request and
// returns its response, keeping events that arrive meanwhile for Event().
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <sys/types.h>

namespace corpex::test {

namespace json = boost::json;

int64_t NowMs();

class Daemon {
 public:
  // `limits_json`: the config's "limits" object, or "" for none. `tls`: make
  // a self-signed certificate with the openssl CLI and serve wss:// only.
  // `web_root`: the config's web console directory, or "" for none.
  // `top_level_json`: more top-level keys, as written in the file
  // (`"io_threads": 2`), or "" for none.
  explicit Daemon(std::string limits_json = "", bool tls = false, std::string web_root = "",
                  std::string top_level_json = "");
  ~Daemon();
  bool Start();           // also restarts after Kill
  int Kill(int signal);  // waits for the process; its waitpid status
  int WaitExit();         // exit status after a signal
  uint16_t port() const { return port_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

class Client {
 public:
  explicit Client(uint16_t port, int timeout_ms = 5000);
  ~Client();
  bool connected() const { return connected_; }

  void SendText(const std::string& text);
  void Ping();
  // The next frame, or "" on timeout / close.
  std::string Read();
  // Sends `req` with id set to a fresh integer and returns the matching response.
  json::object Call(json::object req);
  // Logs in with a correct signature unless `secret` is wrong.
  json::object Login(const std::string& user, const std::string& secret, int64_t ts_ms = 0,
                     std::string nonce = "", bool cancel_on_disconnect = false);
  // The next queued or arriving event for which `pred` holds; null object on timeout.
  json::object Event(const std::function<bool(const json::object&)>& pred);
  // True when the server closed the connection within the timeout.
  bool WaitClosed();

 private:
  // One frame into `buf`, or timed_out after the client's timeout (asio's
  // blocking reads poll again on EAGAIN, so SO_RCVTIMEO never ended them: a
  // test waiting for a frame that never came hung instead of failing).
  boost::beast::error_code ReadFor(boost::beast::flat_buffer& buf);

  const int timeout_ms_;
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  std::deque<json::object> events_;
  int64_t next_id_ = 1;
  bool connected_ = false;
};

// A plain HTTP GET on loopback: the body; status and content type through
// the pointers (content_type may be null).
std::string HttpGet(uint16_t port, const std::string& target, unsigned* status,
                    std::string* content_type = nullptr);

// Error code of a response, "" when ok.
std::string Code(const json::object& response);

// An operator session that sets up a small market: instrument SYM (tick 100,
// lot 1, tier 2, training), seller S1 with attestation ATT-1, buyer B1, and
// B2 (buyer+seller). Returns the members' secrets by name.
struct Market {
  std::string s1, b1, b2;
};
Market SeedMarket(uint16_t port);

// A started corpexd with SeedMarket's market and four logged-in sessions:
// the operator, seller S1, buyer B1 and the regulator.
struct SeededExchange {
  SeededExchange();
  Daemon d;
  Market m;
  Client ops, s1, b1, reg;
};

inline const char* kOpsSecret = "ops-secret";
inline const char* kRegSecret = "reg-secret";

}  // namespace corpex::test
