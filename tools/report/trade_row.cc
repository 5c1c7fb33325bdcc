#include "report/trade_row.h"

#include <cstdio>
#include <ctime>

namespace corpex::tools {

const std::vector<std::string>& Columns() {
  static const std::vector<std::string> kColumns = {"transaction_reference",
                                                    "trade_id",
                                                    "trading_date_time",
                                                    "ts",
                                                    "instrument",
                                                    "buyer",
                                                    "seller",
                                                    "buy_order_id",
                                                    "sell_order_id",
                                                    "aggressor",
                                                    "venue",
                                                    "chain_version",
                                                    "consideration",
                                                    "company",
                                                    "shares",
                                                    "price",
                                                    "qty",
                                                    "currency",
                                                    "notional",
                                                    "net_amount",
                                                    "affiliated",
                                                    "attestation",
                                                    "dataset",
                                                    "voucher_program",
                                                    "voucher_offset",
                                                    "net_cost",
                                                    "prev_hash",
                                                    "hash"};
  return kColumns;
}

static std::string IsoUtc(int64_t ms) {
  std::time_t s = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::map<std::string, std::string> RowOf(const json::object& t) {
  std::map<std::string, std::string> row;
  for (const auto& kv : t) row[std::string(kv.key())] = Text(kv.value());
  char ref[32];
  std::snprintf(ref, sizeof ref, "CPX%012lld", std::stoll(row["trade_id"]));
  row["transaction_reference"] = ref;
  row["trading_date_time"] = IsoUtc(std::stoll(row["ts"]));
  row["currency"] = "CNY";
  row["net_amount"] = row["notional"];
  return row;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    const std::string& c = cells[i];
    if (c.find_first_of(",\"\r\n") == std::string::npos) {
      out += c;
      continue;
    }
    out += '"';
    for (char ch : c) {
      if (ch == '"') out += '"';
      out += ch;
    }
    out += '"';
  }
  return out + "\n";
}

bool ParseCsvLine(const std::string& line, std::vector<std::string>& cells) {
  cells.clear();
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        cur += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      cells.push_back(cur);
      cur.clear();
    } else if (ch != '\r') {
      cur += ch;
    }
  }
  cells.push_back(cur);
  return !quoted;
}

std::string ChainHash(const std::map<std::string, std::string>& row) {
  static const char* kFields[] = {
      "prev_hash", "trade_id",    "ts",      "instrument",      "price",
      "qty",       "buyer",       "seller",  "buy_order_id",    "sell_order_id",
      "aggressor", "attestation", "dataset", "voucher_program", "voucher_offset"};
  std::string s;
  bool first = true;
  for (const char* f : kFields) {
    if (!first) s += '|';
    first = false;
    auto it = row.find(f);
    if (it != row.end()) s += it->second;
  }
  // Version 2 (negotiated trades; docs/PROTOCOL.md): venue, notional and the
  // consideration follow. A file without the column is version 1 throughout.
  auto at = [&](const char* k) {
    auto it = row.find(k);
    return it == row.end() ? std::string() : it->second;
  };
  if (at("chain_version") == "2")
    s += "|2|" + at("venue") + "|" + at("notional") + "|" + at("consideration") + "|" + at("company") + "|" +
         at("shares");
  return Sha256Hex(s);
}

}  // namespace corpex::tools
