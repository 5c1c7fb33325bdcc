// tests/gateway/client_frame.h — WebSocket frames as a client sends them
// (RFC 6455 5.2), and the malformed ones a test needs: any opcode, FIN clear,
// reserved bits, no mask, a length in a longer form than it needs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/net/ws_frame.h"

namespace corpex::test {

struct FrameSpec {
  bool fin = true;
  unsigned op = 0x1;
  bool masked = true;
  unsigned rsv = 0;      // bits 0x70 of the first byte
  int length_bytes = 0;  // force the 2- or 8-byte length form; 0: shortest
};

// Masked with a fixed key unless `spec.masked` is false.
inline std::string ClientFrame(std::string_view payload, FrameSpec spec = {}) {
  std::string f;
  f += static_cast<char>((spec.fin ? 0x80 : 0) | spec.rsv | spec.op);
  const unsigned char mask_bit = spec.masked ? 0x80 : 0;
  const uint64_t n = payload.size();
  int bytes = spec.length_bytes;
  if (bytes == 0) bytes = n < 126 ? 0 : n <= 0xFFFF ? 2 : 8;
  if (bytes == 0) {
    f += static_cast<char>(mask_bit | n);
  } else {
    f += static_cast<char>(mask_bit | (bytes == 2 ? 126 : 127));
    for (int i = bytes - 1; i >= 0; --i) f += static_cast<char>(n >> (8 * i));
  }
  const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
  if (spec.masked) f.append(reinterpret_cast<const char*>(key), 4);
  const size_t at = f.size();
  f.append(payload);
  if (spec.masked) MaskPayload(f.data() + at, n, key);
  return f;
}

}  // namespace corpex::test
