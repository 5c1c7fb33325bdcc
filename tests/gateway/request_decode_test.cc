// The request decoder: envelope, params, numbers, sizes (SPEC §5).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>

#include "gateway/protocol/op_table.h"
#include "gateway/protocol/request.h"
#include "tests/gateway/echo_check.h"

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
  // Of two unknown keys the first in the frame is named; a key given twice
  // is refused whichever copy a reader would take.
  r = D(R"({"id":1,"op":"order.cancel","zeta":1,"order_id":1,"alpha":2})");
  CHECK(r.error.message() == R"(unknown parameter "zeta" )");
  r = D(R"({"id":1,"op":"order.cancel","order_id":7,"order_id":9})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  CHECK(r.error.message() == R"("order_id" is given more than once)");
  CHECK(r.id == "1");
  r = D(R"({"id":1,"op":"order.cancel","order_id":7,"order_id":7})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  r = D(R"({"id":1,"id":2,"op":"logout"})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  CHECK(r.id == "null");
  r = D(R"({"id":1,"op":"logout","op":"status"})");
  CHECK(r.error.code() == ErrorCode::kBadRequest);
  CHECK(r.id == "null");
  r = D(R"({"op":"order.cancel","id":1,"order_id":7})");
  CHECK(r.error.ok());
  // "id" and "op" are the envelope's only at the top: in a nested object
  // they are parameters like any other, so unknown ones (the fuzzer found
  // a nested "op" accepted and dropped).
  for (const char* key : {"op", "id"}) {
    INFO(key);
    r = D(std::string(R"({"id":1,"op":"quote.new","rfq_id":3,"attestation":"A","valid_until":1,)") +
          R"("consideration":{"type":"equity","company":"91440300MA5G0XXX11","shares":1,"valuation_fen":3,")" +
          key + R"(":0}})");
    CHECK(r.error.code() == ErrorCode::kBadRequest);
    CHECK(r.error.message() == "consideration: unknown parameter \"" + std::string(key) + "\" ");
  }
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

TEST_CASE("enumerated values are matched exactly as SPEC spells them") {
  const std::string order =
      R"({"id":1,"op":"order.new","instrument":"SYM","side":"buy","qty":5,"price":300,"client_order_id":"c","tif":)";
  CHECK(D(order + R"("GTC"})").error.ok());
  for (const char* tif : {"gtc", "Gtc", "GTC ", " GTC", "GTc", "G", "", "GTCX", R"(FOK\u0000)"})
    CHECK(D(order + "\"" + tif + "\"}").error.code() == ErrorCode::kInvalidTif);
  for (const char* bad : {"null", "1", "true", "[\"GTC\"]", "{}"})
    CHECK(D(order + bad + "}").error.code() == ErrorCode::kInvalidTif);
  CHECK(D(R"({"id":1,"op":"order.new","instrument":"SYM","side":"Buy","qty":5,"price":300,"client_order_id":"c","tif":"GTC"})")
            .error.code() == ErrorCode::kBadRequest);
  CHECK(D(R"({"id":1,"op":"subscribe","channel":"Book","instrument":"S"})").error.code() ==
        ErrorCode::kBadRequest);
  CHECK(D(R"({"id":1,"op":"report.claims","program":"P","status":"PAID"})").error.code() ==
        ErrorCode::kBadRequest);
  CHECK(D(R"({"id":1,"op":"member.create","member":"M","name":"n","group":"g","roles":["Buyer"],"tier":1})")
            .error.code() == ErrorCode::kBadRequest);
}

TEST_CASE("no value is guessed: null, empty and lone strings are refused") {
  for (const char* f : {
           R"({"id":1,"op":"order.new","instrument":"SYM","side":"buy","qty":5,"price":300,"tif":"GTC","client_order_id":"c","voucher":null})",
           R"({"id":1,"op":"order.new","instrument":"SYM","side":"buy","qty":5,"price":300,"tif":"GTC","client_order_id":"c","voucher":""})",
           R"({"id":1,"op":"order.cancel","order_id":3,"client_order_id":"c"})",
           R"({"id":1,"op":"member.create","member":"M","name":"n","group":"g","roles":"buyer","tier":1})",
           R"({"id":1,"op":"member.create","member":"M","name":"n","group":"g","roles":["buyer","buyer"],"tier":1})",
           R"({"id":1,"op":"member.create","member":"M","name":"n","group":"g","roles":[],"tier":1})",
           R"({"id":1,"op":"voucher.program.create","program":"P","rate_bps":1,"member_cap":1,"budget":1,"year":2026,"domains":[]})",
           R"({"id":1,"op":"subscribe","channel":"executions","instrument":"SYM"})",
           R"({"id":1,"op":"report.claims","program":"P","status":""})",
           R"({"id":1,"op":"login","user":"u","ts":1,"nonce":"n","sig":"s","cancel_on_disconnect":null})",
       })
    CHECK(D(f).error.code() == ErrorCode::kBadRequest);
  CHECK(D(R"({"id":1,"op":"order.new","instrument":"SYM","side":"buy","qty":5,"price":300,"tif":"GTC","client_order_id":"c","min_qty":0})")
            .error.code() == ErrorCode::kInvalidQty);
}

TEST_CASE("a decoded request echoes exactly the parameters it was sent") {
  const char* frames[] = {
      R"({"instrument":"SYM","side":"sell","qty":5,"price":300,"tif":"GTD","client_order_id":"c","expire_at":1000,"min_qty":2,"attestation":"A"})",
      R"({"order_id":9,"qty":3})",
      R"({"member":"M","name":"n","group":"g","roles":["buyer","seller"],"tier":2})",
      R"({"program":"P","rate_bps":3000,"member_cap":1,"budget":2,"year":2026,"domains":["medical","legal"]})",
      R"({"from":0,"to":10,"cursor":"x","limit":5})",
      R"({"user":"u","ts":1,"nonce":"n","sig":"ab","cancel_on_disconnect":false})",
  };
  const char* ops[] = {"order.new", "order.replace", "member.create", "voucher.program.create",
                       "report.trades", "login"};
  for (size_t i = 0; i < std::size(frames); ++i) {
    std::string body = frames[i];
    Request r = D(R"({"id":1,"op":")" + std::string(ops[i]) + "\"," + body.substr(1));
    REQUIRE(r.error.ok());
    CHECK(r.spec == FindOp(ops[i]));
    CHECK(EchoParams(r) == body);
  }
}

TEST_CASE("the op table names each op once, with a decoder and an echo") {
  std::set<std::string_view> names;
  for (const OpSpec& op : Ops()) {
    CHECK(names.insert(op.name).second);
    CHECK(op.decode != nullptr);
    CHECK(op.echo != nullptr);
    CHECK((op.result != nullptr) == (op.kind == OpKind::kCommand));  // the sequencer answers the rest
    CHECK(FindOp(op.name) == &op);
    // Every listed parameter is read by the decoder: a frame naming it, even
    // with a wrong value, is never answered "unknown parameter".
    for (std::string_view key : op.params) {
      Request r = D(R"({"id":1,"op":")" + std::string(op.name) + R"(",")" + std::string(key) + R"(":{}})");
      INFO(op.name << " " << key << ": " << r.error.message());
      CHECK(r.error.message().find("unknown parameter") == std::string::npos);
    }
  }
  CHECK(names.size() == 43);
}

TEST_CASE("the fuzz seed corpus: every valid shape echoes itself, every hostile shape is refused") {
  namespace fs = std::filesystem;
  size_t valid = 0, hostile = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(CORPEX_SOURCE_DIR) / "tests/gateway/fuzz/corpus")) {
    std::ifstream in(entry.path());
    const std::string frame((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string name = entry.path().filename().string();
    Request r = D(frame);
    INFO(name << ": " << frame << " -> " << r.error.message());
    if (name.rfind("h-", 0) == 0) {
      CHECK_FALSE(r.error.ok());
      ++hostile;
    } else {
      REQUIRE(r.error.ok());
      CHECK(corpex::test::EchoMismatch(frame, r) == "");
      ++valid;
    }
  }
  CHECK(valid >= 30);
  CHECK(hostile >= 150);
}
