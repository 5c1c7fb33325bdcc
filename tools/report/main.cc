// corpex-report — the regulator CLI (SPEC §6): pull trade reports, verify
// their hash chain offline, print voucher ledgers and claims.
#include <iostream>

#include "report/commands.h"

using namespace corpex::tools;

namespace corpex::tools {

namespace {

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
std::string CsvField(const std::string& f) {
  if (f.find_first_of(",\"\r\n") == std::string::npos) return f;
  std::string q = "\"";
  for (char ch : f) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return q + "\"";
}

}  // namespace

void Emit(const Args& a, const std::vector<std::string>& header,
          const std::vector<std::vector<std::string>>& rows) {
  if (a.has("csv")) {
    auto line = [](const std::vector<std::string>& r) {
      std::string s;
      for (size_t i = 0; i < r.size(); ++i) s += (i ? "," : "") + CsvField(r[i]);
      std::cout << s << "\n";
    };
    line(header);
    for (const auto& r : rows) line(r);
  } else {
    PrintTable(header, rows);
  }
}

int Vouchers(const Args& a) {
  if (a.has("help") || !a.has("program")) {
    std::cout
        << "usage: corpex-report vouchers --program P [--csv | --json]\n"
           "  the program's budget and each member's reserved/approved/paid/rejected/left (fen)\n";
    return a.has("help") ? 0 : 2;
  }
  if (std::string u = a.Unknown({"program", "csv"}); !u.empty())
    return Fail("unknown option " + u, 2);
  Client c;
  if (std::string e = ConnectAndLogin(a, c); !e.empty()) return Fail(e);
  json::object r = c.Call({{"op", "report.vouchers"}, {"program", a.get("program")}});
  if (std::string e = ErrorOf(r); !e.empty()) return Fail(e);
  const json::object& res = Result(r);
  if (a.has("json")) {
    std::cout << json::serialize(res) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const json::value& v : res.at("members").as_array()) {
    const json::object& m = v.as_object();
    rows.push_back({Text(m.at("member")), Text(m.at("reserved")), Text(m.at("approved")),
                    Text(m.at("paid")), Text(m.at("rejected")), Text(m.at("left"))});
  }
  if (!a.has("csv")) {
    std::cout << "program " << Text(res.at("program"));
    for (const char* k : {"rate_bps", "year", "member_cap", "budget", "budget_left"})
      if (res.contains(k)) std::cout << "  " << k << " " << Text(res.at(k));
    std::cout << "  (fen)\n";
  }
  Emit(a, {"member", "reserved", "approved", "paid", "rejected", "left"}, rows);
  return 0;
}

int Claims(const Args& a) {
  if (a.has("help") || !a.has("program")) {
    std::cout
        << "usage: corpex-report claims --program P [--status reserved|approved|paid|rejected]\n"
           "                            [--csv | --json]\n";
    return a.has("help") ? 0 : 2;
  }
  if (std::string u = a.Unknown({"program", "status", "csv"}); !u.empty())
    return Fail("unknown option " + u, 2);
  Client c;
  if (std::string e = ConnectAndLogin(a, c); !e.empty()) return Fail(e);
  json::object req{{"op", "report.claims"}, {"program", a.get("program")}};
  if (a.has("status")) req["status"] = a.get("status");
  json::object r = c.Call(req);
  if (std::string e = ErrorOf(r); !e.empty()) return Fail(e);
  const json::object& res = Result(r);
  if (a.has("json")) {
    std::cout << json::serialize(res) << "\n";
    return 0;
  }
  std::vector<std::string> header = {"trade_id", "program", "member", "amount", "status", "ts"};
  std::vector<std::vector<std::string>> rows;
  for (const json::value& v : res.at("claims").as_array()) {
    std::vector<std::string> row;
    for (const std::string& k : header)
      row.push_back(v.as_object().contains(k) ? Text(v.as_object().at(k)) : "");
    rows.push_back(row);
  }
  Emit(a, header, rows);
  return 0;
}

}  // namespace corpex::tools

int main(int argc, char** argv) {
  Args a(argc, argv, {"json", "csv", "help"});
  if (!a.error().empty()) return Fail(a.error(), 2);
  std::string sub = a.pos().empty() ? "" : a.pos()[0];
  if (sub == "pull") return Pull(a);
  if (sub == "verify") return Verify(a);
  if (sub == "vouchers") return Vouchers(a);
  if (sub == "claims") return Claims(a);
  if (sub == "deliveries") return Deliveries(a);
  if (!sub.empty())
    return Fail("unknown subcommand '" + sub + "' (corpex-report --help lists them)", 2);
  std::cout
      << "usage: corpex-report SUBCOMMAND [ARGS] [connection]\n\n"
         "  pull --from T --to T [--member M] [--instrument S] --format csv|jsonl --out FILE\n"
         "                     trades into a file (with RTS 22 style columns), resumable\n"
         "  verify FILE        recompute the hash chain from the file alone\n"
         "  vouchers --program P [--csv]           voucher ledger of a program\n"
         "  claims --program P [--status S] [--csv] voucher claims of a program\n"
         "  deliveries [--member M] [--state S] [--csv]  each trade's delivery and its times\n\n"
         "connection:\n"
         "  --url URL            default ws://127.0.0.1:8080/v1\n"
         "  --user U --secret S  regulator credentials; else CORPEX_USER / CORPEX_SECRET,\n"
         "  --credentials FILE   else a JSON file {\"user\",\"secret\"} (never printed)\n";
  return a.has("help") ? 0 : 2;
}
