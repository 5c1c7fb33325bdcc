// storage/recovery.h — rebuild the engine from the latest snapshot and the
// journal after it, and check the result against what is stored.
//
// The checks make a silent divergence loud: every journal seq after the
// snapshot up to the head must be present exactly once, and the replay must
// re-create the last stored trade (same id, same fields) and the stored chain
// head. A failed check is an error naming the seq or trade, never a guess.
#pragma once

#include "corpex/engine.h"
#include "corpex/storage.h"
#include "storage/db.h"
#include "storage/keys.h"

namespace corpex::storage {

struct RecoveryResult {
  Recovered recovered;
  Head head;  // where the writer continues
};

StatusOr<RecoveryResult> RecoverFromDb(const Db& db, const Engine::Options& engine_options);

}  // namespace corpex::storage
