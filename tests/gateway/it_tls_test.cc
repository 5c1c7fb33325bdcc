// TLS: with "tls" in the config the port speaks wss:// and https:// only.
#include <boost/asio/ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <catch2/catch.hpp>

#include "gateway/protocol/auth.h"
#include "harness.h"

using namespace corpex::test;
namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;

TEST_CASE("wss login and https health with a self-signed certificate", "[it][tls]") {
  Daemon d("", true);
  REQUIRE(d.Start());
  net::io_context ioc;
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_verify_mode(ssl::verify_none);  // self-signed, made by the test

  {
    websocket::stream<ssl::stream<net::ip::tcp::socket>> ws(ioc, ctx);
    beast::get_lowest_layer(ws).connect({net::ip::make_address("127.0.0.1"), d.port()});
    ws.next_layer().handshake(ssl::stream_base::client);
    ws.handshake("127.0.0.1", "/v1");
    int64_t ts = NowMs();
    std::string sig = corpex::HmacSha256Hex(kOpsSecret, "ops\n" + std::to_string(ts) + "\ntls-n");
    json::object login{{"id", 1}, {"op", "login"}, {"user", "ops"}, {"ts", ts},
                       {"nonce", "tls-n"}, {"sig", sig}};
    ws.write(net::buffer(json::serialize(login)));
    beast::flat_buffer buf;
    ws.read(buf);
    json::object r = json::parse(beast::buffers_to_string(buf.data())).as_object();
    CHECK(Code(r) == "");
    CHECK(r.at("result").as_object().at("role").as_string() == "operator");
  }
  {
    beast::ssl_stream<beast::tcp_stream> s(ioc, ctx);
    beast::get_lowest_layer(s).connect({net::ip::make_address("127.0.0.1"), d.port()});
    s.handshake(ssl::stream_base::client);
    http::request<http::empty_body> req(http::verb::get, "/health", 11);
    req.set(http::field::host, "127.0.0.1");
    http::write(s, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(s, buf, res);
    CHECK(res.result_int() == 200);
    CHECK(res.body() == "ok\n");
  }
  // A plain client gets nowhere on a TLS port.
  Client plain(d.port(), 2000);
  CHECK(!plain.connected());
}
