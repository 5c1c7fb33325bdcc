#include "tools_run.h"

#include <sys/wait.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "harness.h"

namespace corpex::test {

Run Tool(const std::string& binary, const std::string& args) {
  std::string cmd = binary + " " + args + " 2>&1";
  Run r{-1, ""};
  std::FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string OpsFlags(uint16_t port) {
  return "--url ws://127.0.0.1:" + std::to_string(port) + "/v1 --user ops --secret " + kOpsSecret;
}

std::string RegFlags(uint16_t port) {
  return "--url ws://127.0.0.1:" + std::to_string(port) + "/v1 --user csrc --secret " + kRegSecret;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

}  // namespace corpex::test
