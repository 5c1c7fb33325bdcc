// gateway/net/tls_ws_session.h — a wss:// session: Beast reads and writes.
//
// Beast reads one message per operation (its reader answers pings and runs
// the close handshake); one write is in flight at a time and later frames
// wait in a queue of at most send_queue frames: a client that lets it fill
// up (a slow consumer) is disconnected. (TLS writes one record per frame;
// gathering them as the plain session does is not measured yet.)
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>

#include "gateway/net/ws_session.h"

namespace corpex::gw {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

class TlsWsSession final : public WsSessionBase {
 public:
  TlsWsSession(TlsStream&& stream, Exchange& exchange, Metrics& metrics, const Limits& limits,
               uint64_t id);

  // Completes the upgrade `req` asked for.
  void Run(boost::beast::http::request<boost::beast::http::string_body> req) { Accept(ws_, std::move(req)); }

 private:
  void DoRead() override;
  void OnRead(boost::beast::error_code ec, std::size_t bytes);
  void DoWrite();
  void OnWrite(boost::beast::error_code ec, std::size_t bytes);

  void Transmit(Frames frames) override;
  void DoClose(boost::beast::websocket::close_code code) override;
  bool Writing() const override { return !queue_.empty(); }

  boost::beast::websocket::stream<TlsStream> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
};

}  // namespace corpex::gw
