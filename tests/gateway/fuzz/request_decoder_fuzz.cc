// libFuzzer target for the request decoder: any bytes in, a Request or an
// error out, never a crash, never a command from malformed input.
//
//   clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -I include -I . \
//     tests/gateway/fuzz/request_decoder_fuzz.cc gateway/request.cc gateway/params.cc \
//     engine/names.cc -lsimdjson -o request_decoder_fuzz
// or configure with -DCMAKE_CXX_COMPILER=clang++ -DCORPEX_FUZZ=ON.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static corpex::gw::RequestDecoder decoder(4096);
  corpex::gw::Request r =
      decoder.Decode(std::string_view(reinterpret_cast<const char*>(data), size));
  // A decoded command always has an op the table knows.
  if (r.error.ok() && !r.known_op) __builtin_trap();
  if (!r.error.ok() && r.id.empty()) __builtin_trap();
  return 0;
}
