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
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
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

// The state letter of /proc/PID/task/TID/stat ('R', 'S', 'T' ...), or 0.
char TaskState(const std::filesystem::path& stat) {
  std::ifstream in(stat);
  std::string line;
  std::getline(in, line);
  size_t close = line.rfind(')');  // the command name may hold spaces and parens
  return close != std::string::npos && close + 2 < line.size() ? line[close + 2] : 0;
}

// True once every thread of `pid` is stopped ('T', or 't' under a tracer), or
// once none is; false after 2 s.
bool WaitThreads(pid_t pid, bool stopped) {
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (true) {
    std::error_code ec;
    bool all = true, seen = false;
    for (const auto& t : std::filesystem::directory_iterator(tasks, ec)) {
      char st = TaskState(t.path() / "stat");
      if (st == 0) continue;  // the thread just ended
      seen = true;
      if ((st == 'T' || st == 't') != stopped) all = false;
    }
    if (seen && all) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
}

// True if `pid` holds a socket listening on 127.0.0.1:port (or any address
// at that port): /proc/PID/net/tcp names the socket's inode, /proc/PID/fd
// the sockets the process holds.
bool ListensOn(pid_t pid, uint16_t port) {
  const std::string proc = "/proc/" + std::to_string(pid);
  std::ifstream tcp(proc + "/net/tcp");
  std::set<std::string> inodes;
  std::string line;
  std::getline(tcp, line);  // the header
  while (std::getline(tcp, line)) {
    std::istringstream f(line);
    std::string sl, local, remote, st, queues, timer, retr, uid, timeout, inode;
    if (!(f >> sl >> local >> remote >> st >> queues >> timer >> retr >> uid >> timeout >> inode)) continue;
    size_t colon = local.find(':');
    if (st != "0A" || colon == std::string::npos) continue;  // 0A: LISTEN
    if (std::stoul(local.substr(colon + 1), nullptr, 16) == port) inodes.insert("socket:[" + inode + "]");
  }
  std::error_code ec;
  for (const auto& fd : std::filesystem::directory_iterator(proc + "/fd", ec)) {
    auto target = std::filesystem::read_symlink(fd.path(), ec);
    if (!ec && inodes.count(target.string())) return true;
  }
  return false;
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
  // A port found free can be taken by another process before etcd binds it;
  // a first start then tries fresh ports. A restart keeps its ports.
  const bool restart = ever_up_;
  for (int attempt = 1;; ++attempt) {
    if (!restart && (attempt > 1 || port_ == 0)) {
      port_ = FreeLoopbackPort();
      do peer_port_ = FreeLoopbackPort();
      while (peer_port_ == port_);
      if (port_ == 0 || peer_port_ == 0) {
        std::fprintf(stderr, "etcd: no free loopback port\n");
        return false;
      }
    }
    Launch result = LaunchOnce(etcd);
    if (result == Launch::kUp) {
      ever_up_ = true;
      return true;
    }
    if (result == Launch::kFailed || restart || attempt == 3) return false;
    std::fprintf(stderr, "etcd: not up as its own process on ports %u/%u; trying fresh ports\n", port_, peer_port_);
    // The data dir may already record the lost peer URL.
    std::error_code ec;
    std::filesystem::remove_all(dir_ + "/data", ec);
  }
}

EtcdServer::Launch EtcdServer::LaunchOnce(const std::string& etcd) {
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
    return Launch::kFailed;
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
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::fprintf(stderr, "etcd exited during start (wait status %d)\n", status);
      PrintLogTail(log);
      return Launch::kPortsLost;
    }
    auto r = probe.Get("corpex-test-probe");
    if (r.ok()) {
      // An answer proves only that some etcd holds the port: it must be ours,
      // or Pause and Stop would act on a process nobody talks to.
      if (ListensOn(pid_, port_)) return Launch::kUp;
      std::fprintf(stderr, "etcd: 127.0.0.1:%u answers, but not from etcd pid %d\n", port_, static_cast<int>(pid_));
      PrintLogTail(log);
      Stop();
      return Launch::kPortsLost;
    }
    last_error = r.status().message();
    std::this_thread::sleep_for(50ms);
  }
  std::fprintf(stderr, "etcd did not answer within 10 s: %s\n", last_error.c_str());
  PrintLogTail(log);
  Stop();
  return Launch::kFailed;
}

void EtcdServer::PreferPorts(uint16_t client, uint16_t peer) {
  if (ever_up_) return;
  port_ = client;
  peer_port_ = peer;
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

bool EtcdServer::Pause() { return SignalAndWait(SIGSTOP, /*stopped=*/true); }

bool EtcdServer::Resume() { return SignalAndWait(SIGCONT, /*stopped=*/false); }

bool EtcdServer::SignalAndWait(int sig, bool stopped) {
  if (pid_ <= 0 || kill(pid_, sig) != 0) return false;
  // kill() only queues the signal: wait until every thread has acted on it,
  // so the caller's next step meets a frozen (or thawed) etcd.
  if (WaitThreads(pid_, stopped)) return true;
  std::fprintf(stderr, "etcd pid %d: not every thread %s within 2 s of %s\n", static_cast<int>(pid_),
               stopped ? "stopped" : "running", sigabbrev_np(sig));
  return false;
}

cluster::Etcd EtcdServer::Client(std::chrono::milliseconds timeout) const {
  auto e = cluster::Etcd::Parse(endpoint(), timeout);
  // endpoint() is always a valid 127.0.0.1:P (P 0 before the first Start,
  // which Parse refuses: the default-made Etcd then fails every call).
  return e.ok() ? std::move(*e) : cluster::Etcd();
}

}  // namespace corpex::test
