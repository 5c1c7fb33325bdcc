#include "gateway/net/ws_session.h"

#include <boost/asio/post.hpp>

namespace corpex::gw {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

WsSessionBase::WsSessionBase(net::any_io_executor executor, Exchange& exchange, Metrics& metrics,
                             const Limits& limits, uint64_t id)
    : exchange_(exchange),
      metrics_(metrics),
      queue_limit_(limits.send_queue),
      id_(id),
      decoder_(limits.max_frame_bytes),
      idle_timer_(executor),
      executor_(executor),
      login_timer_(executor),
      idle_check_(std::chrono::milliseconds(uint64_t{limits.idle_timeout_s} * 1000 / kIdleChecks)) {}

WsSessionBase::~WsSessionBase() = default;

size_t WsSessionBase::MaxMessage(const Limits& limits) {
  return std::max<size_t>(size_t{limits.max_frame_bytes} * 4, 1 << 16);
}

void WsSessionBase::OnAccept(beast::error_code ec) {
  if (ec) return;
  opened_ = true;
  metrics_.sessions.fetch_add(1, std::memory_order_relaxed);
  metrics_.sessions_total.fetch_add(1, std::memory_order_relaxed);
  Inbound in;
  in.type = Inbound::Type::kOpen;
  in.session = id_;
  in.outlet = std::weak_ptr<Outlet>(shared_from_this());
  exchange_.Submit(std::move(in));
  login_timer_.expires_after(std::chrono::seconds(5));
  login_timer_.async_wait(beast::bind_front_handler(&WsSessionBase::OnDeadline, shared_from_this()));
  ArmIdleCheck();
  DoRead();
}

void WsSessionBase::ArmIdleCheck() {
  idle_timer_.expires_after(idle_check_);
  idle_timer_.async_wait(beast::bind_front_handler(&WsSessionBase::OnIdleCheck, shared_from_this()));
}

void WsSessionBase::OnIdleCheck(beast::error_code ec) {
  if (ec || closing_) return;
  silent_checks_ = reads_ == reads_at_check_ ? silent_checks_ + 1 : 0;
  reads_at_check_ = reads_;
  if (silent_checks_ >= kIdleChecks) return DoClose(websocket::close_code::policy_error);
  ArmIdleCheck();
}

void WsSessionBase::OnDeadline(beast::error_code ec) {
  if (ec || logged_in_) return;
  DoClose(websocket::close_code::policy_error);
}

void WsSessionBase::Deliver(std::string_view frame) {
  Inbound in;
  in.type = Inbound::Type::kRequest;
  in.session = id_;
  const int64_t read_ns = SteadyNowNs();  // Beast read the whole message before this
  in.request = decoder_.Decode(frame);
  in.request.read_ns = read_ns;
  in.request.decoded_ns = SteadyNowNs();
  exchange_.Submit(std::move(in));
}

void WsSessionBase::ReadLoopEnded() {
  login_timer_.cancel();
  idle_timer_.cancel();
  closing_ = true;
  metrics_.sessions.fetch_sub(1, std::memory_order_relaxed);
  Inbound in;
  in.type = Inbound::Type::kClosed;
  in.session = id_;
  exchange_.Submit(std::move(in));
}

void WsSessionBase::SendAll(Frames frames, Released released) {
  // Frames join the outbox in the order the exchange emits them (always
  // under its turn) and one handler writes them in that order. A handler per
  // call was not enough: a post made on the I/O thread inside a handler
  // waits in Asio's thread-private queue until that handler returns, so a
  // later call from the storage writer thread could run first.
  {
    std::lock_guard<std::mutex> lock(outbox_mu_);
    if (outbox_.empty()) outbox_.swap(frames);
    else for (Frame& f : frames) outbox_.push_back(std::move(f));
    if (released.acks > 0) {
      if (outbox_released_.acks == 0 || released.durable_ns < outbox_released_.durable_ns)
        outbox_released_.durable_ns = released.durable_ns;
      outbox_released_.acks += released.acks;
    }
    if (drain_posted_) return;
    drain_posted_ = true;
  }
  net::post(executor_, [self = shared_from_this()] { self->DrainOutbox(); });
}

void WsSessionBase::DrainOutbox() {
  Frames frames;
  Released released;
  {
    std::lock_guard<std::mutex> lock(outbox_mu_);
    frames.swap(outbox_);
    std::swap(released, outbox_released_);
    drain_posted_ = false;
  }
  Transmit(std::move(frames));
  // Transmit has started the socket write (or queued behind one in flight).
  if (released.acks > 0)
    metrics_.ObserveStage(Stage::kRelease, SteadyNowNs() - released.durable_ns, released.acks);
}

void WsSessionBase::Close() {
  net::post(executor_, [self = shared_from_this()] {
    self->close_after_writes_ = true;
    if (!self->Writing()) self->DoClose(websocket::close_code::normal);
  });
}

void WsSessionBase::LoggedIn() {
  net::post(executor_, [self = shared_from_this()] {
    self->logged_in_ = true;
    self->login_timer_.cancel();
  });
}

}  // namespace corpex::gw
