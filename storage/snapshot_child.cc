#include "storage/snapshot_child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

namespace corpex::storage {
namespace {

namespace fs = std::filesystem;

Status Fail(const std::string& what) {
  return Status(ErrorCode::kIOError, what + ": " + std::strerror(errno));
}

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Writes a new file in slices, each handed to writeback at once: the disk
// sees a steady trickle instead of one burst the exchange's WAL fsyncs
// would queue behind.
bool WriteTrickle(int fd, const std::string& bytes) {
  constexpr size_t kSlice = 4 << 20;
  for (size_t off = 0; off < bytes.size(); off += kSlice) {
    const size_t n = std::min(kSlice, bytes.size() - off);
    if (!WriteAll(fd, bytes.data() + off, n)) return false;
    ::sync_file_range(fd, static_cast<off_t>(off), static_cast<off_t>(n), SYNC_FILE_RANGE_WRITE);
  }
  return true;
}

bool SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string SnapshotDir(const std::string& db_dir) { return db_dir + "/corpex-snapshots"; }

std::string SnapshotPath(const std::string& db_dir, Seq seq) {
  char name[64];
  std::snprintf(name, sizeof name, "/snapshot-%020llu.bin", static_cast<unsigned long long>(seq));
  return SnapshotDir(db_dir) + name;
}

Status WriteSnapshotFile(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Fail("create " + tmp);
  bool ok = WriteTrickle(fd, bytes) && ::fdatasync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  if (!ok) return Fail("write " + tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Fail("rename " + tmp);
  if (!SyncDir(fs::path(path).parent_path().string())) return Fail("fsync dir of " + path);
  return Status::Ok();
}

Status ReadSnapshotFile(const std::string& path, std::string* bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Fail("open " + path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Fail("stat " + path);
  }
  bytes->resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  while (got < bytes->size()) {
    ssize_t r = ::read(fd, bytes->data() + got, bytes->size() - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  ::close(fd);
  if (got != bytes->size()) return Fail("read " + path);
  return Status::Ok();
}

void PruneSnapshotFiles(const std::string& db_dir, Seq keep, bool all_but_keep) {
  std::error_code ec;
  const std::string keep_name = fs::path(SnapshotPath(db_dir, keep)).filename().string();
  std::vector<fs::path> doomed;
  for (const auto& e : fs::directory_iterator(SnapshotDir(db_dir), ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("snapshot-", 0) != 0 || name == keep_name) continue;
    // Names sort as seqs: 20 digits. A newer one may be a child's, mid-write.
    if (all_but_keep || (name.size() == keep_name.size() && name < keep_name)) doomed.push_back(e.path());
  }
  for (const fs::path& p : doomed) fs::remove(p, ec);
}

SnapshotChild::~SnapshotChild() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

Status SnapshotChild::Start(const Engine& engine, const Head& head) {
  if (pid_ > 0) return Status(ErrorCode::kInternal, "a snapshot is already being written");
  std::error_code ec;
  fs::create_directories(SnapshotDir(db_dir_), ec);
  if (ec) return Status(ErrorCode::kIOError, "cannot create " + SnapshotDir(db_dir_) + ": " + ec.message());
  const std::string path = SnapshotPath(db_dir_, head.last_seq);
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) return Fail("fork for a snapshot");
  if (pid == 0) {
    // The child: the engine as it stands, serialised, then gone. Exit code 0
    // means the file is durable under its final name.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(3);
    // Background work: the exchange's own threads come first, for CPU and disk.
    ::setpriority(PRIO_PROCESS, 0, 19);
    ::syscall(SYS_ioprio_set, 1 /*IOPRIO_WHO_PROCESS*/, 0, 3 << 13 /*IOPRIO_CLASS_IDLE*/);
    Status s = WriteSnapshotFile(path, engine.Save());
    ::_exit(s.ok() ? 0 : 2);
  }
  pid_ = pid;
  head_ = head;
  return Status::Ok();
}

std::optional<SnapshotChild::Done> SnapshotChild::Poll(bool wait) {
  if (pid_ <= 0) return std::nullopt;
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, wait ? 0 : WNOHANG);
  } while (r < 0 && errno == EINTR);
  if (r == 0) return std::nullopt;  // still writing
  pid_ = -1;
  Done d;
  d.head = head_;
  const std::string path = SnapshotPath(db_dir_, head_.last_seq);
  if (r < 0) {
    d.status = Fail("wait for the snapshot writer");
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    d.status = Status(ErrorCode::kInternal, "snapshot writer for seq " + std::to_string(head_.last_seq) +
                                                (WIFSIGNALED(status) ? " was killed" : " failed"));
  } else {
    std::error_code ec;
    d.bytes = fs::file_size(path, ec);
    if (ec) d.status = Status(ErrorCode::kIOError, "snapshot file " + path + ": " + ec.message());
  }
  if (!d.status.ok()) {
    std::error_code ec;
    fs::remove(path + ".tmp", ec);
    fs::remove(path, ec);
  }
  return d;
}

}  // namespace corpex::storage
