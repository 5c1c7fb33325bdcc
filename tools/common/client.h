// tools/common/client.h — the synchronous corpex WebSocket client, for the CLI
// tools and the tests alike: connect to ws://HOST:PORT/PATH, HMAC login
// (SPEC §5, corpex/login.h), request / response calls that keep events
// arriving meanwhile for Event(), raw frames for tests that need them. Every
// read gives up after the client's timeout (asio's blocking reads ignore
// SO_RCVTIMEO, so a read is run on the io_context for at most that long).
//
// Thread: one thread per Client. Errors are values: Connect/Login return a
// one-line reason instead of throwing.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "corpex/login.h"

namespace corpex::tools {

namespace json = boost::json;

int64_t NowMs();

class Client {
 public:
  Client();
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // "" on success, else why not. `timeout_ms` bounds every later read.
  std::string Connect(const std::string& url, int timeout_ms = 10000);
  // "" on success, else "CODE: message".
  std::string Login(const std::string& user, const std::string& secret);
  // The login response itself; ts_ms 0 means now, nonce "" a fresh one.
  json::object LoginResponse(const std::string& user, const std::string& secret, int64_t ts_ms = 0,
                             std::string nonce = "", bool cancel_on_disconnect = false);
  // Sends `req` with a fresh integer id; the matching response, or an object
  // {"ok":false,"error":{"code":"DISCONNECTED",...}} when none came.
  json::object Call(json::object req);
  // The next queued or arriving event for which `pred` holds; empty on timeout.
  json::object Event(const std::function<bool(const json::object&)>& pred);

  // Raw use: one text frame out; the next frame in ("" on timeout or close).
  void SendText(const std::string& text);
  std::string Read();
  void Ping();
  // True when the server closed the connection within the timeout.
  bool WaitClosed();

 private:
  // One frame into `buf`, or timed_out after the timeout.
  boost::beast::error_code ReadFor(boost::beast::flat_buffer& buf);

  int timeout_ms_ = 10000;
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  std::deque<json::object> events_;
  int64_t next_id_ = 1;
};

// "" when ok, else "CODE: message".
std::string ErrorOf(const json::object& response);
inline const json::object& Result(const json::object& r) { return r.at("result").as_object(); }

// Command-line arguments: positionals and --key value / --flag.
class Args {
 public:
  // `flags`: option names that take no value (e.g. "json", "help").
  Args(int argc, char** argv, std::initializer_list<const char*> flags);
  const std::vector<std::string>& pos() const { return pos_; }
  bool has(const std::string& k) const { return opts_.count(k) > 0; }
  std::string get(const std::string& k, const std::string& def = "") const;
  // Integer option; sets `err` when present but not an integer, or missing and required.
  std::optional<int64_t> num(const std::string& k, std::string& err, bool required = true) const;
  // Options not in `known`, joined; "" when none.
  std::string Unknown(const std::vector<std::string>& known) const;
  const std::string& error() const { return error_; }

 private:
  std::vector<std::string> pos_;
  std::map<std::string, std::string> opts_;
  std::string error_;
};

// Who logs in: --user/--secret, else CORPEX_USER/CORPEX_SECRET, else
// --credentials FILE ({"user","secret"}). "" on success.
std::string ResolveCredentials(const Args& a, std::string& user, std::string& secret);
// Connects to --url (default ws://127.0.0.1:8080/v1) and logs in.
std::string ConnectAndLogin(const Args& a, Client& c);

// Prints rows as an aligned text table with a header.
void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);
// A JSON scalar as plain text (strings unquoted).
std::string Text(const json::value& v);
std::vector<std::string> SplitComma(const std::string& s);
// One-line error on stderr, returns `code` for `return Fail(...)`.
int Fail(const std::string& what, int code = 1);

}  // namespace corpex::tools
