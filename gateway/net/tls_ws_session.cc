#include "gateway/net/tls_ws_session.h"

namespace corpex::gw {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

TlsWsSession::TlsWsSession(TlsStream&& stream, Exchange& exchange, Metrics& metrics,
                           const Limits& limits, uint64_t id)
    : WsSessionBase(stream.get_executor(), exchange, metrics, limits, id), ws_(std::move(stream)) {
  ws_.read_message_max(MaxMessage(limits));
}

void TlsWsSession::DoRead() {
  ws_.async_read(buffer_, beast::bind_front_handler(&TlsWsSession::OnRead, self<TlsWsSession>()));
}

void TlsWsSession::OnRead(beast::error_code ec, std::size_t) {
  if (ec) return ReadLoopEnded();
  ++reads_;
  auto data = buffer_.cdata();
  Deliver(std::string_view(static_cast<const char*>(data.data()), data.size()));
  buffer_.consume(buffer_.size());
  DoRead();
}

void TlsWsSession::Transmit(Frames frames) {
  bool idle = queue_.empty();
  for (Frame& frame : frames) {
    if (closing_ || close_after_writes_) break;
    if (!frame) {
      close_after_writes_ = true;
      break;
    }
    if (queue_.size() >= queue_limit_) {
      // A slow consumer: drop it rather than buffer without bound.
      metrics_.slow_consumers.fetch_add(1, std::memory_order_relaxed);
      closing_ = true;
      queue_.clear();
      beast::error_code ignored;
      beast::get_lowest_layer(ws_).socket().close(ignored);
      return;
    }
    queue_.push_back(std::move(frame));
  }
  if (closing_) return;
  if (idle && !queue_.empty()) DoWrite();
  else if (close_after_writes_ && queue_.empty()) DoClose(websocket::close_code::normal);
}

void TlsWsSession::DoWrite() {
  ws_.text(true);
  ws_.async_write(net::buffer(*queue_.front()),
                  beast::bind_front_handler(&TlsWsSession::OnWrite, self<TlsWsSession>()));
}

void TlsWsSession::OnWrite(beast::error_code ec, std::size_t) {
  if (ec) {
    closing_ = true;
    queue_.clear();
    return;
  }
  queue_.pop_front();
  if (!queue_.empty()) return DoWrite();
  if (close_after_writes_) DoClose(websocket::close_code::normal);
}

void TlsWsSession::DoClose(websocket::close_code code) {
  if (closing_ || !opened_) return;
  if (!queue_.empty()) {  // one write at a time: close after the queue drains
    close_after_writes_ = true;
    return;
  }
  closing_ = true;
  ws_.async_close(code, [self = self<TlsWsSession>()](beast::error_code) {});
}

}  // namespace corpex::gw
