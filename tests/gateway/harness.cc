#include "harness.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>


namespace corpex::test {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;


Daemon::Daemon(std::string limits_json, bool tls, std::string web_root,
               std::string top_level_json) {
  char tmpl[] = "/tmp/corpexd-test-XXXXXX";
  dir_ = mkdtemp(tmpl);
  if (tls) {
    std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -keyout '" +
                      dir_ + "/key.pem' -out '" + dir_ + "/cert.pem' >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  std::ofstream cfg(dir_ + "/config.json");
  cfg << R"({"listen": "127.0.0.1:0", "data_dir": ")" << dir_ << R"(/data",
 "accounts": [{"user": "ops", "role": "operator", "secret": ")" << kOpsSecret << R"("},
              {"user": "csrc", "role": "regulator", "secret": ")" << kRegSecret << R"("}])";
  if (!limits_json.empty()) cfg << ",\n \"limits\": " << limits_json;
  if (!web_root.empty()) cfg << ",\n \"web_root\": \"" << web_root << "\"";
  if (!top_level_json.empty()) cfg << ",\n " << top_level_json;
  if (tls)
    cfg << ",\n \"tls\": {\"cert\": \"" << dir_ << "/cert.pem\", \"key\": \"" << dir_ << "/key.pem\"}";
  cfg << "}\n";
}

Daemon::~Daemon() {
  if (pid_ > 0) Kill(SIGKILL);
  std::string cmd = "rm -rf '" + dir_ + "'";
  if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", dir_.c_str());
}

bool Daemon::Start() {
  std::string out = dir_ + "/stdout.txt";
  std::remove(out.c_str());
  std::fflush(stdout);  // else the child's freopen writes our buffered output again
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test binary
    std::FILE* f = std::freopen(out.c_str(), "w", stdout);
    (void)f;
    std::string config = dir_ + "/config.json";
    execl(CORPEXD_PATH, "corpexd", "--config", config.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 200; ++i) {
    std::ifstream in(out);
    std::string line;
    if (std::getline(in, line)) {
      auto colon = line.rfind(':');
      if (line.find("listening on") != std::string::npos && colon != std::string::npos) {
        port_ = static_cast<uint16_t>(std::atoi(line.c_str() + colon + 1));
        return true;
      }
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

int Daemon::Kill(int signal) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, signal);
  return WaitExit();
}

void Daemon::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int Daemon::WaitExit() {
  int status = 0;
  if (pid_ > 0) waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

Client::Client(uint16_t port, int timeout_ms) {
  connected_ = Connect("ws://127.0.0.1:" + std::to_string(port) + "/v1", timeout_ms).empty();
}

std::string HttpGet(uint16_t port, const std::string& target, unsigned* status,
                    std::string* content_type) {
  namespace http = boost::beast::http;
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket sock(ioc);
  sock.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::empty_body> req(http::verb::get, target, 11);
  req.set(http::field::host, "127.0.0.1");
  http::write(sock, req);
  boost::beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(sock, buf, res);
  *status = res.result_int();
  if (content_type) *content_type = std::string(res[http::field::content_type]);
  return res.body();
}

std::string Code(const json::object& r) {
  if (r.contains("ok") && r.at("ok").as_bool()) return "";
  if (!r.contains("error")) return "NO_RESPONSE";
  return std::string(r.at("error").as_object().at("code").as_string());
}

namespace {
Market StartAndSeed(Daemon& d) {
  REQUIRE(d.Start());
  return SeedMarket(d.port());
}
}  // namespace

void LoginAs(Client& c, const std::string& user, const Market& m) {
  const std::string& secret = user == "S1"     ? m.s1
                              : user == "B1"   ? m.b1
                              : user == "B2"   ? m.b2
                              : user == "ops"  ? std::string(kOpsSecret)
                                               : std::string(kRegSecret);
  INFO("login as " << user);
  REQUIRE(Code(c.Login(user, secret)) == "");
}

SeededExchange::SeededExchange()
    : m(StartAndSeed(d)), ops(d.port()), s1(d.port()), b1(d.port()), b2(d.port()), reg(d.port()) {
  LoginAs(ops, "ops", m);
  LoginAs(s1, "S1", m);
  LoginAs(b1, "B1", m);
  LoginAs(b2, "B2", m);
  LoginAs(reg, "csrc", m);
}

Market SeedMarket(uint16_t port) {
  Client ops(port);
  REQUIRE(Code(ops.Login("ops", kOpsSecret)) == "");
  REQUIRE(Code(ops.Call({{"op", "instrument.create"}, {"symbol", "SYM"}, {"domain", "medical"},
                         {"language", "zh"}, {"modality", "text"}, {"licence", "training"},
                         {"term_months", 12}, {"tier", 2}, {"unit", "mtok"}, {"tick", 100},
                         {"lot", 1}})) == "");
  Market m;
  auto create = [&](const char* name, const char* group, json::array roles) {
    json::object r = ops.Call({{"op", "member.create"}, {"member", name}, {"name", name},
                               {"group", group}, {"roles", roles}, {"tier", 3}});
    REQUIRE(Code(r) == "");
    return std::string(r.at("result").as_object().at("secret").as_string());
  };
  m.s1 = create("S1", "g-s1", {"seller"});
  m.b1 = create("B1", "g-b1", {"buyer"});
  m.b2 = create("B2", "g-b2", {"buyer", "seller"});
  REQUIRE(Code(ops.Call({{"op", "attestation.register"}, {"attestation", "ATT-1"}, {"member", "S1"},
                         {"dataset", std::string(64, 'a')}, {"assessor", "KWM"},
                         {"licences", {"training"}}, {"tier", 2}, {"issued_at", NowMs() - 60000},
                         {"expires_at", NowMs() + 86400000}})) == "");
  return m;
}

}  // namespace corpex::test
