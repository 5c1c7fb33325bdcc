// gateway/net/ws_session.h — one WebSocket client on /v1.
//
// Beast style (chat-multi's websocket_session): the handlers of one session
// never run concurrently: its socket's executor is a strand of its own when
// several I/O threads serve, the io_context's when one does (the default;
// listener.h). "The session's strand" below means either. Over plain TCP
// the session frames its messages itself straight into a write-behind buffer
// (gateway/net/write_behind.h) that leaves in one socket write while the previous
// one is in flight; over TLS one Beast write is in flight at a time and later
// frames wait in a queue. Either way the backlog is bounded (send_queue
// frames, or send_queue x 2 KiB unsent), and a client that lets it fill up
// (a slow consumer) is disconnected. Over plain TCP the session also reads
// its socket itself: a WsReader (ws_reader.h) yields every whole frame of a
// read at once, and the session answers pings and runs the close handshake;
// over TLS Beast reads, one message per operation. Frames are decoded
// here, on the I/O threads, and only decoded Requests go to the Exchange.
// A session that has not logged in within 5 s is closed, and so is one that
// sends nothing, not even a ping, for limits.idle_timeout_s (the session's
// own check, five times per timeout: Beast's idle timeout re-arms a timer on
// every message).
//
// Lifetime: owned by its pending async operations (shared_from_this); the
// Exchange holds it only by weak_ptr, as an Outlet. `Stream` is
// beast::tcp_stream or beast::ssl_stream<beast::tcp_stream> (both are
// instantiated in ws_session.cc).
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>

#include "gateway/config.h"
#include "gateway/sequencer/exchange.h"
#include "gateway/metrics.h"
#include "gateway/net/outlet.h"
#include "gateway/protocol/request.h"
#include "gateway/net/ws_reader.h"
#include "gateway/net/write_behind.h"

namespace corpex::gw {

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// What the websocket runs on: plain TCP gathers queued frames into one write
// (write_behind.h); TLS still writes one record per frame (not measured yet).
template <class Stream>
struct WsLayer {
  using type = Stream;
};
template <>
struct WsLayer<PlainStream> {
  using type = WriteBehind<PlainStream>;
};

template <class Stream>
class WsSession : public Outlet, public std::enable_shared_from_this<WsSession<Stream>> {
 public:
  WsSession(Stream&& stream, Exchange& exchange, Metrics& metrics, const Limits& limits,
            uint64_t id);
  ~WsSession() override;

  // Completes the upgrade `req` asked for.
  void Run(boost::beast::http::request<boost::beast::http::string_body> req);

  void SendAll(Frames frames) override;

  // Plain TCP sessions write their frames into the write-behind layer
  // themselves (ws_session.cc); TLS sessions queue them for Beast.
  static constexpr bool kDirectWrites = std::is_same_v<typename WsLayer<Stream>::type, WriteBehind<PlainStream>>;
  void Close() override;
  void LoggedIn() override;

 private:
  void OnAccept(boost::beast::error_code ec);
  void DoRead();
  void OnRead(boost::beast::error_code ec, std::size_t bytes);
  void Deliver(std::string_view frame);
  void DrainOutbox();  // on the session's executor: writes what SendAll queued
  // Plain TCP: the requests of one read go to the exchange together, before
  // anything the session itself answers (a pong, a close) and at the read's end.
  void SubmitStaged();
  void ReadLoopEnded();
  // Plain TCP: the session's own reads, control frames and close handshake.
  void DoRawRead();
  void OnRawRead(boost::beast::error_code ec, std::size_t bytes);
  void SendControl(unsigned char opcode, std::string_view payload);
  void SendClose(uint16_t code);  // 1005: a close frame without a code
  void CloseSocketAfterFlush();
  void DoWrite();
  void OnWrite(boost::beast::error_code ec, std::size_t bytes);
  void DoClose(boost::beast::websocket::close_code code);
  void OnDeadline(boost::beast::error_code ec);
  void ArmIdleCheck();
  void OnIdleCheck(boost::beast::error_code ec);

  boost::beast::websocket::stream<typename WsLayer<Stream>::type> ws_;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer login_timer_;
  // Silence: a check every idle_check_ that finds reads_ (messages and
  // control frames) unchanged counts; kIdleChecks in a row close the session.
  static constexpr int kIdleChecks = 5;
  boost::asio::steady_timer idle_timer_;
  const std::chrono::milliseconds idle_check_;
  uint64_t reads_ = 0;
  uint64_t reads_at_check_ = 0;
  int silent_checks_ = 0;
  Exchange& exchange_;
  Metrics& metrics_;
  const size_t queue_limit_;
  const uint64_t id_;
  RequestDecoder decoder_;
  // Decoded, not yet submitted; keeps its capacity, so bounded: a 16 KiB read
  // of empty frames would otherwise hold ~2,700 requests of 832 bytes.
  static constexpr size_t kMaxStaged = 64;
  std::vector<Inbound> staged_;
  WsReader reader_;
  bool close_sent_ = false;  // plain TCP: our close frame is on its way
  std::mutex outbox_mu_;  // SendAll runs on whichever thread holds the exchange's turn
  Frames outbox_;
  bool drain_posted_ = false;
  std::deque<std::shared_ptr<const std::string>> queue_;
  bool logged_in_ = false;
  bool close_after_writes_ = false;
  bool closing_ = false;
  bool opened_ = false;
};

}  // namespace corpex::gw
