// gateway/net/ws_reader.h — a client's WebSocket frames (RFC 6455), parsed
// without I/O.
//
// Plain ws:// sessions read their socket themselves and hand the bytes to a
// WsReader, which yields every whole message and control frame they hold in
// one pass. Beast's read operation did the same one message at a time, each
// message a composed operation with its own allocation, executor copies and
// posted completion (~10 % of corpexd's CPU flat out). TLS sessions still
// read through Beast.
//
// corpex-load reads the server's frames with one too (Role::kClient).
//
// What an endpoint must refuse, it refuses with the close code RFC 6455
// names (and as Beast did): a client's frame unmasked, or a server's
// masked; reserved bits (no extension is
// ever negotiated), a reserved opcode, a control frame that is fragmented or
// over 125 bytes, a length not in its shortest form, a continuation with no
// message to continue or a new message inside one: 1002; a message over
// `max_message` bytes: 1009, decided from the frame header before its
// payload is read; a text message or close reason that is not UTF-8: 1007;
// a close frame with a one-byte body or a code no endpoint may send: 1002.
// After a failure the reader stays failed: the connection is done.
//
// Thread: one session's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace corpex::gw {

class WsReader {
 public:
  struct Event {
    enum class Kind { kNeedMore, kMessage, kPing, kPong, kClose, kFail };
    Kind kind = Kind::kNeedMore;
    // kMessage: the whole message, unmasked; kPing / kPong: their payload;
    // kClose: the peer's reason.
    std::string_view payload;
    // kClose: the peer's code, 1005 when it gave none; kFail: the code to
    // close the connection with.
    uint16_t code = 0;
    bool text = false;  // kMessage: a text message, else binary
  };

  // Whose frames are read: a server reads a client's, which are masked.
  enum class Role { kServer, kClient };

  explicit WsReader(size_t max_message, Role role = Role::kServer)
      : max_message_(max_message), masked_(role == Role::kServer) {}

  // Room for at least `min` more bytes from the socket, and for the rest of
  // the frame that is being read; Commit(n) once n of them are read.
  std::span<char> Prepare(size_t min);
  void Commit(size_t n) { end_ += n; }

  // The next whole message or control frame among the committed bytes, or
  // kNeedMore. A view it returns stays valid until the next call of Next or
  // Prepare.
  Event Next();

  // True when bytes are committed that Next has not consumed.
  bool buffered() const { return end_ != begin_; }

 private:
  Event Fail(uint16_t code);

  const size_t max_message_;
  const bool masked_;  // the frames read must be masked (and unmasking)
  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0, begin_ = 0, end_ = 0;
  size_t frame_bytes_ = 0;  // header and payload of the frame Next is waiting for
  std::string partial_;     // the fragments of a message so far
  bool in_message_ = false, partial_text_ = false;
  uint16_t failed_ = 0;  // the close code once failed
};

// True for a close code a peer may send (RFC 6455 7.4).
bool IsValidCloseCode(uint16_t code);

}  // namespace corpex::gw
