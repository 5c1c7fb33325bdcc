// corpex-report pull: pages through report.trades into CSV or JSON Lines.
//
// Resuming: after every page the output is flushed and FILE.cursor records
// the query, the server's next cursor and the output's length. A rerun with
// the same query truncates FILE to that length (dropping a page written
// after the last cursor save) and goes on from the cursor; the cursor file
// is removed once the last page is in.
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "report/commands.h"
#include "report/trade_row.h"

namespace corpex::tools {

bool ParseTime(const std::string& s, int64_t& ms) {
  try {
    size_t used = 0;
    long long v = std::stoll(s, &used);
    if (used == s.size()) {
      ms = v;
      return true;
    }
  } catch (...) {
  }
  std::tm tm{};
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  int n = std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec);
  if (n != 3 && n != 5 && n != 6) return false;
  tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi,
  tm.tm_sec = sec;
  ms = static_cast<int64_t>(timegm(&tm)) * 1000;
  return true;
}

namespace {

namespace fs = std::filesystem;

bool ReadJson(const std::string& path, json::value& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  out = json::parse(ss.str(), ec);
  return !ec;
}

bool WriteCursor(const std::string& path, const json::object& state) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << json::serialize(state) << "\n";
    out.flush();
    if (!out) return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

void Progress(int64_t rows, int64_t from, int64_t to, int64_t last_ts, bool done) {
  double frac =
      done ? 1.0
           : (to > from && last_ts >= from ? double(last_ts - from) / double(to - from) : 0.0);
  if (frac > 1) frac = 1;
  int filled = static_cast<int>(frac * 30);
  std::fprintf(stderr, "\r[%s%s] %3d%%  %lld trades", std::string(filled, '#').c_str(),
               std::string(30 - filled, '.').c_str(), static_cast<int>(frac * 100),
               static_cast<long long>(rows));
  if (done) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

}  // namespace

int Pull(const Args& a) {
  if (a.has("help")) {
    std::cout
        << "usage: corpex-report pull --from T --to T [--member M] [--instrument S]\n"
           "                          --format csv|jsonl --out FILE [--limit N]\n"
           "  T: Unix ms or YYYY-MM-DD[THH:MM[:SS]] UTC; [from, to) half-open.\n"
           "  --limit N: trades per page (default 1000); --pages N: stop after N pages (exit 3).\n"
           "  Resumes from FILE.cursor when a previous pull of the same query was interrupted.\n";
    return 0;
  }
  if (std::string u =
          a.Unknown({"from", "to", "member", "instrument", "format", "out", "limit", "pages"});
      !u.empty())
    return Fail("unknown option " + u, 2);
  int64_t from = 0, to = 0;
  if (!a.has("from") || !ParseTime(a.get("from"), from))
    return Fail("--from is required (ms or YYYY-MM-DD)", 2);
  if (!a.has("to") || !ParseTime(a.get("to"), to))
    return Fail("--to is required (ms or YYYY-MM-DD)", 2);
  std::string format = a.get("format", "csv");
  if (format != "csv" && format != "jsonl") return Fail("--format must be csv or jsonl", 2);
  std::string out_path = a.get("out");
  if (out_path.empty()) return Fail("--out FILE is required", 2);
  std::string err;
  int64_t limit = a.num("limit", err, false).value_or(1000);
  int64_t max_pages = a.num("pages", err, false).value_or(0);
  if (!err.empty()) return Fail(err, 2);

  json::object query{{"from", from}, {"to", to}, {"format", format}};
  if (a.has("member")) query["member"] = a.get("member");
  if (a.has("instrument")) query["instrument"] = a.get("instrument");

  const std::string cursor_path = out_path + ".cursor";
  std::string cursor;
  int64_t rows = 0;
  bool resume = false;
  json::value saved;
  if (ReadJson(cursor_path, saved) && saved.is_object() && saved.as_object().contains("query")) {
    if (saved.as_object().at("query") != json::value(query))
      return Fail(cursor_path + " belongs to another query; finish that pull or delete the file",
                  2);
    const json::object& s = saved.as_object();
    std::error_code ec;
    fs::resize_file(out_path, static_cast<uintmax_t>(s.at("bytes").as_int64()), ec);
    if (ec) return Fail("cannot resume " + out_path + ": " + ec.message());
    cursor = Text(s.at("cursor"));
    rows = s.at("rows").as_int64();
    resume = true;
    std::fprintf(stderr, "resuming %s after %lld trades\n", out_path.c_str(),
                 static_cast<long long>(rows));
  }

  std::ofstream out(out_path, resume ? std::ios::app : std::ios::trunc);
  if (!out) return Fail("cannot write " + out_path);
  if (!resume && format == "csv") out << CsvLine(Columns());
  out.flush();

  Client c;
  if (std::string e = ConnectAndLogin(a, c); !e.empty()) return Fail(e);
  int64_t last_ts = from;
  for (int64_t page = 1;; ++page) {
    json::object req{{"op", "report.trades"}, {"from", from}, {"to", to}, {"limit", limit}};
    if (a.has("member")) req["member"] = a.get("member");
    if (a.has("instrument")) req["instrument"] = a.get("instrument");
    if (!cursor.empty()) req["cursor"] = cursor;
    json::object r = c.Call(req);
    if (std::string e = ErrorOf(r); !e.empty()) {
      std::fprintf(stderr, "\n");
      return Fail(e + (rows ? " (rerun the same command to resume)" : ""));
    }
    const json::object& res = Result(r);
    for (const json::value& v : res.at("trades").as_array()) {
      std::map<std::string, std::string> row = RowOf(v.as_object());
      if (format == "csv") {
        std::vector<std::string> cells;
        for (const std::string& col : Columns()) cells.push_back(row[col]);
        out << CsvLine(cells);
      } else {
        json::object o = v.as_object();
        o["transaction_reference"] = row["transaction_reference"];
        o["trading_date_time"] = row["trading_date_time"];
        o["currency"] = "CNY";
        o["net_amount"] = o.at("notional");
        out << json::serialize(o) << "\n";
      }
      last_ts = v.as_object().at("ts").as_int64();
      ++rows;
    }
    out.flush();
    if (!out) return Fail("write to " + out_path + " failed");
    const json::value& next = res.at("next_cursor");
    if (next.is_null() || Text(next).empty()) break;
    cursor = Text(next);
    json::object state{{"query", query},
                       {"cursor", cursor},
                       {"rows", rows},
                       {"bytes", static_cast<int64_t>(fs::file_size(out_path))}};
    if (!WriteCursor(cursor_path, state)) return Fail("cannot write " + cursor_path);
    Progress(rows, from, to, last_ts, false);
    if (max_pages > 0 && page >= max_pages) {
      std::fprintf(stderr, "\n");
      std::cout << "stopped after " << page << " pages, " << rows << " trades in " << out_path
                << "; rerun without --pages to resume\n";
      return 3;
    }
  }
  Progress(rows, from, to, last_ts, true);
  std::error_code ec;
  fs::remove(cursor_path, ec);
  std::cout << "wrote " << rows << " trades to " << out_path << " (" << format << ")\n";
  return 0;
}

}  // namespace corpex::tools
