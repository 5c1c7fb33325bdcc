// storage/reads.h — the read paths for reports: trades by time with filters
// and a cursor, voucher ledgers, claims, secrets, chain verification. They
// read what the writer has committed, which is only ever durable data, each
// from one consistent RocksDB snapshot. Any thread.
#pragma once

#include <string_view>
#include <vector>

#include "corpex/records.h"
#include "corpex/storage.h"
#include "storage/db.h"

namespace corpex::storage {

StatusOr<TradePage> ReadTrades(const Db& db, const TradeQuery& query);
StatusOr<TradeRecord> ReadTrade(const Db& db, TradeId id);
StatusOr<VoucherReport> ReadVouchers(const Db& db, std::string_view program);
StatusOr<std::vector<ClaimRecord>> ReadClaims(const Db& db, std::string_view program,
                                              const ClaimStatus* status);
StatusOr<DeliveryPage> ReadDeliveries(const Db& db, const DeliveryQuery& query);
StatusOr<std::string> ReadMemberSecret(const Db& db, std::string_view member);
StatusOr<uint64_t> VerifyTradeChain(const Db& db);

}  // namespace corpex::storage
