// storage/entry.h — one command's effects as owned, named records.
//
// The turn holder fills an Entry from a command and its events (Capture),
// copying every name out of the engine's refdata, because Events and the
// refdata may change as soon as the engine runs again. The Entry is engine
// thread scratch, reused from command to command (its strings and vectors
// keep their capacity), and is encoded into the open group commit at once.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "corpex/command.h"
#include "corpex/engine.h"
#include "corpex/events.h"
#include "corpex/records.h"
#include "corpex/storage.h"

namespace corpex::storage {

struct Entry {
  Seq seq = 0;
  const Command* command = nullptr;  // the caller's, valid during Append
  std::vector<TradeRecord> trades;   // prev_hash / hash set when encoded
  size_t trade_count = 0;            // trades[0, trade_count) are this command's
  std::vector<LedgerRecord> ledgers;
  std::vector<ClaimRecord> claims;
  std::vector<DeliveryEventRecord> deliveries;
  std::vector<ProgramRecord> programs;
  std::vector<std::pair<std::string, std::string>> refdata;  // encoded key -> value
};

// Engine thread: fills *out with what `events` changed.
void Capture(Seq seq, const Command& command, const Events& events, const Engine& engine,
             const AppendExtras* extras, Entry* out);

// The owned record of an engine trade (names from `engine`), without hashes;
// reuses the strings already in *out. A negotiated trade's consideration is
// its accepted quote's (the first quote in its command's events).
void ToRecord(const Trade& t, const Engine& engine, const QuoteView* accepted, TradeRecord* out);

}  // namespace corpex::storage
