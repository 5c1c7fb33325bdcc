#include "gateway/cluster/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "gateway/cluster/repl_wire.h"

namespace corpex::cluster {
namespace {

Status Errno(std::string what) { return Status(ErrorCode::kIOError, what + ": " + std::strerror(errno)); }

bool Address(const std::string& host, uint16_t port, sockaddr_in* a) {
  std::memset(a, 0, sizeof *a);
  a->sin_family = AF_INET;
  a->sin_port = htons(port);
  return ::inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &a->sin_addr) == 1;
}

}  // namespace

Status SplitHostPort(std::string_view text, std::string_view what, std::string* host, uint16_t* port) {
  const size_t colon = text.rfind(':');
  unsigned value = 0;
  if (colon == std::string_view::npos || colon == 0 ||
      std::from_chars(text.data() + colon + 1, text.data() + text.size(), value).ec != std::errc{} ||
      value > 65535)
    return Status(ErrorCode::kBadRequest, std::string(what) + " must be HOST:PORT, not \"" + std::string(text) + "\"");
  *host = std::string(text.substr(0, colon));
  *port = static_cast<uint16_t>(value);
  return Status::Ok();
}

StatusOr<int> ListenTcp(const std::string& host, uint16_t port, uint16_t* bound) {
  sockaddr_in a;
  if (!Address(host, port, &a)) return Status(ErrorCode::kBadRequest, "not an IPv4 address: " + host);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("socket");
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 16) != 0) {
    Status st = Errno("replication listen on " + host + ":" + std::to_string(port));
    ::close(fd);
    return st;
  }
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  *bound = ntohs(a.sin_port);
  return fd;
}

StatusOr<int> ConnectTcp(const std::string& host, uint16_t port, int timeout_ms) {
  sockaddr_in a;
  if (!Address(host, port, &a)) return Status(ErrorCode::kBadRequest, "not an IPv4 address: " + host);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return Errno("socket");
  const std::string where = "connect " + host + ":" + std::to_string(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    if (errno != EINPROGRESS) {
      Status st = Errno(where);
      ::close(fd);
      return st;
    }
    pollfd p{fd, POLLOUT, 0};
    int err = 0;
    socklen_t len = sizeof err;
    if (::poll(&p, 1, timeout_ms) != 1 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err) {
      ::close(fd);
      return Status(ErrorCode::kIOError, where + ": " + (err ? std::strerror(err) : "timed out"));
    }
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

Status ReadMessage(int fd, std::string* body) {
  auto read_n = [fd](char* p, size_t n) -> Status {
    while (n > 0) {
      ssize_t got = ::recv(fd, p, n, 0);
      if (got == 0) return Status(ErrorCode::kIOError, "replication peer closed the connection");
      if (got < 0) {
        if (errno == EINTR) continue;
        return Errno("replication read");
      }
      p += got;
      n -= static_cast<size_t>(got);
    }
    return Status::Ok();
  };
  unsigned char len[4];
  Status st = read_n(reinterpret_cast<char*>(len), 4);
  if (!st.ok()) return st;
  const uint32_t n = uint32_t{len[0]} | uint32_t{len[1]} << 8 | uint32_t{len[2]} << 16 | uint32_t{len[3]} << 24;
  if (n == 0 || n > kMaxMessage)
    return Status(ErrorCode::kCorruption, "replication message of " + std::to_string(n) + " bytes");
  body->resize(n);
  return read_n(body->data(), n);
}

Status WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t put = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (put < 0) {
      if (errno == EINTR) continue;
      return Errno("replication write");
    }
    bytes.remove_prefix(static_cast<size_t>(put));
  }
  return Status::Ok();
}

void ShutdownSocket(int fd) {
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

}  // namespace corpex::cluster
