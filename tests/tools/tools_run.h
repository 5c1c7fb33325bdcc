// tests/tools/tools_run.h — runs a tool binary as a process and captures it.
#pragma once

#include <cstdint>
#include <string>

namespace corpex::test {

struct Run {
  int rc;           // exit status
  std::string out;  // stdout and stderr together
};

// `args` is appended to the binary's path as-is (shell-quoted by the caller).
Run Tool(const std::string& binary, const std::string& args);
// The operator / regulator connection flags for a daemon on `port`.
std::string OpsFlags(uint16_t port);
std::string RegFlags(uint16_t port);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& text);

}  // namespace corpex::test
