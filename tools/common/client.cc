#include "common/client.h"

#include <openssl/rand.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "corpex/login.h"

namespace corpex::tools {

namespace beast = boost::beast;
namespace net = boost::asio;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Client::Client() : ws_(ioc_) {}

Client::~Client() {
  beast::error_code ec;
  ws_.next_layer().close(ec);
}

std::string Client::Connect(const std::string& url, int timeout_ms) {
  const std::string scheme = "ws://";
  if (url.rfind(scheme, 0) != 0) return "url must start with ws:// (got '" + url + "')";
  std::string rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  std::string path = slash == std::string::npos ? "/v1" : rest.substr(slash);
  auto colon = hostport.rfind(':');
  std::string host = colon == std::string::npos ? hostport : hostport.substr(0, colon);
  std::string port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);
  beast::error_code ec;
  net::ip::tcp::resolver resolver(ioc_);
  auto results = resolver.resolve(host, port, ec);
  if (ec) return "cannot resolve " + hostport + ": " + ec.message();
  net::connect(ws_.next_layer(), results, ec);
  if (ec) return "cannot connect to " + hostport + ": " + ec.message();
  // Without it Nagle and delayed ACK hold small requests back ~40 ms.
  ws_.next_layer().set_option(net::ip::tcp::no_delay(true), ec);
  timeout_ms_ = timeout_ms;
  ws_.read_message_max(64 << 20);
  ws_.handshake(hostport, path, ec);
  if (ec) return "WebSocket handshake with " + url + " failed: " + ec.message();
  return "";
}

std::string Client::Login(const std::string& user, const std::string& secret) {
  return ErrorOf(LoginResponse(user, secret));
}

json::object Client::LoginResponse(const std::string& user, const std::string& secret, int64_t ts_ms,
                                   std::string nonce, bool cancel_on_disconnect) {
  if (ts_ms == 0) ts_ms = NowMs();
  if (nonce.empty()) {
    unsigned char rnd[8];
    if (RAND_bytes(rnd, sizeof rnd) != 1) {
      static std::mt19937_64 rng(std::random_device{}());
      const uint64_t r = rng();
      std::memcpy(rnd, &r, sizeof rnd);
    }
    nonce = HexEncode(std::string_view(reinterpret_cast<const char*>(rnd), sizeof rnd));
  }
  json::object req{{"op", "login"},
                   {"user", user},
                   {"ts", ts_ms},
                   {"nonce", nonce},
                   {"sig", LoginSignature(secret, user, ts_ms, nonce)}};
  if (cancel_on_disconnect) req["cancel_on_disconnect"] = true;
  return Call(std::move(req));
}

void Client::SendText(const std::string& text) {
  beast::error_code ec;
  ws_.text(true);
  ws_.write(net::buffer(text), ec);
}

beast::error_code Client::ReadFor(beast::flat_buffer& buf) {
  beast::error_code result;
  bool done = false;
  ws_.async_read(buf, [&](beast::error_code ec, size_t) {
    result = ec;
    done = true;
  });
  ioc_.restart();
  ioc_.run_for(std::chrono::milliseconds(timeout_ms_));
  if (done) return result;
  beast::error_code ignored;
  ws_.next_layer().cancel(ignored);  // the stream is of no further use
  ioc_.restart();
  ioc_.run();
  return net::error::timed_out;
}

void Client::Ping() {
  beast::error_code ec;
  ws_.ping({}, ec);
}

bool Client::WaitClosed() {
  for (;;) {
    beast::flat_buffer buf;
    beast::error_code ec = ReadFor(buf);
    if (ec == beast::websocket::error::closed || ec == net::error::eof ||
        ec == net::error::connection_reset)
      return true;
    if (ec) return false;  // timeout
  }
}

std::string Client::Read() {
  beast::flat_buffer buf;
  beast::error_code ec = ReadFor(buf);
  if (ec) return "";
  return beast::buffers_to_string(buf.data());
}

json::object Client::Call(json::object req) {
  int64_t id = next_id_++;
  req["id"] = id;
  beast::error_code ec;
  ws_.text(true);
  ws_.write(net::buffer(json::serialize(req)), ec);
  for (;;) {
    std::string frame = ec ? "" : Read();
    if (frame.empty())
      return {{"ok", false},
              {"error", {{"code", "DISCONNECTED"}, {"message", "no response from the server"}}}};
    boost::system::error_code pec;
    json::value v = json::parse(frame, pec);
    if (pec || !v.is_object()) continue;
    json::object o = std::move(v.as_object());
    if (o.contains("event")) {
      events_.push_back(std::move(o));
      continue;
    }
    if (o.contains("id") && o.at("id").is_int64() && o.at("id").as_int64() == id) return o;
  }
}

json::object Client::Event(const std::function<bool(const json::object&)>& pred) {
  for (auto it = events_.begin(); it != events_.end(); ++it) {
    if (pred(*it)) {
      json::object o = std::move(*it);
      events_.erase(it);
      return o;
    }
  }
  for (;;) {
    std::string frame = Read();
    if (frame.empty()) return {};
    boost::system::error_code pec;
    json::value v = json::parse(frame, pec);
    if (pec || !v.is_object() || !v.as_object().contains("event")) continue;
    if (pred(v.as_object())) return std::move(v.as_object());
    events_.push_back(std::move(v.as_object()));
  }
}

std::string ErrorOf(const json::object& r) {
  if (r.contains("ok") && r.at("ok").is_bool() && r.at("ok").as_bool()) return "";
  if (!r.contains("error") || !r.at("error").is_object()) return "INTERNAL: malformed response";
  const json::object& e = r.at("error").as_object();
  std::string code = e.contains("code") ? Text(e.at("code")) : "INTERNAL";
  std::string msg = e.contains("message") ? Text(e.at("message")) : "";
  return msg.empty() ? code : code + ": " + msg;
}

Args::Args(int argc, char** argv, std::initializer_list<const char*> flags) {
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (s.size() > 2 && s.rfind("--", 0) == 0) {
      std::string k = s.substr(2);
      auto eq = k.find('=');
      if (eq != std::string::npos) {
        opts_[k.substr(0, eq)] = k.substr(eq + 1);
        continue;
      }
      bool flag = false;
      for (const char* f : flags) flag = flag || k == f;
      if (flag) {
        opts_[k] = "1";
      } else if (i + 1 < argc) {
        opts_[k] = argv[++i];
      } else {
        error_ = "--" + k + " needs a value";
      }
    } else if (s == "-h") {
      opts_["help"] = "1";
    } else {
      pos_.push_back(s);
    }
  }
}

std::string Args::get(const std::string& k, const std::string& def) const {
  auto it = opts_.find(k);
  return it == opts_.end() ? def : it->second;
}

std::optional<int64_t> Args::num(const std::string& k, std::string& err, bool required) const {
  auto it = opts_.find(k);
  if (it == opts_.end()) {
    if (required && err.empty()) err = "--" + k + " is required";
    return std::nullopt;
  }
  try {
    size_t used = 0;
    long long v = std::stoll(it->second, &used);
    if (used == it->second.size()) return v;
  } catch (...) {
  }
  if (err.empty()) err = "--" + k + " must be an integer, got '" + it->second + "'";
  return std::nullopt;
}

std::string Args::Unknown(const std::vector<std::string>& known) const {
  std::string out;
  for (const auto& [k, v] : opts_) {
    bool ok = false;
    for (const std::string& n : known) ok = ok || k == n;
    for (const char* n : {"url", "user", "secret", "credentials", "json", "help"})
      ok = ok || k == n;
    if (!ok) out += (out.empty() ? "--" : ", --") + k;
  }
  return out;
}

std::string ResolveCredentials(const Args& a, std::string& user, std::string& secret) {
  user = a.get("user");
  secret = a.get("secret");
  if (user.empty() && std::getenv("CORPEX_USER")) user = std::getenv("CORPEX_USER");
  if (secret.empty() && std::getenv("CORPEX_SECRET")) secret = std::getenv("CORPEX_SECRET");
  if ((user.empty() || secret.empty()) && a.has("credentials")) {
    std::ifstream in(a.get("credentials"));
    if (!in) return "cannot read credentials file " + a.get("credentials");
    std::stringstream ss;
    ss << in.rdbuf();
    boost::system::error_code ec;
    json::value v = json::parse(ss.str(), ec);
    if (ec || !v.is_object())
      return "credentials file " + a.get("credentials") + " is not a JSON object";
    const json::object& o = v.as_object();
    if (user.empty() && o.contains("user") && o.at("user").is_string()) user = Text(o.at("user"));
    if (secret.empty() && o.contains("secret") && o.at("secret").is_string())
      secret = Text(o.at("secret"));
  }
  if (user.empty() || secret.empty())
    return "no credentials: give --user and --secret, CORPEX_USER and CORPEX_SECRET, or "
           "--credentials FILE";
  return "";
}

std::string ConnectAndLogin(const Args& a, Client& c) {
  std::string user, secret;
  if (std::string e = ResolveCredentials(a, user, secret); !e.empty()) return e;
  if (std::string e = c.Connect(a.get("url", "ws://127.0.0.1:8080/v1")); !e.empty()) return e;
  if (std::string e = c.Login(user, secret); !e.empty())
    return "login as " + user + " failed: " + e;
  return "";
}

void PrintTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> w(header.size());
  for (size_t i = 0; i < header.size(); ++i) w[i] = header[i].size();
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size() && i < w.size(); ++i) w[i] = std::max(w[i], r[i].size());
  auto line = [&](const std::vector<std::string>& r) {
    std::string s;
    for (size_t i = 0; i < w.size(); ++i) {
      std::string cell = i < r.size() ? r[i] : "";
      s += cell;
      if (i + 1 < w.size()) s += std::string(w[i] - cell.size() + 2, ' ');
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    std::cout << s << "\n";
  };
  line(header);
  std::vector<std::string> dashes;
  for (size_t x : w) dashes.push_back(std::string(x, '-'));
  line(dashes);
  for (const auto& r : rows) line(r);
}

std::string Text(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_null()) return "";
  return json::serialize(v);
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

int Fail(const std::string& what, int code) {
  std::cerr << "error: " << what << "\n";
  return code;
}

}  // namespace corpex::tools
