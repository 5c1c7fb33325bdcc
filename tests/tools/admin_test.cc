// corpex-admin against a real corpexd: seed idempotency with the demo market,
// operator ops with their exit codes, credentials from every source.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>

#include "harness.h"
#include "tools_run.h"

using namespace corpex::test;

TEST_CASE("seed loads the demo market once; a second run changes nothing", "[tools][admin]") {
  Daemon d;
  REQUIRE(d.Start());
  const std::string seed = std::string(CORPEX_SOURCE_DIR) + "/config/seed-demo.json";
  Run first = Tool(CORPEX_ADMIN_PATH, "seed " + seed + " " + OpsFlags(d.port()));
  INFO(first.out);
  REQUIRE(first.rc == 0);
  CHECK(first.out.find("secrets (shown once") != std::string::npos);
  CHECK(first.out.find("SZ-MODEL-LAB") != std::string::npos);
  CHECK(first.out.find(" 0 unchanged") != std::string::npos);
  CHECK(first.out.find("deals         8") != std::string::npos);

  Run second = Tool(CORPEX_ADMIN_PATH, "seed " + seed + " " + OpsFlags(d.port()));
  INFO(second.out);
  REQUIRE(second.rc == 0);
  CHECK(second.out.find("nothing changed") != std::string::npos);
  CHECK(second.out.find("secrets") == std::string::npos);

  Run js = Tool(CORPEX_ADMIN_PATH, "seed " + seed + " --json " + OpsFlags(d.port()));
  REQUIRE(js.rc == 0);
  json::object o = json::parse(js.out).as_object();
  CHECK(o.at("changed").as_bool() == false);
  CHECK(o.at("summary").as_object().at("programs").as_object().at("unchanged").as_int64() == 3);
  CHECK(o.at("summary").as_object().at("deals").as_object().at("created").as_int64() == 0);

  Run status = Tool(CORPEX_ADMIN_PATH, "status --json " + OpsFlags(d.port()));
  REQUIRE(status.rc == 0);
  json::object s = json::parse(status.out).as_object();
  CHECK(s.at("programs").as_int64() == 3);
  CHECK(s.at("members").as_int64() >= 10);

  // The first run's deals left one delivery in each state, the trades under
  // the sandbox program held for delivery.
  Run dl = Tool(CORPEX_ADMIN_PATH, "delivery list --json " + OpsFlags(d.port()));
  REQUIRE(dl.rc == 0);
  std::vector<std::string> states;
  const json::value listed = json::parse(dl.out);
  for (const auto& v : listed.as_object().at("deliveries").as_array())
    states.push_back(std::string(v.as_object().at("state").as_string()));
  CHECK(states ==
        std::vector<std::string>{"confirmed", "disputed", "granted", "pending", "failed", "granted", "confirmed"});
}

TEST_CASE("admin ops exit 0 on success and non-zero with the server's code", "[tools][admin]") {
  Daemon d;
  REQUIRE(d.Start());
  const std::string f = " " + OpsFlags(d.port());
  auto admin = [&](const std::string& args) { return Tool(CORPEX_ADMIN_PATH, args + f); };

  const std::string inst =
      "instrument create ZH-LEGAL.TRAIN.12M --domain legal --language zh --modality text --licence "
      "training "
      "--term-months 12 --tier 2 --unit mtok --tick 100 --lot 1";
  Run r = admin(inst);
  INFO(r.out);
  CHECK(r.rc == 0);
  r = admin(inst);
  CHECK(r.rc != 0);
  CHECK(r.out.find("ALREADY_EXISTS") != std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);  // one-line error

  r = admin("instrument halt ZH-LEGAL.TRAIN.12M");
  CHECK(r.rc == 0);
  r = admin("instrument halt NOPE");
  CHECK(r.rc != 0);
  CHECK(r.out.find("UNKNOWN_INSTRUMENT") != std::string::npos);
  CHECK(admin("instrument resume ZH-LEGAL.TRAIN.12M").rc == 0);

  r = admin(
      "member create SZ-LAW --name 'Shenzhen Law Co' --group SZL --roles seller,buyer --tier 3 "
      "--json");
  REQUIRE(r.rc == 0);
  std::string secret(json::parse(r.out).as_object().at("secret").as_string());
  CHECK(secret.size() >= 32);
  Client m(d.port());
  CHECK(Code(m.Login("SZ-LAW", secret)) == "");

  r = admin("attestation register ATT-L1 --member SZ-LAW --dataset " + std::string(64, 'b') +
            " --assessor 'Grandall Law Firm' --licences training --tier 2 --issued-at " +
            std::to_string(NowMs() - 1000) + " --expires-at " + std::to_string(NowMs() + 86400000));
  CHECK(r.rc == 0);
  CHECK(
      admin(
          "voucher program-create SZ-CV --rate-bps 3000 --member-cap 200000000 --budget 5000000000 "
          "--year 2026 --domains legal,medical")
          .rc == 0);
  CHECK(admin("voucher enrol SZ-CV SZ-LAW").rc == 0);
  r = admin("voucher enrol SZ-CV SZ-LAW");
  CHECK(r.rc != 0);
  CHECK(r.out.find("ALREADY_EXISTS") != std::string::npos);

  r = admin("member kill SZ-LAW --json");
  CHECK(r.rc == 0);
  CHECK(json::parse(r.out).as_object().at("canceled").as_int64() == 0);
  CHECK(admin("member suspend SZ-LAW").rc == 0);
  CHECK(admin("member resume SZ-LAW").rc == 0);
  r = admin("member kill NOBODY");
  CHECK(r.rc != 0);
  CHECK(r.out.find("UNKNOWN_MEMBER") != std::string::npos);
  CHECK(admin("attestation revoke ATT-L1 --reason audit").rc == 0);
  r = admin("claim settle 999 approved");
  CHECK(r.rc != 0);
  CHECK(admin("book ZH-LEGAL.TRAIN.12M").rc == 0);

  // Usage errors are caught before connecting.
  CHECK(admin("instrument create X --domain legal").rc == 2);
  CHECK(admin("member frobnicate X").rc == 2);
  CHECK(Tool(CORPEX_ADMIN_PATH, "--help").rc == 0);
  CHECK(Tool(CORPEX_ADMIN_PATH, "member create --help").rc == 0);
}

TEST_CASE("credentials come from flags, environment or a file and are never echoed",
          "[tools][admin]") {
  Daemon d;
  REQUIRE(d.Start());
  const std::string url = "--url ws://127.0.0.1:" + std::to_string(d.port()) + "/v1";
  Run r = Tool(CORPEX_ADMIN_PATH, "status " + url);
  CHECK(r.rc != 0);
  CHECK(r.out.find("no credentials") != std::string::npos);

  r = Tool(CORPEX_ADMIN_PATH, "status " + url + " --user ops --secret wrong-secret");
  CHECK(r.rc != 0);
  CHECK(r.out.find("AUTH_FAILED") != std::string::npos);
  CHECK(r.out.find("wrong-secret") == std::string::npos);

  r = Tool(CORPEX_ADMIN_PATH, std::string("status ") + url + " --user ops --secret " + kOpsSecret);
  CHECK(r.rc == 0);
  CHECK(r.out.find(kOpsSecret) == std::string::npos);

  r = Tool("CORPEX_USER=ops CORPEX_SECRET=" + std::string(kOpsSecret) + " " CORPEX_ADMIN_PATH,
           "status " + url);
  CHECK(r.rc == 0);

  const std::string cred = d.dir() + "/cred.json";
  WriteFile(cred, std::string(R"({"user":"ops","secret":")") + kOpsSecret + "\"}");
  r = Tool(CORPEX_ADMIN_PATH, "status " + url + " --credentials " + cred);
  CHECK(r.rc == 0);
  CHECK(r.out.find(kOpsSecret) == std::string::npos);
}
