// corpex-report deliveries: every trade's sandbox delivery with its times,
// all pages (docs/PROTOCOL.md "Deliveries").
#include <cstdio>
#include <iostream>

#include "report/commands.h"

namespace corpex::tools {
namespace {

// "" for a null time; else the ms value.
std::string Ms(const json::object& d, const char* key) {
  const json::value& v = d.at(key);
  return v.is_null() ? "" : Text(v);
}

}  // namespace

int Deliveries(const Args& a) {
  if (a.has("help")) {
    std::cout << "usage: corpex-report deliveries [--member M] [--state pending|granted|confirmed|disputed|failed]\n"
                 "                                [--csv | --json]\n"
                 "  each trade's delivery: parties, state, when it was opened, granted, confirmed,\n"
                 "  disputed and resolved (Unix ms), and seconds from trade to confirmation\n";
    return 0;
  }
  if (std::string u = a.Unknown({"member", "state", "csv"}); !u.empty()) return Fail("unknown option " + u, 2);
  Client c;
  if (std::string e = ConnectAndLogin(a, c); !e.empty()) return Fail(e);
  const std::vector<std::string> header = {"trade_id",   "instrument",   "buyer",       "seller",
                                           "state",      "opened_at",    "granted_at",  "confirmed_at",
                                           "disputed_at", "resolved_at", "to_confirm_s"};
  std::vector<std::vector<std::string>> rows;
  json::array all;
  json::value cursor;
  for (int page = 1;; ++page) {
    json::object req{{"op", "report.deliveries"}, {"limit", 1000}};
    if (a.has("member")) req["member"] = a.get("member");
    if (a.has("state")) req["state"] = a.get("state");
    if (cursor.is_string()) req["cursor"] = cursor;
    json::object r = c.Call(req);
    if (std::string e = ErrorOf(r); !e.empty()) return Fail(e);
    const json::object& res = Result(r);
    for (const json::value& v : res.at("deliveries").as_array()) {
      const json::object& d = v.as_object();
      if (a.has("json")) {
        all.push_back(v);
        continue;
      }
      std::string to_confirm;
      if (!d.at("confirmed_at").is_null())
        to_confirm = std::to_string((d.at("confirmed_at").as_int64() - d.at("opened_at").as_int64()) / 1000);
      rows.push_back({Text(d.at("trade_id")), Text(d.at("instrument")), Text(d.at("buyer")), Text(d.at("seller")),
                      Text(d.at("state")), Ms(d, "opened_at"), Ms(d, "granted_at"), Ms(d, "confirmed_at"),
                      Ms(d, "disputed_at"), Ms(d, "resolved_at"), to_confirm});
    }
    cursor = res.at("next_cursor");
    if (cursor.is_null()) {
      if (page > 1) std::fprintf(stderr, "\n");
      break;
    }
    std::fprintf(stderr, "\rpage %d, %zu deliveries", page, a.has("json") ? all.size() : rows.size());
    std::fflush(stderr);
  }
  if (a.has("json")) {
    std::cout << json::serialize(json::object{{"deliveries", std::move(all)}}) << "\n";
    return 0;
  }
  Emit(a, header, rows);
  if (!a.has("csv") && rows.empty()) std::cout << "(no deliveries)\n";
  return 0;
}

}  // namespace corpex::tools
