#include "gateway/net/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <type_traits>

namespace corpex::gw {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

template <class Stream>
HttpSession<Stream>::HttpSession(Stream&& stream, Exchange& exchange, Metrics& metrics,
                                 const Limits& limits, const WebRoot& web,
                                 std::atomic<uint64_t>& next_session_id)
    : stream_(std::move(stream)),
      exchange_(exchange),
      metrics_(metrics),
      limits_(limits),
      web_(web),
      next_session_id_(next_session_id) {}

template <class Stream>
void HttpSession<Stream>::Run() {
  auto self = this->shared_from_this();
  net::dispatch(beast::get_lowest_layer(stream_).get_executor(), [self] {
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      beast::get_lowest_layer(self->stream_).expires_after(std::chrono::seconds(10));
      self->stream_.async_handshake(net::ssl::stream_base::server,
                                    beast::bind_front_handler(&HttpSession::OnHandshake, self));
    } else {
      self->DoRead();
    }
  });
}

template <class Stream>
void HttpSession<Stream>::OnHandshake(beast::error_code ec) {
  if (ec) return;
  DoRead();
}

template <class Stream>
void HttpSession<Stream>::DoRead() {
  parser_.emplace();
  parser_->body_limit(8192);
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::OnRead, this->shared_from_this()));
}

template <class Stream>
void HttpSession<Stream>::DoShutdown() {
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
  } else {
    beast::error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  }
}

template <class Stream>
void HttpSession<Stream>::OnRead(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return DoShutdown();
  if (ec) return;
  auto& req = parser_->get();
  if (beast::websocket::is_upgrade(req) && req.target() == "/v1") {
    beast::get_lowest_layer(stream_).expires_never();
    using Ws = std::conditional_t<std::is_same_v<Stream, PlainStream>, PlainWsSession, TlsWsSession>;
    auto ws = std::make_shared<Ws>(std::move(stream_), exchange_, metrics_, limits_,
                                   next_session_id_.fetch_add(1));
    ws->Run(parser_->release());
    return;
  }
  res_ = std::make_shared<http::response<http::string_body>>();
  res_->version(req.version());
  res_->set(http::field::server, "corpexd");
  res_->keep_alive(req.keep_alive());
  if (req.method() == http::verb::get && req.target() == "/health") {
    res_->result(http::status::ok);
    res_->set(http::field::content_type, "text/plain");
    res_->body() = "ok\n";
  } else if (req.method() == http::verb::get && req.target() == "/metrics") {
    res_->result(http::status::ok);
    res_->set(http::field::content_type, "text/plain; version=0.0.4");
    res_->body() = metrics_.Render();
  } else if (const WebFile* f = (req.method() == http::verb::get || req.method() == http::verb::head)
                                     ? web_.Find(req.target())
                                     : nullptr) {
    res_->result(http::status::ok);
    res_->set(http::field::content_type, f->content_type);
    res_->set(http::field::cache_control, f->immutable ? "public, max-age=31536000, immutable" : "no-cache");
    res_->set("X-Content-Type-Options", "nosniff");
    res_->set("Content-Security-Policy",
              "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
              "frame-ancestors 'none'");
    if (req.method() == http::verb::get) res_->body() = f->body;
  } else {
    res_->result(http::status::not_found);
    res_->set(http::field::content_type, "text/plain");
    res_->body() = "not found\n";
  }
  res_->prepare_payload();
  http::async_write(stream_, *res_,
                    beast::bind_front_handler(&HttpSession::OnWrite, this->shared_from_this(),
                                              res_->keep_alive()));
}

template <class Stream>
void HttpSession<Stream>::OnWrite(bool keep_alive, beast::error_code ec, std::size_t) {
  if (ec) return;
  if (!keep_alive) return DoShutdown();
  res_.reset();
  DoRead();
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

}  // namespace corpex::gw
