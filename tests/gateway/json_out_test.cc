// JsonOut: the text every response and event is made of.
#include <catch2/catch.hpp>

#include "gateway/protocol/json_out.h"

using corpex::gw::JsonOut;

TEST_CASE("JsonOut escapes what JSON requires and copies the rest", "[json]") {
  CHECK(JsonOut::Quoted("plain ZH-MED.TRAIN") == "\"plain ZH-MED.TRAIN\"");
  CHECK(JsonOut::Quoted("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(JsonOut::Quoted(std::string_view("x\n\ty\0z", 6)) == "\"x\\u000a\\u0009y\\u0000z\"");
  CHECK(JsonOut::Quoted("语料券") == "\"语料券\"");  // UTF-8 passes through
  CHECK(JsonOut::Quoted("") == "\"\"");
  CHECK(JsonOut::Quoted("\"") == "\"\\\"\"");
}

TEST_CASE("JsonOut writes integers at their limits and places commas", "[json]") {
  JsonOut j;
  j.Begin().KInt("min", INT64_MIN).KInt("max", INT64_MAX).KUInt("u", UINT64_MAX).KInt("zero", 0);
  j.Key("a").BeginArr().Int(-1).Bool(true).Null().EndArr().End();
  CHECK(j.str() ==
        "{\"min\":-9223372036854775808,\"max\":9223372036854775807,\"u\":18446744073709551615,"
        "\"zero\":0,\"a\":[-1,true,null]}");
}

TEST_CASE("JsonOut grows past its first buffer without losing text", "[json]") {
  // 600 plain bytes, then escapes at the end: the first piece outgrows the
  // initial 512 bytes, the escapes write past what a plain copy needed.
  std::string big(600, 'x');
  big += "\"\n";
  JsonOut j;
  j.Begin().KStr("a", big).Key("b").BeginArr();
  for (int i = 0; i < 100; ++i) j.BeginArr().Int(-i).UInt(static_cast<uint64_t>(i)).EndArr();
  j.EndArr().Key("c").Begin().End().KBool("d", false).End();
  std::string want = "{\"a\":\"" + std::string(600, 'x') + "\\\"\\u000a\",\"b\":[";
  for (int i = 0; i < 100; ++i)
    want += (i ? ",[" : "[") + std::to_string(-i) + "," + std::to_string(i) + "]";
  want += "],\"c\":{},\"d\":false}";
  CHECK(j.str() == want);
  CHECK(j.Take() == want);
}
