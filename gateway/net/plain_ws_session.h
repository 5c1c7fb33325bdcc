// gateway/net/plain_ws_session.h — a ws:// session that reads and frames its
// socket itself.
//
// Reads: a WsReader (ws_reader.h) yields every whole frame of a read at once;
// the requests of one read go to the exchange together (one turn), and the
// session answers pings and runs the close handshake itself. Writes: frames
// are framed straight into a write-behind buffer (write_behind.h) that leaves
// in one socket write while the previous one is in flight; the session's own
// control frames pass through the same buffer, so nothing interleaves. The
// backlog is bounded (send_queue x 2 KiB unsent): a client that lets it fill
// up (a slow consumer) is disconnected.
#pragma once

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <vector>

#include "gateway/net/write_behind.h"
#include "gateway/net/ws_reader.h"
#include "gateway/net/ws_session.h"

namespace corpex::gw {

using PlainStream = boost::beast::tcp_stream;

class PlainWsSession final : public WsSessionBase {
 public:
  PlainWsSession(PlainStream&& stream, Exchange& exchange, Metrics& metrics, const Limits& limits,
                 uint64_t id);

  // Completes the upgrade `req` asked for.
  void Run(boost::beast::http::request<boost::beast::http::string_body> req) { Accept(ws_, std::move(req)); }

 private:
  void DoRead() override;
  void OnRead(boost::beast::error_code ec, std::size_t bytes);
  // The requests of one read go to the exchange together, before anything
  // the session itself answers (a pong, a close) and at the read's end.
  void SubmitStaged();
  void SendControl(unsigned char opcode, std::string_view payload);
  void SendClose(uint16_t code);  // 1005: a close frame without a code
  void CloseSocketAfterFlush();
  void CutOff();

  void Transmit(Frames frames) override;
  void DoClose(boost::beast::websocket::close_code code) override;
  bool Writing() const override { return false; }  // the buffer keeps order by itself

  boost::beast::websocket::stream<WriteBehind<PlainStream>> ws_;
  WsReader reader_;
  // Decoded, not yet submitted; keeps its capacity, so bounded: a 16 KiB read
  // of empty frames would otherwise hold ~2,700 requests of 832 bytes.
  static constexpr size_t kMaxStaged = 64;
  std::vector<Inbound> staged_;
  bool close_sent_ = false;  // our close frame is on its way
};

}  // namespace corpex::gw
