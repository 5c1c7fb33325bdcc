// corpexd's config file (SPEC §5): known keys only, the key named on error.
#include <catch2/catch.hpp>

#include "gateway/config.h"

using namespace corpex;
using namespace corpex::gw;

TEST_CASE("a full config parses") {
  auto c = ParseConfig(R"({"listen":"127.0.0.1:8080","data_dir":"var/data",
    "tls":{"cert":"c.pem","key":"k.pem"},
    "accounts":[{"user":"ops","role":"operator","secret":"s"},{"user":"csrc","role":"regulator","secret":"t"}],
    "limits":{"orders_per_second":10,"max_frame_bytes":1000}})");
  REQUIRE(c.ok());
  CHECK(c->host == "127.0.0.1");
  CHECK(c->port == 8080);
  CHECK(c->accounts.size() == 2);
  CHECK(c->accounts[1].role == Role::kRegulator);
  CHECK(c->limits.orders_per_second == 10);
  CHECK(c->tls_key == "k.pem");
  CHECK(c->io_threads == 1);  // the default
  CHECK(c->limits.idle_timeout_s == 300);  // the default
  auto more = ParseConfig(R"({"listen":"127.0.0.1:1","data_dir":"d","io_threads":4})");
  REQUIRE(more.ok());
  CHECK(more->io_threads == 4);
  CHECK(c->commit_interval_us == 1000);  // the default
  for (uint32_t us : {0u, 250u, 100000u}) {
    auto paced = ParseConfig(R"({"listen":"127.0.0.1:1","data_dir":"d","commit_interval_us":)" +
                             std::to_string(us) + "}");
    REQUIRE(paced.ok());
    CHECK(paced->commit_interval_us == us);
  }
  CHECK(c->snapshot_every == 1000000);  // the default
  auto often = ParseConfig(R"({"listen":"127.0.0.1:1","data_dir":"d","snapshot_every":100})");
  REQUIRE(often.ok());
  CHECK(often->snapshot_every == 100);
}

TEST_CASE("unknown keys are errors naming the key") {
  auto c = ParseConfig(R"({"listen":"127.0.0.1:1","data_dir":"d","colour":1})");
  REQUIRE(!c.ok());
  CHECK(c.status().message().find("colour") != std::string::npos);
  c = ParseConfig(R"({"listen":"127.0.0.1:1","data_dir":"d","limits":{"speed":1}})");
  REQUIRE(!c.ok());
  CHECK(c.status().message().find("limits.speed") != std::string::npos);
  c = ParseConfig(R"({"listen":"127.0.0.1:1","data_dir":"d","accounts":[{"user":"a","role":"operator","secret":"s","x":1}]})");
  REQUIRE(!c.ok());
  CHECK(c.status().message().find("x") != std::string::npos);
}

TEST_CASE("bad values are refused") {
  CHECK(!ParseConfig(R"({"data_dir":"d"})").ok());
  CHECK(!ParseConfig(R"({"listen":"nohost","data_dir":"d"})").ok());
  CHECK(!ParseConfig(R"({"listen":"h:1","data_dir":"d","accounts":[{"user":"a","role":"member","secret":"s"}]})").ok());
  CHECK(!ParseConfig(R"({"listen":"h:1","data_dir":"d","limits":{"max_frame_bytes":-1}})").ok());
  CHECK(!ParseConfig("not json").ok());
  CHECK(!ParseConfig(R"({"listen":"h:1","data_dir":"d","io_threads":0})").ok());
  CHECK(!ParseConfig(R"({"listen":"h:1","data_dir":"d","io_threads":65})").ok());
  CHECK(!ParseConfig(R"({"listen":"h:1","data_dir":"d","commit_interval_us":-1})").ok());
  CHECK(!ParseConfig(R"({"listen":"h:1","data_dir":"d","commit_interval_us":100001})").ok());
  CHECK(!ParseConfig(R"({"listen":"h:1","data_dir":"d","commit_interval_us":"1ms"})").ok());
  CHECK(!ParseConfig(R"({"listen":"h:1","data_dir":"d","snapshot_every":99})").ok());
  CHECK(!ParseConfig(R"({"listen":"h:1","data_dir":"d","snapshot_every":1000000001})").ok());
  CHECK(!ParseConfig(R"({"listen":"h:1","data_dir":"d","snapshot_every":0})").ok());
  CHECK(!ParseConfig(R"({"listen":"h:1","data_dir":"d","limits":{"idle_timeout_s":0}})").ok());
  auto idle = ParseConfig(R"({"listen":"h:1","data_dir":"d","limits":{"idle_timeout_s":7}})");
  REQUIRE(idle.ok());
  CHECK(idle->limits.idle_timeout_s == 7);
}

TEST_CASE("config/demo.json, which make run uses, loads") {
  auto c = LoadConfig(CORPEX_SOURCE_DIR "/config/demo.json");
  REQUIRE(c.ok());
  CHECK(c->port == 8080);
  CHECK(c->data_dir == "var/data");
  CHECK(c->accounts.size() == 2);
}
