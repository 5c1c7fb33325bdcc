#include "gateway/cluster/etcd.h"

#include <openssl/evp.h>
#include <simdjson.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <charconv>
#include <exception>
#include <vector>

namespace corpex::cluster {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace dom = simdjson::dom;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string B64(std::string_view s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');  // EVP_EncodeBlock writes a NUL too
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// EVP_DecodeBlock rejects anything but padded base64 and counts the bytes the
// padding stands for, so those are taken off again.
bool UnB64(std::string_view s, std::string* out) {
  out->clear();
  if (s.empty()) return true;
  if (s.size() % 4 != 0) return false;
  std::string bytes(s.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                          reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) return false;
  size_t pad = s.ends_with("==") ? 2 : s.ends_with('=') ? 1 : 0;
  bytes.resize(static_cast<size_t>(n) - pad);
  *out = std::move(bytes);
  return true;
}

// The request's JSON: only base64 strings and integers go in, so no escaping.
std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }
// int64s as JSON strings, as etcd itself writes them.
std::string Int64Str(int64_t v) { return "\"" + std::to_string(v) + "\""; }

// etcd's int64 fields: JSON strings ("123"), absent when zero (proto3 omits
// defaults). A plain number is taken too. False only when the field is there
// and not an integer.
bool Int(dom::object o, std::string_view field, int64_t* out) {
  *out = 0;
  dom::element v;
  auto err = o.at_key(field).get(v);
  if (err == simdjson::NO_SUCH_FIELD) return true;
  if (err) return false;
  std::string_view s;
  if (!v.get_string().get(s)) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
  }
  return !v.get_int64().get(*out);
}

// A base64 field, decoded; absent means empty (proto3 omits empty bytes).
bool Bytes(dom::object o, std::string_view field, std::string* out) {
  out->clear();
  dom::element v;
  auto err = o.at_key(field).get(v);
  if (err == simdjson::NO_SUCH_FIELD) return true;
  std::string_view s;
  if (err || v.get_string().get(s)) return false;
  return UnB64(s, out);
}

bool Kv(dom::element e, EtcdKv* kv) {
  dom::object o;
  if (e.get_object().get(o)) return false;
  return Bytes(o, "key", &kv->key) && Bytes(o, "value", &kv->value) &&
         Int(o, "create_revision", &kv->create_revision) && Int(o, "mod_revision", &kv->mod_revision) &&
         Int(o, "lease", &kv->lease);
}

// The first key-value of a range response (`o` holds "kvs"), if any.
bool FirstKv(dom::object o, std::optional<EtcdKv>* out) {
  out->reset();
  dom::array kvs;
  auto err = o.at_key("kvs").get(kvs);
  if (err == simdjson::NO_SUCH_FIELD) return true;
  if (err) return false;
  for (dom::element e : kvs) {
    EtcdKv kv;
    if (!Kv(e, &kv)) return false;
    *out = std::move(kv);
    break;
  }
  return true;
}

bool HeaderRevision(dom::object o, int64_t* revision) {
  dom::object h;
  return !o.at_key("header").get(h) && Int(h, "revision", revision);
}

// A missing "succeeded" is false: proto3 leaves false out.
bool Succeeded(dom::object o) {
  bool b = false;
  return !o.at_key("succeeded").get(b) && b;
}

// The txn's compare on `key`'s create revision, as etcd's JSON spells it.
std::string CompareCreate(const std::string& key64, int64_t create_revision) {
  return R"({"key":)" + Quoted(key64) + R"(,"target":"CREATE","create_revision":)" +
         Int64Str(create_revision) + "}";
}

std::string OneLine(std::string s) {
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (s.size() > 300) s = s.substr(0, 300) + "...";
  return s;
}

std::string Lower1(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

}  // namespace

Status Etcd::Error(ErrorCode code, std::string_view call, std::string_view what) const {
  return Status(code, "etcd " + (endpoint_.empty() ? std::string("(no endpoint)") : endpoint_) + " " +
                          std::string(call) + ": " + std::string(what));
}

StatusOr<Etcd> Etcd::Parse(std::string_view endpoint, std::chrono::milliseconds timeout) {
  auto bad = [&](std::string_view why) {
    return Status(ErrorCode::kBadRequest,
                  "etcd endpoint \"" + std::string(endpoint) + "\": " + std::string(why));
  };
  std::string_view s = endpoint;
  if (s.starts_with("https://")) return bad("TLS is not supported, use http://");
  if (s.starts_with("http://")) s.remove_prefix(7);
  while (s.ends_with('/')) s.remove_suffix(1);
  if (timeout.count() <= 0) return bad("the timeout must be > 0");

  std::string_view host, port;
  if (s.starts_with('[')) {  // [v6]:port
    auto close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':')
      return bad("expected HOST:PORT");
    host = s.substr(1, close - 1);
    port = s.substr(close + 2);
  } else {
    auto colon = s.rfind(':');
    if (colon == std::string_view::npos || s.find(':') != colon) return bad("expected HOST:PORT");
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  int p = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (host.empty() || port.empty() || ec != std::errc() || end != port.data() + port.size() || p < 1 ||
      p > 65535)
    return bad("expected HOST:PORT with a port in 1..65535");

  Etcd e;
  e.endpoint_ = std::string(s);
  e.port_ = static_cast<uint16_t>(p);
  e.timeout_ = timeout;
  try {
    boost::system::error_code err;
    auto addr = net::ip::make_address(std::string(host), err);
    if (!err) {
      e.addresses_.push_back(addr.to_string());
      return e;
    }
    net::io_context ioc;
    tcp::resolver resolver(ioc);
    auto results = resolver.resolve(std::string(host), std::string(port), err);
    if (err || results.empty()) return bad("cannot resolve " + std::string(host) + ": " + err.message());
    for (const auto& r : results) e.addresses_.push_back(r.endpoint().address().to_string());
    return e;
  } catch (const std::exception& ex) {
    return bad(ex.what());
  }
}

StatusOr<std::string> Etcd::Post(std::string_view call, const std::string& body) const {
  if (port_ == 0) return Error(ErrorCode::kIOError, call, "no endpoint (a default-made Etcd)");
  try {
    const auto deadline = Clock::now() + timeout_;
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    boost::system::error_code ec;
    const char* step = "";
    // Beast's timeouts apply to asynchronous operations only, so each step
    // runs asynchronously on this call's own io_context, to completion,
    // under what is left of the call's one deadline.
    auto run = [&](const char* what, auto start) {
      step = what;
      stream.expires_at(deadline);
      start();
      ioc.restart();
      ioc.run();
      return !ec;
    };
    auto fail = [&]() {
      if (ec == beast::error::timeout)
        return Error(ErrorCode::kIOError, call,
                     "timed out after " + std::to_string(timeout_.count()) + " ms (" + step + ")");
      return Error(ErrorCode::kIOError, call, std::string(step) + ": " + Lower1(ec.message()));
    };

    std::vector<tcp::endpoint> eps;
    for (const std::string& a : addresses_) {
      boost::system::error_code addr_ec;
      auto addr = net::ip::make_address(a, addr_ec);
      if (!addr_ec) eps.emplace_back(addr, port_);
    }
    if (eps.empty()) return Error(ErrorCode::kIOError, call, "no address to connect to");
    if (!run("connect", [&] {
          stream.async_connect(eps, [&](boost::system::error_code e, const tcp::endpoint&) { ec = e; });
        }))
      return fail();

    http::request<http::string_body> req(http::verb::post, "/v3/" + std::string(call), 11);
    req.set(http::field::host, endpoint_);
    req.set(http::field::content_type, "application/json");
    req.keep_alive(false);
    req.body() = body;
    req.prepare_payload();
    auto done = [&](boost::system::error_code e, size_t) { ec = e; };
    if (!run("write", [&] { http::async_write(stream, req, done); })) return fail();

    beast::flat_buffer buf;
    http::response<http::string_body> res;
    if (!run("read", [&] { http::async_read(stream, buf, res, done); })) return fail();
    boost::system::error_code ignored;  // closing anyway: a failed shutdown changes nothing
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

    if (res.result() == http::status::ok) return std::move(res.body());
    // A gateway error: {"error":"...","message":"...","code":N}, N a gRPC code.
    std::string msg = "HTTP " + std::to_string(res.result_int());
    int64_t grpc_code = 0;
    dom::parser parser;
    dom::object o;
    std::string_view text;
    if (!parser.parse(res.body()).get_object().get(o)) {
      if (!o.at_key("message").get(text) || !o.at_key("error").get(text)) msg += ": " + std::string(text);
      if (!Int(o, "code", &grpc_code)) grpc_code = 0;
    } else {
      msg += ": " + OneLine(res.body());
    }
    return Error(grpc_code == 5 ? ErrorCode::kNotFound : ErrorCode::kIOError, call, msg);
  } catch (const std::exception& ex) {
    return Error(ErrorCode::kInternal, call, ex.what());
  }
}

namespace {

// Parses a 200's body into `parser`; the top-level object.
bool Object(dom::parser& parser, const std::string& body, dom::object* o) {
  return !parser.parse(body).get_object().get(*o);
}

}  // namespace

StatusOr<int64_t> Etcd::GrantLease(int ttl_seconds, int64_t* granted_ttl) {
  constexpr std::string_view kCall = "lease/grant";
  auto body = Post(kCall, R"({"TTL":)" + std::to_string(ttl_seconds) + "}");
  if (!body.ok()) return body.status();
  dom::parser parser;
  dom::object o;
  int64_t id = 0, ttl = 0;
  if (!Object(parser, *body, &o) || !Int(o, "ID", &id) || !Int(o, "TTL", &ttl) || id == 0)
    return Error(ErrorCode::kInternal, kCall, "unexpected answer: " + OneLine(*body));
  if (granted_ttl) *granted_ttl = ttl;
  return id;
}

StatusOr<int64_t> Etcd::KeepAlive(int64_t lease) {
  constexpr std::string_view kCall = "lease/keepalive";
  auto body = Post(kCall, R"({"ID":)" + Int64Str(lease) + "}");
  if (!body.ok()) return body.status();
  // A stream in gRPC: the gateway answers one {"result":{...}} per request
  // line, or {"error":{...}}, each followed by a newline. We sent one.
  std::string first = body->substr(0, body->find('\n'));
  dom::parser parser;
  dom::object o, result;
  if (!Object(parser, first, &o))
    return Error(ErrorCode::kInternal, kCall, "unexpected answer: " + OneLine(*body));
  if (o.at_key("result").get(result)) {
    dom::object err;
    std::string_view text = "unexpected answer";
    int64_t code = 0;
    if (!o.at_key("error").get(err)) {
      if (err.at_key("message").get(text)) text = "unexpected answer";
      if (!Int(err, "grpc_code", &code)) code = 0;
    }
    return Error(code == 5 ? ErrorCode::kNotFound : ErrorCode::kIOError, kCall,
                 std::string(text) + ": " + OneLine(first));
  }
  int64_t ttl = 0;
  if (!Int(result, "TTL", &ttl))
    return Error(ErrorCode::kInternal, kCall, "unexpected answer: " + OneLine(*body));
  // An expired or unknown lease comes back without a TTL (or with 0).
  if (ttl <= 0)
    return Error(ErrorCode::kNotFound, kCall, "lease " + std::to_string(lease) + " expired or unknown");
  return ttl;
}

Status Etcd::Revoke(int64_t lease) {
  auto body = Post("lease/revoke", R"({"ID":)" + Int64Str(lease) + "}");
  return body.ok() ? Status::Ok() : body.status();
}

StatusOr<std::optional<EtcdKv>> Etcd::Get(std::string_view key, int64_t* revision) {
  constexpr std::string_view kCall = "kv/range";
  auto body = Post(kCall, R"({"key":)" + Quoted(B64(key)) + "}");
  if (!body.ok()) return body.status();
  dom::parser parser;
  dom::object o;
  int64_t rev = 0;
  std::optional<EtcdKv> kv;
  if (!Object(parser, *body, &o) || !HeaderRevision(o, &rev) || !FirstKv(o, &kv))
    return Error(ErrorCode::kInternal, kCall, "unexpected answer: " + OneLine(*body));
  if (revision) *revision = rev;
  return kv;
}

StatusOr<Etcd::CampaignResult> Etcd::CreateIfAbsent(std::string_view key, std::string_view value,
                                                     int64_t lease) {
  constexpr std::string_view kCall = "kv/txn";
  std::string k = B64(key);
  std::string put = R"({"key":)" + Quoted(k) + R"(,"value":)" + Quoted(B64(value));
  if (lease != 0) put += R"(,"lease":)" + Int64Str(lease);
  put += "}";
  auto body = Post(kCall, R"({"compare":[)" + CompareCreate(k, 0) + R"(],"success":[{"requestPut":)" + put +
                              R"(}],"failure":[{"requestRange":{"key":)" + Quoted(k) + "}}]}");
  if (!body.ok()) return body.status();
  dom::parser parser;
  dom::object o;
  CampaignResult r;
  int64_t rev = 0;
  if (!Object(parser, *body, &o) || !HeaderRevision(o, &rev))
    return Error(ErrorCode::kInternal, kCall, "unexpected answer: " + OneLine(*body));
  r.won = Succeeded(o);
  if (r.won) {
    // The txn's header revision is the one its put created: our key's.
    r.revision = rev;
    return r;
  }
  // Lost: responses[0].response_range holds the key as the txn saw it.
  dom::array responses;
  dom::object range;
  std::optional<EtcdKv> holder;
  if (o.at_key("responses").get(responses) || responses.size() != 1 ||
      responses.at(0).at_key("response_range").get(range) || !FirstKv(range, &holder) || !holder)
    return Error(ErrorCode::kInternal, kCall, "lost, but no holder in the answer: " + OneLine(*body));
  r.holder = std::move(*holder);
  return r;
}

Status Etcd::Put(std::string_view key, std::string_view value, int64_t lease) {
  std::string req = R"({"key":)" + Quoted(B64(key)) + R"(,"value":)" + Quoted(B64(value));
  if (lease != 0) req += R"(,"lease":)" + Int64Str(lease);
  req += "}";
  auto body = Post("kv/put", req);
  return body.ok() ? Status::Ok() : body.status();
}

Status Etcd::DeleteIf(std::string_view key, int64_t create_revision, bool* deleted) {
  constexpr std::string_view kCall = "kv/txn";
  std::string k = B64(key);
  auto body = Post(kCall, R"({"compare":[)" + CompareCreate(k, create_revision) +
                              R"(],"success":[{"requestDeleteRange":{"key":)" + Quoted(k) + "}}]}");
  if (!body.ok()) return body.status();
  dom::parser parser;
  dom::object o;
  if (!Object(parser, *body, &o))
    return Error(ErrorCode::kInternal, kCall, "unexpected answer: " + OneLine(*body));
  if (deleted) *deleted = Succeeded(o);
  return Status::Ok();
}

}  // namespace corpex::cluster
