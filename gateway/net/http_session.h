// gateway/net/http_session.h — HTTP(S) on the exchange's port.
//
// Serves GET /health (200 "ok"), GET /metrics (Prometheus text) and the web
// console's files (web_root.h), and hands
// a WebSocket upgrade on /v1 to a WsSession over the same stream. Request
// bodies are limited and every read has a deadline (as in Beast's
// advanced_server). With TLS the session first completes the handshake.
//
// Lifetime: owned by its pending async operations. `Stream` is PlainStream or
// TlsStream (plain_ws_session.h, tls_ws_session.h); both are instantiated in
// http_session.cc.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <memory>
#include <optional>

#include "gateway/config.h"
#include "gateway/sequencer/exchange.h"
#include "gateway/metrics.h"
#include "gateway/net/web_root.h"
#include "gateway/net/plain_ws_session.h"
#include "gateway/net/tls_ws_session.h"

namespace corpex::gw {

template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Stream&& stream, Exchange& exchange, Metrics& metrics, const Limits& limits,
              const WebRoot& web, std::atomic<uint64_t>& next_session_id);
  void Run();

 private:
  void OnHandshake(boost::beast::error_code ec);
  void DoRead();
  void OnRead(boost::beast::error_code ec, std::size_t bytes);
  void OnWrite(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  void DoShutdown();

  Stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<boost::beast::http::response<boost::beast::http::string_body>> res_;
  Exchange& exchange_;
  Metrics& metrics_;
  const Limits& limits_;
  const WebRoot& web_;
  std::atomic<uint64_t>& next_session_id_;
};

}  // namespace corpex::gw
