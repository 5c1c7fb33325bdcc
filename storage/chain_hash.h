// storage/chain_hash.h — ChainHash (corpex/records.h) into a caller's string.
#pragma once

#include <string>

#include "corpex/records.h"

namespace corpex::storage {

// Sets *out to ChainHash(t), reusing its capacity: the writer hashes every
// trade under the turn, and a fresh 64-byte string each is a malloc
// and a free per trade.
void ChainHashInto(const TradeRecord& t, std::string* out);

}  // namespace corpex::storage
