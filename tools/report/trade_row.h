// tools/report/trade_row.h — one trade of a regulator report as written to a
// file, and the hash chain check (SPEC §5).
//
// Columns: the wire fields of report.trades plus the core of a MiFID II
// RTS 22 transaction report mapped to this market:
//   transaction_reference  "CPX" + trade id zero-padded to 12 digits (unique, stable)
//   trading_date_time      ts as ISO 8601 UTC with milliseconds
//   currency               always CNY (prices and amounts are in fen)
//   net_amount             the contract amount the buyer pays the seller (= notional, fen);
//                          the voucher refund comes after the fact and is net_cost's concern
// venue trade id = trade_id, buyer/seller ids = buyer/seller, instrument id = instrument.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/client.h"

namespace corpex::tools {

// Column names in file order.
const std::vector<std::string>& Columns();

// A wire trade (report.trades entry) as text per column.
std::map<std::string, std::string> RowOf(const json::object& trade);

// CSV: one line (with "\n") with RFC 4180 quoting; ParseCsvLine is its inverse.
std::string CsvLine(const std::vector<std::string>& cells);
bool ParseCsvLine(const std::string& line, std::vector<std::string>& cells);

// hex(SHA-256(prev_hash|trade_id|ts|instrument|price|qty|buyer|seller|
// buy_order_id|sell_order_id|aggressor|attestation|dataset|voucher_program|voucher_offset)).
std::string ChainHash(const std::map<std::string, std::string>& row);

}  // namespace corpex::tools
