// tools/report/commands.h — corpex-report's subcommands (SPEC §6).
#pragma once

#include "common/client.h"

namespace corpex::tools {

// pull --from --to [--member] [--instrument] --format csv|jsonl --out FILE [--limit N]
int Pull(const Args& a);
// verify FILE: the hash chain from the file alone; exit 1 naming the first broken trade.
int Verify(const Args& a);
// vouchers --program P / claims --program P [--status S]; tables or --csv.
int Vouchers(const Args& a);
int Claims(const Args& a);
// deliveries [--member M] [--state S]: every page; tables, --csv or --json.
int Deliveries(const Args& a);

// rows as a table, or as CSV (RFC 4180 quoting) with --csv.
void Emit(const Args& a, const std::vector<std::string>& header,
          const std::vector<std::vector<std::string>>& rows);

// Unix ms from an integer or an ISO date "YYYY-MM-DD[THH:MM[:SS]]" (UTC).
bool ParseTime(const std::string& s, int64_t& ms);

}  // namespace corpex::tools
