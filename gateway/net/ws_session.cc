#include "gateway/net/ws_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <chrono>

#include "gateway/net/ws_frame.h"

namespace corpex::gw {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {

size_t MaxMessage(const Limits& limits) {
  return std::max<size_t>(size_t{limits.max_frame_bytes} * 4, 1 << 16);
}

// How much a plain session asks its socket for at a time: under load a
// read brings a burst of requests, all handled before the next read.
constexpr size_t kReadChunk = 16 << 10;

// RFC 6455 opcodes of the control frames the session sends itself.
constexpr unsigned char kOpClose = 0x8;
constexpr unsigned char kOpPong = 0xA;

}  // namespace

template <class Stream>
WsSession<Stream>::WsSession(Stream&& stream, Exchange& exchange, Metrics& metrics,
                             const Limits& limits, uint64_t id)
    : ws_(std::move(stream)),
      login_timer_(ws_.get_executor()),
      idle_timer_(ws_.get_executor()),
      idle_check_(std::chrono::milliseconds(uint64_t{limits.idle_timeout_s} * 1000 / kIdleChecks)),
      exchange_(exchange),
      metrics_(metrics),
      queue_limit_(limits.send_queue),
      id_(id),
      decoder_(limits.max_frame_bytes),
      // Frames a little over the limit get a TOO_LARGE answer and the session
      // goes on; only far larger ones are refused, closing with 1009.
      reader_(MaxMessage(limits)) {
  ws_.read_message_max(MaxMessage(limits));
  // Plain sessions queue bytes, not frames: send_queue frames of 2 KiB.
  if constexpr (kDirectWrites) ws_.next_layer().set_max_pending(size_t{limits.send_queue} * 2048);
}

template <class Stream>
WsSession<Stream>::~WsSession() = default;

template <class Stream>
void WsSession<Stream>::Run(beast::http::request<beast::http::string_body> req) {
  // Beast's handshake and close timeouts; its idle timeout cancels and
  // re-arms a timer per message read (~3 % of corpexd's CPU flat out), so
  // the session checks for silence itself, a few times per timeout.
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = websocket::stream_base::none();
  ws_.set_option(timeouts);
  // A ping (or pong) from the client is a word too: clients that keep an idle
  // connection alive the WebSocket way stay connected.
  ws_.control_callback([this](websocket::frame_type, beast::string_view) { ++reads_; });
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(beast::http::field::server, "corpexd"); }));
  ws_.async_accept(req, beast::bind_front_handler(&WsSession::OnAccept, this->shared_from_this()));
}

template <class Stream>
void WsSession<Stream>::OnAccept(beast::error_code ec) {
  if (ec) return;
  opened_ = true;
  metrics_.sessions.fetch_add(1, std::memory_order_relaxed);
  metrics_.sessions_total.fetch_add(1, std::memory_order_relaxed);
  Inbound in;
  in.type = Inbound::Type::kOpen;
  in.session = id_;
  in.outlet = std::weak_ptr<Outlet>(this->shared_from_this());
  exchange_.Submit(std::move(in));
  login_timer_.expires_after(std::chrono::seconds(5));
  login_timer_.async_wait(beast::bind_front_handler(&WsSession::OnDeadline, this->shared_from_this()));
  ArmIdleCheck();
  if constexpr (kDirectWrites) DoRawRead();
  else DoRead();
}

template <class Stream>
void WsSession<Stream>::ArmIdleCheck() {
  idle_timer_.expires_after(idle_check_);
  idle_timer_.async_wait(beast::bind_front_handler(&WsSession::OnIdleCheck, this->shared_from_this()));
}

template <class Stream>
void WsSession<Stream>::OnIdleCheck(beast::error_code ec) {
  if (ec || closing_) return;
  silent_checks_ = reads_ == reads_at_check_ ? silent_checks_ + 1 : 0;
  reads_at_check_ = reads_;
  if (silent_checks_ >= kIdleChecks) return DoClose(websocket::close_code::policy_error);
  ArmIdleCheck();
}

template <class Stream>
void WsSession<Stream>::OnDeadline(beast::error_code ec) {
  if (ec || logged_in_) return;
  DoClose(websocket::close_code::policy_error);
}

template <class Stream>
void WsSession<Stream>::DoRead() {
  ws_.async_read(buffer_, beast::bind_front_handler(&WsSession::OnRead, this->shared_from_this()));
}

template <class Stream>
void WsSession<Stream>::OnRead(beast::error_code ec, std::size_t) {
  if (ec) return ReadLoopEnded();
  ++reads_;
  auto data = buffer_.cdata();
  Deliver(std::string_view(static_cast<const char*>(data.data()), data.size()));
  buffer_.consume(buffer_.size());
  DoRead();
}

template <class Stream>
void WsSession<Stream>::Deliver(std::string_view frame) {
  Inbound in;
  in.type = Inbound::Type::kRequest;
  in.session = id_;
  in.request = decoder_.Decode(frame);
  exchange_.Submit(std::move(in));
}

template <class Stream>
void WsSession<Stream>::SubmitStaged() {
  if (staged_.empty()) return;
  exchange_.SubmitAll(staged_);
  staged_.clear();
}

// The read loop ends exactly once per session: tell the exchange.
template <class Stream>
void WsSession<Stream>::ReadLoopEnded() {
  login_timer_.cancel();
  idle_timer_.cancel();
  closing_ = true;
  metrics_.sessions.fetch_sub(1, std::memory_order_relaxed);
  Inbound in;
  in.type = Inbound::Type::kClosed;
  in.session = id_;
  exchange_.Submit(std::move(in));
}

template <class Stream>
void WsSession<Stream>::DoRawRead() {
  if constexpr (kDirectWrites) {  // only plain sessions have these layers
    std::span<char> room = reader_.Prepare(kReadChunk);
    beast::get_lowest_layer(ws_).socket().async_read_some(
        net::buffer(room.data(), room.size()),
        beast::bind_front_handler(&WsSession::OnRawRead, this->shared_from_this()));
  }
}

template <class Stream>
void WsSession<Stream>::OnRawRead(beast::error_code ec, std::size_t bytes) {
  if constexpr (kDirectWrites) {  // only plain sessions have these layers
    if (ec) return ReadLoopEnded();
    reader_.Commit(bytes);
    using Kind = WsReader::Event::Kind;
    for (;;) {
      WsReader::Event e = reader_.Next();
      if (e.kind == Kind::kNeedMore) break;
      ++reads_;
      if (e.kind == Kind::kMessage) {
        // After our close frame the peer's data is read and dropped (RFC 6455 1.4).
        if (!close_sent_) {
          Inbound& in = staged_.emplace_back();
          in.session = id_;
          in.request = decoder_.Decode(e.payload);
          if (staged_.size() == kMaxStaged) SubmitStaged();
        }
      } else if (e.kind == Kind::kPing) {
        SubmitStaged();
        if (!close_sent_) SendControl(kOpPong, e.payload);
      } else if (e.kind == Kind::kClose || e.kind == Kind::kFail) {
        SubmitStaged();
        // The peer's close answers ours, or we echo its code; a protocol
        // failure closes with its code. Either way the server shuts the
        // TCP connection first, once the close frame is out.
        if (!close_sent_) SendClose(e.code);
        CloseSocketAfterFlush();
        return ReadLoopEnded();
      }
    }
    SubmitStaged();
    ws_.next_layer().Kick();
    DoRawRead();
  }
}

template <class Stream>
void WsSession<Stream>::SendControl(unsigned char opcode, std::string_view payload) {
  if constexpr (kDirectWrites) {  // only plain sessions have these layers
    const char head[2] = {static_cast<char>(0x80 | opcode), static_cast<char>(payload.size())};
    if (!ws_.next_layer().Append(std::string_view(head, 2), payload)) {
      beast::error_code ignored;  // failed or far behind: nothing more to say
      beast::get_lowest_layer(ws_).socket().close(ignored);
    }
  }
}

template <class Stream>
void WsSession<Stream>::SendClose(uint16_t code) {
  if constexpr (kDirectWrites) {  // only plain sessions have these layers
    close_sent_ = true;
    closing_ = true;
    const char body[2] = {static_cast<char>(code >> 8), static_cast<char>(code)};
    SendControl(kOpClose, std::string_view(body, code == 1005 ? 0 : 2));
    ws_.next_layer().Kick();
  }
}

template <class Stream>
void WsSession<Stream>::CloseSocketAfterFlush() {
  if constexpr (kDirectWrites) {  // only plain sessions have these layers
    ws_.next_layer().AsyncFlush([self = this->shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      auto& socket = beast::get_lowest_layer(self->ws_).socket();
      socket.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
    });
  }
}

template <class Stream>
void WsSession<Stream>::SendAll(Frames frames) {
  // Frames join the outbox in the order the exchange emits them (always
  // under its turn) and one handler writes them in that order. A handler per
  // call was not enough: a post made on the I/O thread inside a handler
  // waits in Asio's thread-private queue until that handler returns, so a
  // later call from the storage writer thread could run first.
  {
    std::lock_guard<std::mutex> lock(outbox_mu_);
    if (outbox_.empty()) outbox_.swap(frames);
    else for (Frame& f : frames) outbox_.push_back(std::move(f));
    if (drain_posted_) return;
    drain_posted_ = true;
  }
  net::post(ws_.get_executor(), [self = this->shared_from_this()] { self->DrainOutbox(); });
}

template <class Stream>
void WsSession<Stream>::DrainOutbox() {
  Frames frames;
  {
    std::lock_guard<std::mutex> lock(outbox_mu_);
    frames.swap(outbox_);
    drain_posted_ = false;
  }
  if constexpr (kDirectWrites) {
    // Frames go straight into the write-behind buffer: no Beast write
    // operation, and no handler, per frame. The session's own control
    // frames (pong, close) pass through the same buffer on this strand,
    // so nothing interleaves.
    auto& out = ws_.next_layer();
    for (Frame& frame : frames) {
      if (closing_ || close_after_writes_) break;
      if (!frame) {
        close_after_writes_ = true;
        break;
      }
      char head[14];
      if (!out.Append(TextFrameHeader(frame->size(), head), *frame)) {
        metrics_.slow_consumers.fetch_add(1, std::memory_order_relaxed);
        closing_ = true;
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
        return;
      }
    }
    out.Kick();
    if (close_after_writes_ && !closing_) DoClose(websocket::close_code::normal);
    return;
  }
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

template <class Stream>
void WsSession<Stream>::Close() {
  net::post(ws_.get_executor(), [self = this->shared_from_this()] {
    self->close_after_writes_ = true;
    if (self->queue_.empty()) self->DoClose(websocket::close_code::normal);
  });
}

template <class Stream>
void WsSession<Stream>::LoggedIn() {
  net::post(ws_.get_executor(), [self = this->shared_from_this()] {
    self->logged_in_ = true;
    self->login_timer_.cancel();
  });
}

template <class Stream>
void WsSession<Stream>::DoWrite() {
  ws_.text(true);
  ws_.async_write(net::buffer(*queue_.front()),
                  beast::bind_front_handler(&WsSession::OnWrite, this->shared_from_this()));
}

template <class Stream>
void WsSession<Stream>::OnWrite(beast::error_code ec, std::size_t) {
  if (ec) {
    closing_ = true;
    queue_.clear();
    return;
  }
  queue_.pop_front();
  if (!queue_.empty()) return DoWrite();
  if (close_after_writes_) DoClose(websocket::close_code::normal);
}

template <class Stream>
void WsSession<Stream>::DoClose(websocket::close_code code) {
  if (closing_ || !opened_) return;
  if constexpr (kDirectWrites) {
    // The peer answers with its close frame (OnRawRead then shuts the
    // connection); one that does not is cut off after Beast's close timeout.
    SendClose(static_cast<uint16_t>(code));
    idle_timer_.expires_after(websocket::stream_base::timeout::suggested(beast::role_type::server).handshake_timeout);
    idle_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec) return;
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().close(ignored);
    });
    return;
  }
  if (!queue_.empty()) {  // one write at a time: close after the queue drains
    close_after_writes_ = true;
    return;
  }
  closing_ = true;
  ws_.async_close(code, [self = this->shared_from_this()](beast::error_code) {});
}

template class WsSession<PlainStream>;
template class WsSession<TlsStream>;

}  // namespace corpex::gw
