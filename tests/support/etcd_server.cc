#include "tests/support/etcd_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace corpex::test {
namespace {

using namespace std::chrono_literals;

// /usr/bin/etcd (Debian's etcd-server), else the first `etcd` on PATH; "" if none.
std::string FindEtcd() {
  if (access("/usr/bin/etcd", X_OK) == 0) return "/usr/bin/etcd";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string d;
  while (std::getline(dirs, d, ':')) {
    std::string p = (d.empty() ? "." : d) + "/etcd";
    if (access(p.c_str(), X_OK) == 0) return p;
  }
  return "";
}

void PrintLogTail(const std::string& log) {
  std::ifstream in(log);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(std::move(l));
  size_t from = lines.size() > 20 ? lines.size() - 20 : 0;
  std::fprintf(stderr, "--- last lines of %s ---\n", log.c_str());
  for (size_t i = from; i < lines.size(); ++i) std::fprintf(stderr, "%s\n", lines[i].c_str());
}

}  // namespace

uint16_t FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  close(fd);
  return port;
}

EtcdServer::~EtcdServer() {
  Stop();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    if (ec) std::fprintf(stderr, "could not remove %s: %s\n", dir_.c_str(), ec.message().c_str());
  }
}

bool EtcdServer::Start() {
  if (pid_ > 0) return true;
  std::string etcd = FindEtcd();
  if (etcd.empty()) {
    std::fprintf(stderr, "etcd not found: make deps installs etcd-server\n");
    return false;
  }
  if (dir_.empty()) {
    char tmpl[] = "/tmp/corpex-etcd-XXXXXX";
    if (!mkdtemp(tmpl)) {
      std::perror("mkdtemp");
      return false;
    }
    dir_ = tmpl;
  }
  if (port_ == 0) {
    port_ = FreeLoopbackPort();
    do peer_port_ = FreeLoopbackPort();
    while (peer_port_ == port_);
    if (port_ == 0 || peer_port_ == 0) {
      std::fprintf(stderr, "etcd: no free loopback port\n");
      return false;
    }
  }
  std::string client = "http://127.0.0.1:" + std::to_string(port_);
  std::string peer = "http://127.0.0.1:" + std::to_string(peer_port_);
  std::vector<std::string> args = {"etcd",
                                   "--name", "t",
                                   "--data-dir", dir_ + "/data",
                                   "--listen-client-urls", client,
                                   "--advertise-client-urls", client,
                                   "--listen-peer-urls", peer,
                                   "--initial-advertise-peer-urls", peer,
                                   "--initial-cluster", "t=" + peer};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string log = dir_ + "/etcd.log";

  // Everything the child needs is built before fork: after it, only
  // async-signal-safe calls until exec.
  pid_t parent = getpid();
  pid_ = fork();
  if (pid_ < 0) {
    std::perror("fork");
    pid_ = -1;
    return false;
  }
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test binary
    if (getppid() != parent) _exit(126);
    int out = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int in = open("/dev/null", O_RDONLY);
    if (out >= 0) {
      dup2(out, STDOUT_FILENO);
      dup2(out, STDERR_FILENO);
    }
    if (in >= 0) dup2(in, STDIN_FILENO);
    execv(etcd.c_str(), argv.data());
    _exit(127);
  }

  auto probe = Client(500ms);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  std::string last_error;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = probe.Get("corpex-test-probe");
    if (r.ok()) return true;
    last_error = r.status().message();
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::fprintf(stderr, "etcd exited during start (wait status %d)\n", status);
      PrintLogTail(log);
      return false;
    }
    std::this_thread::sleep_for(50ms);
  }
  std::fprintf(stderr, "etcd did not answer within 10 s: %s\n", last_error.c_str());
  PrintLogTail(log);
  Stop();
  return false;
}

void EtcdServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  kill(pid_, SIGCONT);  // a paused etcd acts on SIGTERM only once it runs again
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  pid_ = -1;
}

void EtcdServer::Pause() {
  if (pid_ > 0) kill(pid_, SIGSTOP);
}

void EtcdServer::Resume() {
  if (pid_ > 0) kill(pid_, SIGCONT);
}

cluster::Etcd EtcdServer::Client(std::chrono::milliseconds timeout) const {
  auto e = cluster::Etcd::Parse(endpoint(), timeout);
  // endpoint() is always a valid 127.0.0.1:P (P 0 before the first Start,
  // which Parse refuses: the default-made Etcd then fails every call).
  return e.ok() ? std::move(*e) : cluster::Etcd();
}

}  // namespace corpex::test
