#include "gateway/net/listener.h"

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include "gateway/net/http_session.h"

namespace corpex::gw {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, uint32_t io_threads, Exchange& exchange, Metrics& metrics,
                   const Limits& limits, const WebRoot& web, std::shared_ptr<net::ssl::context> tls)
    : ioc_(ioc),
      one_thread_(io_threads <= 1),
      acceptor_(net::make_strand(ioc)),
      exchange_(exchange),
      metrics_(metrics),
      limits_(limits),
      web_(web),
      tls_(std::move(tls)) {}

Status Listener::Listen(const std::string& host, uint16_t port) {
  beast::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) return Status(ErrorCode::kBadRequest, "bad listen address " + host);
  tcp::endpoint endpoint(address, port);
  auto fail = [&](const char* what) {
    return Status(ErrorCode::kInternal, std::string(what) + " " + host + ":" +
                                            std::to_string(port) + ": " + ec.message());
  };
  if (acceptor_.open(endpoint.protocol(), ec)) return fail("open");
  if (acceptor_.set_option(net::socket_base::reuse_address(true), ec)) return fail("reuse");
  if (acceptor_.bind(endpoint, ec)) return fail("bind");
  if (acceptor_.listen(net::socket_base::max_listen_connections, ec)) return fail("listen");
  return Status::Ok();
}

uint16_t Listener::port() const {
  beast::error_code ec;
  return acceptor_.local_endpoint(ec).port();
}

void Listener::Stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor_.close(ec);
  });
}

void Listener::DoAccept() {
  auto executor = one_thread_ ? net::any_io_executor(ioc_.get_executor())
                             : net::any_io_executor(net::make_strand(ioc_));
  acceptor_.async_accept(executor, beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  // A response and its execution event are two small writes: without
  // TCP_NODELAY, Nagle holds the second until the peer's delayed ACK (~40 ms).
  if (!ec) socket.set_option(tcp::no_delay(true), ec);
  if (!ec && tls_) {
    std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), *tls_), exchange_, metrics_,
                                             limits_, web_, next_session_id_)
        ->Run();
  } else if (!ec) {
    std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), exchange_, metrics_,
                                               limits_, web_, next_session_id_)
        ->Run();
  }
  DoAccept();
}

}  // namespace corpex::gw
