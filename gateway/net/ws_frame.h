// gateway/net/ws_frame.h — the header of one unfragmented WebSocket text frame
// (RFC 6455 5.2), for code that writes its frames straight into a
// WriteBehind buffer rather than through a Beast write operation per frame:
// corpexd's sessions (unmasked, as a server) and corpex-load (masked, as a
// client must).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace corpex {

// The header for `n` payload bytes, written into `out`. With `mask` (a
// client's 4-byte key) the mask bit is set and the key follows the length;
// the payload must then be masked with MaskPayload.
inline std::string_view TextFrameHeader(size_t n, char (&out)[14], const unsigned char* mask = nullptr) {
  out[0] = static_cast<char>(0x81);  // FIN, opcode text
  size_t len = 2;
  if (n < 126) {
    out[1] = static_cast<char>(n);
  } else if (n <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<char>(n >> 8);
    out[3] = static_cast<char>(n);
    len = 4;
  } else {
    out[1] = 127;
    for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<char>(static_cast<uint64_t>(n) >> (56 - 8 * i));
    len = 10;
  }
  if (mask != nullptr) {
    out[1] = static_cast<char>(out[1] | 0x80);
    std::memcpy(out + len, mask, 4);
    len += 4;
  }
  return {out, len};
}

// XORs `n` bytes of `data` in place with the 4-byte key (RFC 6455 5.3),
// eight bytes at a time: masking and unmasking are the same operation
// (corpex-load masks its orders with it, gateway/net/ws_reader.h unmasks).
inline void MaskPayload(char* data, size_t n, const unsigned char* mask) {
  unsigned char k[8];
  std::memcpy(k, mask, 4);
  std::memcpy(k + 4, mask, 4);
  uint64_t k8;
  std::memcpy(&k8, k, 8);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, data + i, 8);
    w ^= k8;
    std::memcpy(data + i, &w, 8);
  }
  for (; i < n; ++i) data[i] = static_cast<char>(data[i] ^ k[i & 3]);
}

}  // namespace corpex
