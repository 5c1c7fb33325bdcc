// storage/snapshot_child.h — engine snapshots written by a forked child.
//
// Engine::Save() of a million resting orders takes the turn holder about a
// second, and writing its ~100 MB through RocksDB's WAL holds every group
// commit behind it: a second in which no order is acknowledged. Instead the
// turn holder forks (a few ms: the page tables are copied, the pages are
// shared copy-on-write) and the child, which sees the engine exactly as it
// stood between two commands, serialises it to a file of its own and exits.
// The writer then commits only a small "snapshot" meta naming the file.
//
// The child runs nothing but Engine::Save (allocation only, which glibc keeps
// usable after fork) and plain file I/O, then _exit: it never touches RocksDB
// or another thread's state. It dies with the parent (PR_SET_PDEATHSIG), so
// a kill -9 leaves at most a *.tmp file, removed at the next start.
//
// Files: DIR/corpex-snapshots/snapshot-<seq, 20 digits>.bin, written as .tmp,
// fsync'd, renamed, directory fsync'd.
//
// Thread: the turn holder (it owns the engine the child copies;
// docs/ARCHITECTURE.md).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "corpex/engine.h"
#include "corpex/status.h"
#include "storage/keys.h"

namespace corpex::storage {

std::string SnapshotDir(const std::string& db_dir);
std::string SnapshotPath(const std::string& db_dir, Seq seq);
// Writes `bytes` durably to `path` (via path + ".tmp").
Status WriteSnapshotFile(const std::string& path, const std::string& bytes);
Status ReadSnapshotFile(const std::string& path, std::string* bytes);
// Removes the snapshot files older than `keep`; with `all_but_keep` (at
// recovery, when no child runs) also newer ones and *.tmp leftovers.
void PruneSnapshotFiles(const std::string& db_dir, Seq keep, bool all_but_keep);

class SnapshotChild {
 public:
  explicit SnapshotChild(std::string db_dir) : db_dir_(std::move(db_dir)) {}
  ~SnapshotChild();  // kills and reaps a child still running
  SnapshotChild(const SnapshotChild&) = delete;
  SnapshotChild& operator=(const SnapshotChild&) = delete;

  // Forks a child that writes engine.Save() for `head` (the state the engine
  // is in now). Refused while a child runs.
  Status Start(const Engine& engine, const Head& head);
  bool running() const { return pid_ > 0; }
  // Once the child has exited: its outcome (the file's size in `bytes`),
  // and the head it covers. `wait`: block until it exits.
  struct Done {
    Status status;
    Head head;
    uint64_t bytes = 0;
  };
  std::optional<Done> Poll(bool wait);

 private:
  std::string db_dir_;
  pid_t pid_ = -1;
  Head head_;
};

}  // namespace corpex::storage
