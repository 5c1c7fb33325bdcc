// tests/gateway/harness.h — the real corpexd on a loopback port, and a
// Beast WebSocket client to talk to it.
//
// Daemon writes a config with a temp data dir, starts the built corpexd
// (CORPEXD_PATH) with port 0 and reads the port it prints. Client is the
// tools' client (one client for tools and tests) connected to it.
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <sys/types.h>

#include "common/client.h"

namespace corpex::test {

namespace json = boost::json;

using tools::NowMs;

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
  void Signal(int signal);  // does not wait (SIGSTOP, SIGCONT)
  int WaitExit();         // exit status after a signal
  uint16_t port() const { return port_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

// The tools' client (tools/common/client.h) connected to a local corpexd.
class Client : public tools::Client {
 public:
  explicit Client(uint16_t port, int timeout_ms = 5000);
  bool connected() const { return connected_; }
  // Logs in with a correct signature unless `secret` is wrong; the response.
  json::object Login(const std::string& user, const std::string& secret, int64_t ts_ms = 0,
                     std::string nonce = "", bool cancel_on_disconnect = false) {
    return LoginResponse(user, secret, ts_ms, std::move(nonce), cancel_on_disconnect);
  }
  // Sends `req` with a fresh id; its response, or {} when none came.
  json::object Call(json::object req) {
    json::object r = tools::Client::Call(std::move(req));
    return r.contains("error") && r.at("error").as_object().at("code") == "DISCONNECTED" ? json::object{} : r;
  }

 private:
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

// Logs `c` in as one of SeedMarket's members (S1, B1, B2), "ops" or "csrc".
void LoginAs(Client& c, const std::string& user, const Market& m);

// A started corpexd with SeedMarket's market and five logged-in sessions:
// the operator, seller S1, buyer B1, buyer and seller B2, and the regulator.
struct SeededExchange {
  SeededExchange();
  Daemon d;
  Market m;
  Client ops, s1, b1, b2, reg;
};

// A successful response's result.
inline const json::object& Result(const json::object& r) { return r.at("result").as_object(); }

inline const char* kOpsSecret = "ops-secret";
inline const char* kRegSecret = "reg-secret";

}  // namespace corpex::test
