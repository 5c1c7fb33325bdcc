// The request decoder: envelope, params, numbers, sizes (SPEC §5).
#include <catch2/catch.hpp>

#include "gateway/request.h"

using namespace corpex;
using namespace corpex::gw;

namespace {
Request D(std::string_view s, size_t max = 65536) {
  RequestDecoder d(max);
  return d.Decode(s);
}
}  // namespace

TEST_CASE("envelope: id types and op") {
  CHECK(D(R"({"id":7,"op":"logout"})").id == "7");
  CHECK(D(R"({"id":"a\"b","op":"logout"})").id == R"("a\"b")");
  Request r = D(R"({"id":1.5,"op":"logout"})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  CHECK(r.id == "null");
  r = D(R"({"id":")" + std::string(65, 'x') + R"(","op":"logout"})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  CHECK(r.id == "null");
  r = D(R"({"id":[1],"op":"logout"})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  r = D(R"({"id":3})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  CHECK(r.id == "null");
  CHECK(D(R"({"id":3,"op":"nope"})").error.code() == ErrorCode::kUnknownOp);
  CHECK(D("{not json").error.code() == ErrorCode::kBadJson);
  CHECK(D("[1,2]").error.code() == ErrorCode::kBadRequest);
  CHECK(D(R"({"id":1,"op":"logout"})", 5).error.code() == ErrorCode::kTooLarge);
}

TEST_CASE("order.new decodes into a command") {
  Request r = D(R"({"id":1,"op":"order.new","instrument":"SYM","side":"buy","qty":5,"price":300,
                   "tif":"GTD","expire_at":1000,"client_order_id":"c1","min_qty":2,"voucher":"P"})");
  REQUIRE(r.error.ok());
  REQUIRE(r.known_op);
  const auto& o = std::get<NewOrder>(r.command.body);
  CHECK(o.instrument.view() == "SYM");
  CHECK(o.side == Side::kBuy);
  CHECK(o.qty.v == 5);
  CHECK(o.price.v == 300);
  CHECK(o.tif == Tif::kGtd);
  CHECK(o.expire_at == 1'000'000'000);
  CHECK(o.min_qty.v == 2);
  CHECK(o.voucher.view() == "P");
}

TEST_CASE("params: unknown, missing, non-integer, out of range") {
  Request r = D(R"({"id":1,"op":"order.cancel","order_id":1,"bogus":2})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  CHECK(r.error.message().find("bogus") != std::string::npos);
  r = D(R"({"id":1,"op":"order.new","instrument":"SYM","side":"buy","qty":"5","price":300,"tif":"GTC","client_order_id":"c"})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  r = D(R"({"id":1,"op":"order.new","instrument":"SYM","side":"buy","qty":5.5,"price":300,"tif":"GTC","client_order_id":"c"})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  r = D(R"({"id":1,"op":"order.new","instrument":"SYM","side":"buy","qty":5,"price":300,"tif":"XYZ","client_order_id":"c"})");
  CHECK(r.error.code() == ErrorCode::kInvalidTif);
  r = D(R"({"id":1,"op":"order.new","instrument":"SYM","side":"buy","qty":5,"price":300,"tif":"GTC"})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  CHECK(r.error.message().find("client_order_id") != std::string::npos);
  r = D(R"({"id":1,"op":"member.create","member":"M","name":"n","group":"g","roles":["buyer"],"tier":9})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  r = D(R"({"id":1,"op":"order.cancel","order_id":18446744073709551615})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  r = D(R"({"id":1,"op":"order.cancel"})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  r = D(R"({"id":1,"op":"order.replace","order_id":4})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  // Of two unknown keys the first in the frame is named; a known key
  // repeated is not unknown, and its first value counts.
  r = D(R"({"id":1,"op":"order.cancel","zeta":1,"order_id":1,"alpha":2})");
  CHECK(r.error.message() == R"(unknown parameter "zeta" )");
  r = D(R"({"id":1,"op":"order.cancel","order_id":7,"order_id":9})");
  REQUIRE(r.error.ok());
  CHECK(std::get<CancelOrder>(r.command.body).order_id == 7);
  r = D(R"({"op":"order.cancel","id":1,"order_id":7})");
  CHECK(r.error.ok());
}

TEST_CASE("operator and regulator ops decode") {
  Request r = D(R"({"id":1,"op":"voucher.program.create","program":"P","rate_bps":3000,
                   "member_cap":200000000,"budget":5000000000,"year":2026,"domains":["medical"]})");
  REQUIRE(r.error.ok());
  CHECK(std::get<ProgramCreate>(r.command.body).domain_count == 1);
  r = D(R"({"id":1,"op":"report.trades","from":0,"to":10,"limit":5,"cursor":"x"})");
  REQUIRE(r.error.ok());
  CHECK(r.kind == OpKind::kReportTrades);
  CHECK(r.query.limit == 5);
  r = D(R"({"id":1,"op":"subscribe","channel":"book"})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  r = D(R"({"id":1,"op":"voucher.claim.settle","trade_id":3,"status":"reserved"})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
}
