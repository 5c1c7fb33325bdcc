// WriteBehind (gateway/net/write_behind.h) over a real loopback socket: bytes
// arrive whole and in order however they were queued, and a reader that
// stops reading makes the writer refuse more instead of buffering forever.
#include <catch2/catch.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "gateway/net/write_behind.h"

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

TEST_CASE("write-behind reads ahead and serves small reads whole and in order", "[write_behind]") {
  Pair p;
  // Written in one go from the far end, so most of it arrives in one read
  // ahead; the reads below ask for 100 bytes or less at a time, as Beast
  // asks for at most its own buffer.
  std::string sent;
  for (int i = 0; sent.size() < 3 * corpex::WriteBehind<tcp::socket>::kReadAhead; ++i)
    sent += "<" + std::to_string(i) + ">";
  net::write(p.reader, net::buffer(sent));
  std::string got;
  int completions = 0, syncs = 0;
  std::function<void()> next = [&] {
    std::array<char, 100> buf;
    if (completions % 10 == 9 && syncs < 20) {
      // A synchronous read in between must see the bytes already read
      // ahead first, not the socket's.
      ++syncs;
      ++completions;
      boost::system::error_code ec;
      size_t n = p.writer.read_some(net::buffer(buf.data(), 1 + completions % 100), ec);
      REQUIRE(!ec);
      got.append(buf.data(), n);
      return next();
    }
    const size_t want = 1 + completions % 100;
    auto out = std::make_shared<std::array<char, 100>>();
    p.writer.async_read_some(net::buffer(out->data(), want), [&, out, want](boost::system::error_code ec, size_t n) {
      REQUIRE(!ec);
      CHECK(n <= want);
      CHECK(n > 0);
      got.append(out->data(), n);
      ++completions;
      if (got.size() < sent.size()) next();
    });
  };
  next();
  for (int i = 0; i < 100000 && got.size() < sent.size(); ++i) p.ioc.run_one_for(std::chrono::milliseconds(10));
  CHECK(got == sent);
  CHECK(syncs > 0);
}

TEST_CASE("write-behind reports the peer's close after the bytes before it", "[write_behind]") {
  Pair p;
  net::write(p.reader, net::buffer(std::string("last words")));
  p.reader.close();
  std::string got;
  boost::system::error_code end;
  std::function<void()> next = [&] {
    auto out = std::make_shared<std::array<char, 4>>();
    p.writer.async_read_some(net::buffer(*out), [&, out](boost::system::error_code ec, size_t n) {
      got.append(out->data(), n);
      if (ec) end = ec;
      else next();
    });
  };
  next();
  for (int i = 0; i < 1000 && !end; ++i) p.ioc.run_one_for(std::chrono::milliseconds(10));
  CHECK(got == "last words");
  CHECK(end == net::error::eof);
}
