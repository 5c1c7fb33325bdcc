// The engine's result is set in place each command (Status::Set/Reset keep
// the message's buffer): a command's result never shows an earlier
// command's message, and an accepted command's message is empty.
#include "engine/engine_fixture.h"

namespace corpex::test {
namespace {

TEST_CASE("Status::Set and Reset keep no stale message", "[status]") {
  Status s;
  s.Set(ErrorCode::kUnknownOrder, "no live order of yours with that id");
  CHECK(s.code() == ErrorCode::kUnknownOrder);
  CHECK(s.message() == "no live order of yours with that id");
  s.Set(ErrorCode::kInvalidQty, "short");
  CHECK(s.message() == "short");
  s.Set(ErrorCode::kInvalidQty, "");
  CHECK(s.message().empty());
  s.Set(ErrorCode::kBadRequest, "again");
  s.Reset();
  CHECK(s.ok());
  CHECK(s.message().empty());
  Status copy = s;
  CHECK(copy.ok());
  CHECK(copy.message().empty());
  // Moved from, then set to the message it held: the text is there.
  Status a(ErrorCode::kForbidden, "a message longer than the small buffer");
  Status b = std::move(a);
  a.Set(ErrorCode::kForbidden, "a message longer than the small buffer");
  CHECK(a.message() == "a message longer than the small buffer");
  CHECK(b.message() == "a message longer than the small buffer");
}

TEST_CASE("each command's result carries its own message", "[status]") {
  EngineFixture f;
  const Events& first = f.engine.Execute(Command{f.now, [] {
    CancelOrder c;
    c.member.assign("B1");
    c.order_id = 999;
    return c;
  }()});
  CHECK(first.status.code() == ErrorCode::kUnknownOrder);
  CHECK(first.status.message() == "no live order of yours with that id");
  const std::string gone = first.status.message();
  // The same reject again: the same text.
  Events again = f.Cancel("B1", 998);
  CHECK(again.status.message() == gone);
  // An accepted order after a reject: ok, no message.
  Events ok = f.Buy("B1", 10, 1000);
  CHECK(ok.status.ok());
  CHECK(ok.status.message().empty());
  // A different reject, then an unknown member: each its own message.
  Events qty = f.Buy("B1", 0, 1000);
  CHECK(qty.status.code() == ErrorCode::kInvalidQty);
  CHECK(qty.status.message().find("qty must be a positive multiple of lot") == 0);
  Events who = f.Cancel("NOBODY", 1);
  CHECK(who.status.code() == ErrorCode::kUnknownMember);
  CHECK(who.status.message() == "unknown member NOBODY");
  CHECK(f.Cancel("B1", 997).status.message() == gone);
}

// The engine skips re-copying a message that is the same static text as the
// last failure's (a feed's run of cancels of orders already gone); any other
// failure in between must still be told in its own words.
TEST_CASE("a repeated reject's message survives other rejects between", "[status]") {
  EngineFixture f;
  const std::string gone = "no live order of yours with that id";
  auto check_gone = [&](OrderId id) {
    Events e = f.Cancel("B1", id);
    CHECK(e.status.code() == ErrorCode::kUnknownOrder);
    CHECK(e.status.message() == gone);
  };
  for (OrderId round = 0; round < 3; ++round) {
    INFO("round " << round);
    check_gone(900 + round);
    check_gone(950 + round);
    Events literal = f.Replace("B1", 1, 0, 0);  // another literal message
    CHECK(literal.status.code() == ErrorCode::kBadRequest);
    CHECK(literal.status.message() == "replace needs qty and/or price");
    check_gone(901);
    Events built = f.Cancel("NOBODY", 1);  // a message made for the request
    CHECK(built.status.code() == ErrorCode::kUnknownMember);
    CHECK(built.status.message() == "unknown member NOBODY");
    check_gone(902);
    Events ok = f.Buy("B1", 10, 1000);
    CHECK(ok.status.ok());
    CHECK(ok.status.message().empty());
    check_gone(903);
  }
}

}  // namespace
}  // namespace corpex::test
