#include "gateway/net/ws_reader.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include "gateway/net/ws_frame.h"

namespace corpex::gw {

namespace {

constexpr uint16_t kProtocolError = 1002;
constexpr uint16_t kBadPayload = 1007;
constexpr uint16_t kTooBig = 1009;
constexpr uint16_t kNoStatus = 1005;

uint64_t BigEndian(const unsigned char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

bool IsValidCloseCode(uint16_t code) {
  if (code >= 1000 && code <= 1013) return code != 1004 && code != 1005 && code != 1006;
  return code >= 3000 && code <= 4999;
}

std::span<char> WsReader::Prepare(size_t min) {
  const size_t held = end_ - begin_;
  // A large message grew the buffer; do not keep it for the session's life.
  if (held == 0 && cap_ > 4 * std::max(min, frame_bytes_)) {
    buf_.reset();
    cap_ = begin_ = end_ = 0;
  }
  const size_t want = std::max(held + min, frame_bytes_);
  if (cap_ - begin_ < want || cap_ - end_ < min) {
    if (cap_ < want) {
      size_t cap = std::max(want, cap_ * 2);
      auto bigger = std::make_unique<char[]>(cap);
      if (held) std::memcpy(bigger.get(), buf_.get() + begin_, held);
      buf_ = std::move(bigger);
      cap_ = cap;
    } else if (held) {
      std::memmove(buf_.get(), buf_.get() + begin_, held);
    }
    begin_ = 0;
    end_ = held;
  } else if (held == 0) {
    begin_ = end_ = 0;
  }
  return {buf_.get() + end_, cap_ - end_};
}

WsReader::Event WsReader::Fail(uint16_t code) {
  failed_ = code;
  partial_.clear();
  Event e;
  e.kind = Event::Kind::kFail;
  e.code = code;
  return e;
}

WsReader::Event WsReader::Next() {
  if (failed_) return Fail(failed_);
  for (;;) {
    const size_t avail = end_ - begin_;
    if (avail < 2) return {};
    const auto* p = reinterpret_cast<const unsigned char*>(buf_.get() + begin_);
    const bool fin = p[0] & 0x80;
    const unsigned op = p[0] & 0x0F;
    if (p[0] & 0x70) return Fail(kProtocolError);  // no extension was negotiated
    if (static_cast<bool>(p[1] & 0x80) != masked_) return Fail(kProtocolError);  // clients mask, servers not
    size_t head = 2;
    uint64_t len = p[1] & 0x7F;
    if (len == 126) {
      if (avail < 4) return {};
      len = BigEndian(p + 2, 2);
      if (len < 126) return Fail(kProtocolError);
      head = 4;
    } else if (len == 127) {
      if (avail < 10) return {};
      len = BigEndian(p + 2, 8);
      if (len >> 63 || len <= 0xFFFF) return Fail(kProtocolError);
      head = 10;
    }
    const bool control = op & 0x8;
    if (control) {
      if (op > 0xA || !fin || len > 125) return Fail(kProtocolError);
    } else {
      if (op > 0x2) return Fail(kProtocolError);
      if ((op == 0) != in_message_) return Fail(kProtocolError);
      const size_t so_far = op == 0 ? partial_.size() : 0;
      if (len > max_message_ - so_far) return Fail(kTooBig);
    }
    if (masked_) head += 4;
    if (avail < head + len) {
      frame_bytes_ = head + len;
      return {};
    }
    frame_bytes_ = 0;
    char* payload = buf_.get() + begin_ + head;
    if (masked_) MaskPayload(payload, len, reinterpret_cast<const unsigned char*>(payload - 4));
    begin_ += head + len;
    const std::string_view body(payload, len);

    Event e;
    if (control) {
      if (op == 0x9 || op == 0xA) {
        e.kind = op == 0x9 ? Event::Kind::kPing : Event::Kind::kPong;
        e.payload = body;
        return e;
      }
      e.kind = Event::Kind::kClose;
      e.code = kNoStatus;
      if (len == 1) return Fail(kProtocolError);
      if (len >= 2) {
        e.code = static_cast<uint16_t>(BigEndian(reinterpret_cast<const unsigned char*>(payload), 2));
        if (!IsValidCloseCode(e.code)) return Fail(kProtocolError);
        e.payload = body.substr(2);
        if (!simdjson::validate_utf8(e.payload)) return Fail(kBadPayload);
      }
      return e;
    }
    if (!in_message_ && fin) {  // the common case: a message in one frame
      e.kind = Event::Kind::kMessage;
      e.text = op == 0x1;
      e.payload = body;
    } else if (!in_message_) {
      in_message_ = true;
      partial_text_ = op == 0x1;
      partial_.assign(body);
      continue;
    } else {
      partial_.append(body);
      if (!fin) continue;
      in_message_ = false;
      e.kind = Event::Kind::kMessage;
      e.text = partial_text_;
      e.payload = partial_;
    }
    if (e.text && !simdjson::validate_utf8(e.payload)) return Fail(kBadPayload);
    return e;
  }
}

}  // namespace corpex::gw
