// Status codes: the wire's and the internal ones, and what a client is told.
#include <catch2/catch.hpp>

#include "corpex/status.h"
#include "gateway/protocol/wire_encode.h"

using namespace corpex;

TEST_CASE("internal codes reach the wire as INTERNAL, with their message") {
  for (ErrorCode c : {ErrorCode::kNotFound, ErrorCode::kCorruption, ErrorCode::kIOError}) {
    CHECK(WireCode(c) == ErrorCode::kInternal);
    const std::string frame = gw::ErrorFrame("7", Status(c, "trade 3: hash does not recompute"));
    CHECK(frame.find(R"("code":"INTERNAL")") != std::string::npos);
    CHECK(frame.find("hash does not recompute") != std::string::npos);
  }
  CHECK(to_string(ErrorCode::kCorruption) == "CORRUPTION");
  for (int c = 0; c <= static_cast<int>(ErrorCode::kInternal); ++c)
    CHECK(WireCode(static_cast<ErrorCode>(c)) == static_cast<ErrorCode>(c));
  CHECK(to_string(ErrorCode::kInternal) == "INTERNAL");
  CHECK(to_string(ErrorCode::kInvalidTif) == "INVALID_TIF");
}

TEST_CASE("a StatusOr made from an ok Status holds an error, not a default value") {
  StatusOr<int> v(Status::Ok());
  CHECK_FALSE(v.ok());
  CHECK(v.status().code() == ErrorCode::kInternal);
  StatusOr<int> w(41);
  REQUIRE(w.ok());
  CHECK(*w + 1 == 42);
}
