// libFuzzer target for the WebSocket frame reader (gateway/net/ws_reader.h): any
// bytes in, never a crash, and the same events whether the bytes come in one
// read or in pieces (the first input byte picks the piece size).
//
// Configure with -DCMAKE_CXX_COMPILER=clang++ -DCORPEX_FUZZ=ON; `make fuzz` runs it.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/net/ws_reader.h"

namespace {

using corpex::gw::WsReader;
using Kind = WsReader::Event::Kind;

constexpr size_t kMaxMessage = 4096;

std::vector<std::string> Events(std::string_view bytes, size_t piece) {
  WsReader r(kMaxMessage);
  std::vector<std::string> out;
  bool failed = false;
  for (size_t off = 0; off < bytes.size(); off += piece) {
    const size_t n = std::min(piece, bytes.size() - off);
    auto room = r.Prepare(n);
    if (room.size() < n) __builtin_trap();
    std::memcpy(room.data(), bytes.data() + off, n);
    r.Commit(n);
    for (;;) {
      WsReader::Event e = r.Next();
      if (e.kind == Kind::kNeedMore) {
        if (failed) __builtin_trap();  // a failed reader stays failed
        break;
      }
      if (e.kind == Kind::kMessage && e.payload.size() > kMaxMessage) __builtin_trap();
      out.push_back(std::to_string(static_cast<int>(e.kind)) + "/" + std::to_string(e.code) + "/" +
                    std::to_string(e.text) + "/" + std::string(e.payload));
      if (e.kind == Kind::kFail) {
        failed = true;
        break;
      }
    }
    if (failed) break;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = data[0] % 32 + 1;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (Events(bytes, bytes.size() + 1) != Events(bytes, piece)) __builtin_trap();
  return 0;
}
