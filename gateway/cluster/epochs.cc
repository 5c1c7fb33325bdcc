#include "gateway/cluster/epochs.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace corpex::cluster {

StatusOr<EpochLog> EpochLog::Load(std::string path) {
  EpochLog log;
  log.path_ = std::move(path);
  std::ifstream in(log.path_);
  if (!in) return log;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    EpochStart e;
    if (!(fields >> e.epoch >> e.first_seq) ||
        (!log.history_.empty() && (e.epoch <= log.history_.back().epoch ||
                                   e.first_seq < log.history_.back().first_seq)))
      return Status(ErrorCode::kCorruption, log.path_ + ": malformed epoch line \"" + line + "\"");
    log.history_.push_back(e);
  }
  return log;
}

Status EpochLog::Save(std::vector<EpochStart> history) {
  std::string text;
  for (const EpochStart& e : history) text += std::to_string(e.epoch) + " " + std::to_string(e.first_seq) + "\n";
  const std::string tmp = path_ + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status(ErrorCode::kIOError, tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path_.c_str()) != 0)
    return Status(ErrorCode::kIOError, path_ + ": " + std::strerror(errno));
  history_ = std::move(history);
  return Status::Ok();
}

}  // namespace corpex::cluster
