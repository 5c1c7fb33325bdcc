// gateway/net/listener.h — accepts TCP connections on the configured address.
//
// Each accepted socket starts as an HttpSession (TLS when configured), which
// upgrades /v1 to a WebSocket. With several I/O threads each socket gets a
// strand of its own (make_strand); with one thread (the default) the thread
// itself keeps a session's handlers apart, and a strand would only add a
// locked queue and a second hop to every completion.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <atomic>
#include <memory>

#include "corpex/status.h"
#include "gateway/config.h"
#include "gateway/sequencer/exchange.h"
#include "gateway/metrics.h"
#include "gateway/net/web_root.h"

namespace corpex::gw {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // `tls`: null for plain ws:// and http://.
  // `io_threads`: how many threads run `ioc`.
  Listener(boost::asio::io_context& ioc, uint32_t io_threads, Exchange& exchange, Metrics& metrics,
           const Limits& limits, const WebRoot& web, std::shared_ptr<boost::asio::ssl::context> tls);
  Status Listen(const std::string& host, uint16_t port);
  uint16_t port() const;
  void Run() { DoAccept(); }
  void Stop();

 private:
  void DoAccept();
  void OnAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  const bool one_thread_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Exchange& exchange_;
  Metrics& metrics_;
  const Limits& limits_;
  const WebRoot& web_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::atomic<uint64_t> next_session_id_{1};
};

}  // namespace corpex::gw
