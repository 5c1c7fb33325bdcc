// gateway/net/write_behind.h — a stream layer that gathers a session's frames
// into one socket write.
//
// Beast writes one WebSocket message per async_write, and so one sendmsg per
// frame. Under load a session has many frames queued (responses, executions,
// market data), and on this class of machine the system call, not the bytes,
// is the cost. WriteBehind sits between the websocket stream and the TCP
// stream: a write is copied into a pending buffer and completes at once;
// while one socket write is in flight, later frames gather behind it and go
// out together in the next.
//
// Reads go ahead the same way: Beast asks for at most 1,536 bytes at a time
// (its read buffer), which under load is a recvmsg for every ~7 requests.
// The layer reads up to kReadAhead bytes at once and serves Beast's reads
// from them, each completing through a post, without a system call. (Since
// gateway/net/ws_reader.h, corpexd's plain sessions and corpex-load's connections
// read their sockets themselves once the WebSocket is open; Beast reads
// through this layer only where it still reads: corpex-load's login.)
//
// Bounded: a client whose unsent bytes pass `max_pending` gets
// error::no_buffer_space on its next write (the session treats it as a slow
// consumer). Teardown (websocket close) first flushes what is pending, so the
// close frame is never cut off.
//
// Used by corpexd's sessions and by corpex-load's connections.
//
// Thread: whoever owns the stream below it (a session's strand).
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace corpex {

template <class Next>
class WriteBehind {
  struct Waiter {  // a flush waiter: a move-only handler, type-erased
    virtual ~Waiter() = default;
    virtual void Done(boost::beast::error_code ec) = 0;
  };
  template <class H>
  struct WaiterOf final : Waiter {
    explicit WaiterOf(H&& h) : h(std::move(h)) {}
    void Done(boost::beast::error_code ec) override { h(ec); }
    H h;
  };
  struct State {
    WriteBehind* owner = nullptr;  // null once the layer is gone
    std::string pending, writing;
    std::unique_ptr<char[]> in;  // read ahead: [in_begin, in_end) not yet served
    size_t in_begin = 0, in_end = 0;
    bool in_flight = false;
    boost::beast::error_code error;
    std::vector<std::unique_ptr<Waiter>> flushed;  // told once nothing is pending
  };

 public:
  using executor_type = typename Next::executor_type;
  using next_layer_type = Next;

  // Builds the layer below from `arg` (a stream to move in, or its executor).
  template <class Arg>
    requires(!std::is_same_v<std::decay_t<Arg>, WriteBehind>)
  explicit WriteBehind(Arg&& arg, size_t max_pending = 16u << 20)
      : next_(std::forward<Arg>(arg)), state_(std::make_shared<State>()), max_pending_(max_pending) {
    state_->owner = this;
  }
  WriteBehind(WriteBehind&& other) noexcept
      : next_(std::move(other.next_)), state_(std::move(other.state_)), max_pending_(other.max_pending_) {
    if (state_) state_->owner = this;
  }
  WriteBehind& operator=(WriteBehind&&) = delete;
  ~WriteBehind() {
    if (state_) state_->owner = nullptr;
  }

  executor_type get_executor() noexcept { return next_.get_executor(); }
  Next& next_layer() noexcept { return next_; }
  const Next& next_layer() const noexcept { return next_; }

  static constexpr size_t kReadAhead = 16 << 10;

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    enum class Step { kStart, kServe, kFilled };
    return boost::asio::async_compose<Token, void(boost::beast::error_code, size_t)>(
        [this, state = state_, buffers, step = Step::kStart](
            auto& self, boost::beast::error_code ec = {}, size_t n = 0) mutable {
          switch (step) {
            case Step::kStart:  // initiation: this layer is alive
              if (state->in_begin == state->in_end && boost::asio::buffer_size(buffers) != 0) {
                if (!state->in) state->in = std::make_unique<char[]>(kReadAhead);
                step = Step::kFilled;
                return next_.async_read_some(boost::asio::buffer(state->in.get(), kReadAhead), std::move(self));
              }
              step = Step::kServe;  // never complete inside the initiating call
              return boost::asio::post(next_.get_executor(), std::move(self));
            case Step::kFilled:
              if (ec) return self.complete(ec, 0);
              state->in_begin = 0;
              state->in_end = n;
              [[fallthrough]];
            case Step::kServe:
              return self.complete({}, Serve(*state, buffers));
          }
        },
        token, next_);
  }

  // Synchronous use (a client's handshake and login) reads through what was
  // read ahead first, after writing out whatever it holds.
  template <class MutableBuffers>
  size_t read_some(const MutableBuffers& buffers, boost::beast::error_code& ec) {
    if (state_->in_begin != state_->in_end) {
      ec = {};
      return Serve(*state_, buffers);
    }
    return next_.read_some(buffers, ec);
  }
  template <class MutableBuffers>
  size_t read_some(const MutableBuffers& buffers) {
    boost::beast::error_code ec;
    size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <class ConstBuffers>
  size_t write_some(const ConstBuffers& buffers, boost::beast::error_code& ec) {
    if (state_->in_flight) {  // bytes would interleave with the async write
      ec = boost::asio::error::in_progress;
      return 0;
    }
    FlushNow(ec);
    return ec ? 0 : next_.write_some(buffers, ec);
  }
  template <class ConstBuffers>
  size_t write_some(const ConstBuffers& buffers) {
    boost::beast::error_code ec;
    size_t n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::beast::error_code, size_t)>(
        [this](auto handler, const ConstBuffers& b) {
          boost::beast::error_code ec = state_->error;
          size_t n = 0;
          if (!ec && state_->pending.size() + state_->writing.size() > max_pending_)
            ec = boost::asio::error::no_buffer_space;
          if (!ec) {
            for (auto it = boost::asio::buffer_sequence_begin(b); it != boost::asio::buffer_sequence_end(b); ++it) {
              boost::asio::const_buffer cb(*it);
              state_->pending.append(static_cast<const char*>(cb.data()), cb.size());
              n += cb.size();
            }
            Flush();
          }
          boost::asio::post(get_executor(), boost::beast::bind_handler(std::move(handler), ec, n));
        },
        token, buffers);
  }

  // Appends bytes the caller framed itself (a session writing its own
  // WebSocket frames, in one go, without an async operation per frame)
  // behind whatever is pending; Kick() then starts the socket write. False,
  // appending nothing, once the layer failed or over max_pending.
  bool Append(std::string_view head, std::string_view body) {
    if (state_->error || state_->pending.size() + state_->writing.size() > max_pending_) return false;
    state_->pending.append(head).append(body);
    return true;
  }
  void Kick() { Flush(); }
  void set_max_pending(size_t bytes) { max_pending_ = bytes; }

  // Calls `handler(ec)` once every byte written so far has reached the socket.
  template <class Handler>
  void AsyncFlush(Handler&& handler) {
    if (!state_->in_flight && state_->pending.empty()) {
      boost::asio::post(get_executor(),
                        boost::beast::bind_handler(std::forward<Handler>(handler), state_->error));
      return;
    }
    state_->flushed.push_back(std::make_unique<WaiterOf<std::decay_t<Handler>>>(std::forward<Handler>(handler)));
  }

  // Writes what is pending, blocking (for the synchronous teardown).
  void FlushNow(boost::beast::error_code& ec) {
    if (state_->in_flight || state_->pending.empty()) return;  // an async write owns the socket
    boost::asio::write(next_, boost::asio::buffer(state_->pending), ec);
    state_->pending.clear();
  }

 private:
  // Copies read-ahead bytes into `buffers`, as many as fit.
  template <class MutableBuffers>
  static size_t Serve(State& state, const MutableBuffers& buffers) {
    size_t n = boost::asio::buffer_copy(
        buffers, boost::asio::const_buffer(state.in.get() + state.in_begin, state.in_end - state.in_begin));
    state.in_begin += n;
    return n;
  }

  void Flush() {
    if (state_->in_flight || state_->pending.empty() || state_->error) return;
    state_->in_flight = true;
    state_->writing.swap(state_->pending);
    state_->pending.clear();
    boost::asio::async_write(
        next_, boost::asio::buffer(state_->writing),
        [state = state_](boost::beast::error_code ec, size_t) {
          state->in_flight = false;
          state->writing.clear();
          if (ec) state->error = ec;
          if (!ec && !state->pending.empty() && state->owner) return state->owner->Flush();
          auto waiters = std::move(state->flushed);
          state->flushed.clear();
          for (auto& w : waiters) w->Done(state->error);
        });
  }

  Next next_;
  std::shared_ptr<State> state_;
  size_t max_pending_;
};

// Beast's websocket close tears the connection down through these (found by
// argument-dependent lookup): flush first, then the layer below's teardown.
template <class Next>
void teardown(boost::beast::role_type role, WriteBehind<Next>& s, boost::beast::error_code& ec) {
  s.FlushNow(ec);
  using boost::beast::websocket::teardown;
  teardown(role, s.next_layer(), ec);
}

template <class Next, class Handler>
void async_teardown(boost::beast::role_type role, WriteBehind<Next>& s, Handler&& handler) {
  s.AsyncFlush([role, &s, h = std::forward<Handler>(handler)](boost::beast::error_code) mutable {
    using boost::beast::websocket::async_teardown;
    async_teardown(role, s.next_layer(), std::move(h));
  });
}

}  // namespace corpex
