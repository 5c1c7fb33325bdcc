// Login verification: signature, ts window, nonces, stored-hash keys.
#include <catch2/catch.hpp>
#include <cstdio>
#include <unistd.h>

#include "gateway/protocol/auth.h"

using namespace corpex;
using namespace corpex::gw;

namespace {
std::string Sig(const std::string& secret, const std::string& user, int64_t ts, const std::string& n) {
  return HmacSha256Hex(secret, user + "\n" + std::to_string(ts) + "\n" + n);
}
}  // namespace

TEST_CASE("HMAC-SHA256 matches RFC 4231 case 2") {
  CHECK(HmacSha256Hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("accounts and members verify; stale ts, bad sig and replays fail") {
  Config c;
  c.accounts.push_back({"ops", Role::kOperator, "s3cret"});
  Authenticator a(c);
  const int64_t now = 1'800'000'000'000;
  auto ok = a.Verify("ops", now, "n1", Sig("s3cret", "ops", now, "n1"), now);
  REQUIRE(ok.ok());
  CHECK(ok.value() == Role::kOperator);
  CHECK(a.Verify("ops", now, "n1", Sig("s3cret", "ops", now, "n1"), now).status().code() ==
        ErrorCode::kAuthFailed);  // replay
  CHECK(!a.Verify("ops", now, "n2", Sig("wrong", "ops", now, "n2"), now).ok());
  CHECK(!a.Verify("ops", now - 31'000, "n3", Sig("s3cret", "ops", now - 31'000, "n3"), now).ok());
  CHECK(!a.Verify("nobody", now, "n4", Sig("s3cret", "nobody", now, "n4"), now).ok());

  // A member's key is only the hash of its secret, and still verifies.
  std::string secret = NewMemberSecret();
  REQUIRE(secret.size() == 96);
  a.SetMemberKey("M1", MemberKeyHex(secret));
  auto m = a.Verify("M1", now, "x", Sig(secret, "M1", now, "x"), now);
  REQUIRE(m.ok());
  CHECK(m.value() == Role::kMember);
}

TEST_CASE("nonces survive a reopen of the nonce file") {
  char tmpl[] = "/tmp/corpex-nonce-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string path = dir + "/nonces.log";
  const int64_t now = 1'800'000'000'000;
  {
    NonceBook b;
    REQUIRE(b.Open(path, now).ok());
    CHECK(b.Use("u", "n", now, now));
    CHECK(!b.Use("u", "n", now, now));
  }
  NonceBook b;
  REQUIRE(b.Open(path, now + 1000).ok());
  CHECK(!b.Use("u", "n", now, now + 1000));
  CHECK(b.Use("u", "other", now, now + 1000));
  std::remove(path.c_str());
  rmdir(dir.c_str());
}
