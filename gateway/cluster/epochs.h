// gateway/cluster/epochs.h — which leader wrote which part of the journal.
//
// A node keeps the cluster's epoch history (epoch, first seq) in a small
// file in its data dir: the leader appends its own entry when it wins, a
// standby stores the history its leader sends. It fences older leaders (a
// standby follows no epoch below its newest) and tells whether a node's
// journal is a prefix of the leader's (its last seq was written in the same
// epoch on both sides). Written whole to a temp file, fsynced, renamed.
//
// Thread: one owner at a time (the cluster node's thread).
#pragma once

#include <string>
#include <vector>

#include "corpex/status.h"
#include "gateway/cluster/repl_wire.h"

namespace corpex::cluster {

class EpochLog {
 public:
  // Missing file: an empty history.
  static StatusOr<EpochLog> Load(std::string path);
  Status Save(std::vector<EpochStart> history);
  const std::vector<EpochStart>& history() const { return history_; }
  uint64_t newest() const { return history_.empty() ? 0 : history_.back().epoch; }

 private:
  std::string path_;
  std::vector<EpochStart> history_;
};

}  // namespace corpex::cluster
