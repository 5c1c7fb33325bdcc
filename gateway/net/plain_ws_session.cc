#include "gateway/net/plain_ws_session.h"

#include "gateway/net/ws_frame.h"

namespace corpex::gw {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

namespace {

// How much a session asks its socket for at a time: under load a read
// brings a burst of requests, all handled before the next read.
constexpr size_t kReadChunk = 16 << 10;

// RFC 6455 opcodes of the control frames the session sends itself.
constexpr unsigned char kOpClose = 0x8;
constexpr unsigned char kOpPong = 0xA;

}  // namespace

PlainWsSession::PlainWsSession(PlainStream&& stream, Exchange& exchange, Metrics& metrics,
                               const Limits& limits, uint64_t id)
    : WsSessionBase(stream.get_executor(), exchange, metrics, limits, id),
      ws_(std::move(stream)),
      reader_(MaxMessage(limits)) {
  ws_.read_message_max(MaxMessage(limits));
  // Bytes, not frames, are queued: send_queue frames of 2 KiB.
  ws_.next_layer().set_max_pending(size_t{limits.send_queue} * 2048);
}

void PlainWsSession::DoRead() {
  std::span<char> room = reader_.Prepare(kReadChunk);
  beast::get_lowest_layer(ws_).socket().async_read_some(
      net::buffer(room.data(), room.size()),
      beast::bind_front_handler(&PlainWsSession::OnRead, self<PlainWsSession>()));
}

void PlainWsSession::OnRead(beast::error_code ec, std::size_t bytes) {
  if (ec) return ReadLoopEnded();
  reader_.Commit(bytes);
  const int64_t read_ns = SteadyNowNs();
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
        in.request.read_ns = read_ns;
        in.request.decoded_ns = SteadyNowNs();
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
  DoRead();
}

void PlainWsSession::SubmitStaged() {
  if (staged_.empty()) return;
  exchange_.SubmitAll(staged_);
  staged_.clear();
}

void PlainWsSession::SendControl(unsigned char opcode, std::string_view payload) {
  const char head[2] = {static_cast<char>(0x80 | opcode), static_cast<char>(payload.size())};
  if (!ws_.next_layer().Append(std::string_view(head, 2), payload)) CutOff();  // failed or far behind
}

void PlainWsSession::SendClose(uint16_t code) {
  close_sent_ = true;
  closing_ = true;
  const char body[2] = {static_cast<char>(code >> 8), static_cast<char>(code)};
  SendControl(kOpClose, std::string_view(body, code == 1005 ? 0 : 2));
  ws_.next_layer().Kick();
}

void PlainWsSession::CloseSocketAfterFlush() {
  ws_.next_layer().AsyncFlush([self = self<PlainWsSession>()](beast::error_code) {
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(self->ws_).socket();
    socket.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  });
}

void PlainWsSession::CutOff() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

void PlainWsSession::Transmit(Frames frames) {
  // Frames go straight into the write-behind buffer: no Beast write
  // operation, and no handler, per frame.
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
      return CutOff();
    }
  }
  out.Kick();
  if (close_after_writes_ && !closing_) DoClose(websocket::close_code::normal);
}

void PlainWsSession::DoClose(websocket::close_code code) {
  if (closing_ || !opened_) return;
  // The peer answers with its close frame (OnRead then shuts the
  // connection); one that does not is cut off after Beast's close timeout.
  SendClose(static_cast<uint16_t>(code));
  idle_timer_.expires_after(
      websocket::stream_base::timeout::suggested(beast::role_type::server).handshake_timeout);
  idle_timer_.async_wait([self = self<PlainWsSession>()](beast::error_code ec) {
    if (!ec) self->CutOff();
  });
}

}  // namespace corpex::gw
