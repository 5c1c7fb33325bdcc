// WriteBehind (corpex/write_behind.h) over a real loopback socket: bytes
// arrive whole and in order however they were queued, and a reader that
// stops reading makes the writer refuse more instead of buffering forever.
#include <catch2/catch.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <chrono>
#include <string>

#include "corpex/write_behind.h"

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

struct Pair {
  net::io_context ioc;
  // poll() would otherwise stop the context the first time it runs dry.
  net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(ioc);
  tcp::socket reader{ioc};
  corpex::WriteBehind<tcp::socket> writer{ioc};
  Pair() {
    tcp::acceptor acc(ioc, {net::ip::make_address("127.0.0.1"), 0});
    reader.connect(acc.local_endpoint());
    acc.accept(writer.next_layer());
  }
};

}  // namespace

TEST_CASE("write-behind keeps every byte in order across appends and async writes", "[write_behind]") {
  Pair p;
  std::string expected;
  int completions = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string head = "<" + std::to_string(i) + ">";
    std::string body(static_cast<size_t>(i % 97), static_cast<char>('a' + i % 26));
    if (i % 3 == 0) {
      std::string whole = head + body;
      expected += whole;
      p.writer.async_write_some(net::buffer(whole), [&](boost::system::error_code ec, size_t n) {
        CHECK(!ec);
        CHECK(n > 0);
        ++completions;
      });
    } else {
      REQUIRE(p.writer.Append(head, body));
      expected += head + body;
      p.writer.Kick();
    }
    p.ioc.poll();
  }
  bool flushed = false, read = false;
  p.writer.AsyncFlush([&](boost::system::error_code ec) { flushed = !ec; });
  std::string got(expected.size(), '\0');
  net::async_read(p.reader, net::buffer(got), [&](boost::system::error_code ec, size_t) { read = !ec; });
  for (int i = 0; i < 1000 && !(flushed && read); ++i) p.ioc.run_one_for(std::chrono::milliseconds(10));
  REQUIRE(flushed);
  REQUIRE(read);
  CHECK(got == expected);
  CHECK(completions == 667);
}

TEST_CASE("write-behind refuses more once the unsent bytes pass the limit", "[write_behind]") {
  Pair p;
  p.writer.set_max_pending(64 << 10);
  const std::string chunk(4096, 'x');
  size_t accepted = 0;
  bool refused = false;
  // The reader never reads: the kernel's buffers fill, then ours.
  for (int i = 0; i < 100000 && !refused; ++i) {
    if (p.writer.Append("", chunk)) {
      accepted += chunk.size();
      p.writer.Kick();
      p.ioc.poll();
    } else {
      refused = true;
    }
  }
  CHECK(refused);
  CHECK(accepted < (64u << 20));  // bounded by the kernel's buffers plus ours
  boost::system::error_code ec;
  size_t n = 0;
  p.writer.async_write_some(net::buffer(chunk), [&](boost::system::error_code e, size_t w) {
    ec = e;
    n = w;
  });
  p.ioc.poll();
  CHECK(ec == net::error::no_buffer_space);
  CHECK(n == 0);
}
