// gateway/net/ws_session.h — what every WebSocket client session on /v1 shares.
//
// Beast style (chat-multi's websocket_session): the handlers of one session
// never run concurrently: its socket's executor is a strand of its own when
// several I/O threads serve, the io_context's when one does (the default;
// listener.h). "The session's executor" below means either. Frames are
// decoded on the I/O threads and only decoded Requests go to the Exchange.
// A session that has not logged in within 5 s is closed, and so is one that
// sends nothing, not even a ping, for limits.idle_timeout_s (the session's
// own check, five times per timeout: Beast's idle timeout re-arms a timer on
// every message).
//
// Frames for the client arrive through SendAll from whichever thread holds
// the exchange's turn (docs/ARCHITECTURE.md): they join the outbox under its
// mutex, in emit order, and one handler on the session's executor hands them
// to the transport (DrainOutbox). Two transports derive from this base:
// PlainWsSession (plain_ws_session.h: reads and frames its socket itself)
// and TlsWsSession (tls_ws_session.h: Beast reads and writes).
//
// Lifetime: owned by its pending async operations (shared_from_this); the
// Exchange holds it only by weak_ptr, as an Outlet.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <memory>
#include <mutex>

#include "gateway/config.h"
#include "gateway/metrics.h"
#include "gateway/net/outlet.h"
#include "gateway/protocol/request.h"
#include "gateway/sequencer/exchange.h"

namespace corpex::gw {

class WsSessionBase : public Outlet, public std::enable_shared_from_this<WsSessionBase> {
 public:
  ~WsSessionBase() override;
  WsSessionBase(const WsSessionBase&) = delete;
  WsSessionBase& operator=(const WsSessionBase&) = delete;

  void SendAll(Frames frames, Released released) override;
  void Close() override;
  void LoggedIn() override;

 protected:
  WsSessionBase(boost::asio::any_io_executor executor, Exchange& exchange, Metrics& metrics,
                const Limits& limits, uint64_t id);

  // The largest message a session reads: frames a little over the limit get
  // a TOO_LARGE answer and the session goes on; far larger ones close it (1009).
  static size_t MaxMessage(const Limits& limits);

  // Configures `ws` and completes the upgrade `req` asked for; then
  // OnAccept tells the exchange, arms the login and idle timers and starts
  // the transport's reads.
  template <class Ws>
  void Accept(Ws& ws, boost::beast::http::request<boost::beast::http::string_body> req);
  // The read loop ends exactly once per session: tell the exchange.
  void ReadLoopEnded();
  // One decoded request to the exchange on its own.
  void Deliver(std::string_view frame);

  // The transport: its read loop, what DrainOutbox hands the frames to, and
  // how it closes.
  virtual void DoRead() = 0;
  virtual void Transmit(Frames frames) = 0;
  virtual void DoClose(boost::beast::websocket::close_code code) = 0;
  // True while frames are still waiting to be written (Close waits for them).
  virtual bool Writing() const = 0;

  template <class Self>
  std::shared_ptr<Self> self() {
    return std::static_pointer_cast<Self>(shared_from_this());
  }

  Exchange& exchange_;
  Metrics& metrics_;
  const size_t queue_limit_;
  const uint64_t id_;
  RequestDecoder decoder_;
  uint64_t reads_ = 0;  // messages and control frames, for the idle check
  bool logged_in_ = false;
  bool close_after_writes_ = false;
  bool closing_ = false;
  bool opened_ = false;
  boost::asio::steady_timer idle_timer_;

 private:
  // Server options every session's websocket stream takes (timeouts, a
  // control callback that counts pings as words, the Server header).
  template <class Ws>
  void ConfigureStream(Ws& ws);
  void OnAccept(boost::beast::error_code ec);
  void DrainOutbox();
  void OnDeadline(boost::beast::error_code ec);
  void ArmIdleCheck();
  void OnIdleCheck(boost::beast::error_code ec);

  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer login_timer_;
  // Silence: a check every idle_check_ that finds reads_ unchanged counts;
  // kIdleChecks in a row close the session.
  static constexpr int kIdleChecks = 5;
  const std::chrono::milliseconds idle_check_;
  uint64_t reads_at_check_ = 0;
  int silent_checks_ = 0;
  std::mutex outbox_mu_;  // SendAll runs on whichever thread holds the exchange's turn
  Frames outbox_;
  Released outbox_released_;  // the acks among outbox_, the oldest's durable time
  bool drain_posted_ = false;
};

template <class Ws>
void WsSessionBase::Accept(Ws& ws, boost::beast::http::request<boost::beast::http::string_body> req) {
  ConfigureStream(ws);
  ws.async_accept(req, boost::beast::bind_front_handler(&WsSessionBase::OnAccept, shared_from_this()));
}

template <class Ws>
void WsSessionBase::ConfigureStream(Ws& ws) {
  namespace websocket = boost::beast::websocket;
  // Beast's handshake and close timeouts; its idle timeout cancels and
  // re-arms a timer per message read (~3 % of corpexd's CPU flat out), so
  // the session checks for silence itself, a few times per timeout.
  auto timeouts = websocket::stream_base::timeout::suggested(boost::beast::role_type::server);
  timeouts.idle_timeout = websocket::stream_base::none();
  ws.set_option(timeouts);
  // A ping (or pong) from the client is a word too: clients that keep an idle
  // connection alive the WebSocket way stay connected.
  ws.control_callback([this](websocket::frame_type, boost::beast::string_view) { ++reads_; });
  ws.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(boost::beast::http::field::server, "corpexd"); }));
}

}  // namespace corpex::gw
