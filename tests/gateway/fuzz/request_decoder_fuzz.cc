// libFuzzer target for the request decoder: any bytes in, a Request or an
// error out, never a crash, never a command from malformed input, and for
// what it accepts, nothing invented: the parameters it will act on are the
// frame's own (echo_check.h).
//
// Configure with -DCMAKE_CXX_COMPILER=clang++ -DCORPEX_FUZZ=ON (`make fuzz`).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "gateway/protocol/request.h"
#include "tests/gateway/echo_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static corpex::gw::RequestDecoder decoder(4096);
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  corpex::gw::Request r = decoder.Decode(frame);
  // A decoded command always has an op the table knows.
  if (r.error.ok() && !r.known_op) __builtin_trap();
  if (!r.error.ok() && r.id.empty()) __builtin_trap();
  if (r.error.ok()) {
    const std::string diff = corpex::test::EchoMismatch(frame, r);
    if (!diff.empty()) {
      std::fprintf(stderr, "decoder invented or lost a value: %s\n", diff.c_str());
      __builtin_trap();
    }
  }
  return 0;
}
