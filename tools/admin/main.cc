// corpex-admin — the operator CLI (SPEC §6): one subcommand per operator op
// of SPEC §5, plus `book SYMBOL` and `seed FILE`.
#include <cctype>
#include <iostream>

#include "admin/commands.h"
#include "admin/seed.h"
#include "common/client.h"

using namespace corpex::tools;

namespace {

const char* kConn =
    "connection (every subcommand):\n"
    "  --url URL            default ws://127.0.0.1:8080/v1\n"
    "  --user U --secret S  operator credentials; else CORPEX_USER / CORPEX_SECRET,\n"
    "  --credentials FILE   else a JSON file {\"user\",\"secret\"} (the secret is never printed)\n"
    "  --json               print the server's result as JSON (for scripts)\n";

std::string Usage(const Command& c) {
  std::string s = "usage: corpex-admin " + std::string(c.group) + (*c.verb ? " " : "") + c.verb;
  for (const Param& p : c.params)
    if (!p.option) {
      std::string n = p.name;
      for (char& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      s += " " + n;
    }
  for (const Param& p : c.params)
    if (p.option)
      s += std::string(p.required ? " " : " [") + "--" + p.option + " " +
           (p.kind == ParamKind::kInt    ? "N"
            : p.kind == ParamKind::kList ? "A,B"
            : p.kind == ParamKind::kBool ? "true|false"
                                         : "X") +
           (p.required ? "" : "]");
  s += "\n  " + std::string(c.help) + "\n";
  for (const Param& p : c.params)
    s += "  " + std::string(p.option ? "--" + std::string(p.option) : std::string(p.name)) + ": " +
         p.help + "\n";
  return s;
}

void MainHelp() {
  std::cout
      << "usage: corpex-admin SUBCOMMAND [ARGS] [--json] [connection]\n\noperator subcommands:\n";
  for (const Command& c : Commands()) {
    std::string name = std::string(c.group) + (*c.verb ? " " : "") + c.verb;
    std::cout << "  " << name << std::string(30 - name.size(), ' ') << c.help << "\n";
  }
  std::cout
      << "  book SYMBOL [--depth N]       order book depth (subscribe book snapshot)\n"
         "  seed FILE                     load instruments, members, attestations, programs and\n"
         "                                enrolments from FILE, idempotently (and its demo deals,\n"
         "                                once, between members it created)\n\n"
      << kConn << "\n'corpex-admin SUBCOMMAND --help' describes one subcommand.\n";
}

// Prints an op's result: key/value lines, arrays of objects as tables.
void PrintResult(const Command& cmd, const json::object& res) {
  if (std::string(cmd.op) == "member.create") {
    std::cout << "member " << Text(res.at("member")) << " created\nsecret "
              << Text(res.at("secret"))
              << "\n(shown once: corpex keeps only its hash; give it to the member now)\n";
    return;
  }
  if (res.empty()) {
    std::cout << "ok: " << cmd.op << "\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& kv : res) {
    // A list of objects (report.deliveries) is a table of their scalar fields.
    if (kv.value().is_array()) {
      std::vector<std::string> header;
      for (const json::value& v : kv.value().as_array()) {
        if (!v.is_object()) continue;
        if (header.empty())
          for (const auto& f : v.as_object())
            if (!f.value().is_array() && !f.value().is_object()) header.push_back(std::string(f.key()));
        std::vector<std::string> row;
        for (const std::string& k : header) row.push_back(v.as_object().contains(k) ? Text(v.as_object().at(k)) : "");
        rows.push_back(std::move(row));
      }
      if (!header.empty()) {
        PrintTable(header, rows);
        rows.clear();
        continue;
      }
      if (kv.value().as_array().empty()) std::cout << "(no " << kv.key() << ")\n";
      continue;
    }
    rows.push_back({std::string(kv.key()), Text(kv.value())});
  }
  if (!rows.empty()) PrintTable({"field", "value"}, rows);
}

int RunOp(const Command& cmd, const Args& a) {
  std::vector<std::string> known;
  for (const Param& p : cmd.params)
    if (p.option) known.push_back(p.option);
  const std::string see = std::string(" (see corpex-admin ") + cmd.group + (*cmd.verb ? " " : "") +
                          cmd.verb + " --help)";
  json::object req{{"op", cmd.op}};
  size_t pos = 1 + (*cmd.verb ? 1 : 0);
  for (const Param& p : cmd.params) {
    std::string raw;
    bool present = false;
    if (!p.option) {
      present = pos < a.pos().size();
      if (present) raw = a.pos()[pos++];
    } else {
      present = a.has(p.option);
      raw = a.get(p.option);
    }
    if (!present) {
      if (p.required)
        return Fail(std::string(p.option ? "--" : "") + (p.option ? p.option : p.name) +
                        " is required" + see,
                    2);
      continue;
    }
    if (p.kind == ParamKind::kInt) {
      try {
        size_t used = 0;
        long long v = std::stoll(raw, &used);
        if (used != raw.size()) throw 0;
        req[p.name] = v;
      } catch (...) {
        return Fail(std::string(p.name) + " must be an integer, got '" + raw + "'" + see, 2);
      }
    } else if (p.kind == ParamKind::kBool) {
      if (raw != "true" && raw != "false")
        return Fail(std::string(p.name) + " must be true or false, got '" + raw + "'" + see, 2);
      req[p.name] = raw == "true";
    } else if (p.kind == ParamKind::kList) {
      json::array arr;
      for (const std::string& s : SplitComma(raw)) arr.push_back(json::string(s));
      req[p.name] = std::move(arr);
    } else {
      req[p.name] = raw;
    }
  }
  if (pos < a.pos().size()) return Fail("unexpected argument '" + a.pos()[pos] + "'" + see, 2);
  if (std::string u = a.Unknown(known); !u.empty()) return Fail("unknown option " + u + see, 2);
  Client c;
  if (std::string e = ConnectAndLogin(a, c); !e.empty()) return Fail(e);
  json::object r = c.Call(req);
  if (std::string e = ErrorOf(r); !e.empty()) return Fail(e);
  if (a.has("json"))
    std::cout << json::serialize(Result(r)) << "\n";
  else
    PrintResult(cmd, Result(r));
  return 0;
}

int Book(const Args& a) {
  if (a.pos().size() != 2) return Fail("usage: corpex-admin book SYMBOL [--depth N]", 2);
  if (std::string u = a.Unknown({"depth"}); !u.empty()) return Fail("unknown option " + u, 2);
  std::string err;
  int64_t depth = a.num("depth", err, false).value_or(10);
  if (!err.empty()) return Fail(err, 2);
  Client c;
  if (std::string e = ConnectAndLogin(a, c); !e.empty()) return Fail(e);
  const std::string sym = a.pos()[1];
  json::object r = c.Call({{"op", "subscribe"}, {"channel", "book"}, {"instrument", sym}});
  if (std::string e = ErrorOf(r); !e.empty()) return Fail(e);
  json::object snap = c.Event([&](const json::object& e) {
    return Text(e.at("event")) == "book" && e.contains("type") &&
           Text(e.at("type")) == "snapshot" && Text(e.at("instrument")) == sym;
  });
  if (snap.empty()) return Fail("no book snapshot for " + sym + " within the timeout");
  if (a.has("json")) {
    std::cout << json::serialize(snap) << "\n";
    return 0;
  }
  const json::array& bids = snap.at("bids").as_array();
  const json::array& asks = snap.at("asks").as_array();
  std::cout << sym << "  seq " << Text(snap.at("seq")) << "  (prices in fen per unit)\n";
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < static_cast<size_t>(depth) && (i < bids.size() || i < asks.size()); ++i) {
    std::vector<std::string> row(6);
    if (i < bids.size()) {
      const json::array& l = bids[i].as_array();
      row[0] = Text(l[2]), row[1] = Text(l[1]), row[2] = Text(l[0]);
    }
    if (i < asks.size()) {
      const json::array& l = asks[i].as_array();
      row[3] = Text(l[0]), row[4] = Text(l[1]), row[5] = Text(l[2]);
    }
    rows.push_back(row);
  }
  PrintTable({"orders", "bid_qty", "bid", "ask", "ask_qty", "orders"}, rows);
  if (rows.empty()) std::cout << "(empty book)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args a(argc, argv, {"json", "help"});
  if (!a.error().empty()) return Fail(a.error(), 2);
  const auto& pos = a.pos();
  if (pos.empty()) {
    MainHelp();
    return a.has("help") ? 0 : 2;
  }
  if (pos[0] == "book") {
    if (a.has("help")) {
      std::cout
          << "usage: corpex-admin book SYMBOL [--depth N] [--json]\n  order book depth from a "
             "book snapshot; --depth levels per side (default 10)\n\n"
          << kConn;
      return 0;
    }
    return Book(a);
  }
  if (pos[0] == "seed") {
    if (a.has("help") || pos.size() != 2) {
      std::cout
          << "usage: corpex-admin seed FILE [--json]\n"
             "  FILE: {\"instruments\":[...],\"members\":[...],\"attestations\":[...],\n"
             "         \"programs\":[...],\"enrolments\":[...],\"deals\":[...]}, each entry the params of its\n"
             "  operator op (SPEC §5); attestations may use \"valid_days\" instead of\n"
             "  issued_at/expires_at. Existing entries count as unchanged; new members'\n"
             "  secrets are printed once.\n\n"
          << kConn;
      return a.has("help") ? 0 : 2;
    }
    Client c;
    if (std::string e = ConnectAndLogin(a, c); !e.empty()) return Fail(e);
    return Seed(c, pos[1], a.has("json"), a.get("url", "ws://127.0.0.1:8080/v1"));
  }
  bool group_known = false;
  for (const Command& c : Commands()) {
    if (pos[0] != c.group) continue;
    group_known = true;
    if (*c.verb == 0 || (pos.size() > 1 && pos[1] == c.verb)) {
      if (a.has("help")) {
        std::cout << Usage(c) << "\n" << kConn;
        return 0;
      }
      return RunOp(c, a);
    }
  }
  if (group_known) {
    std::string verbs;
    for (const Command& c : Commands())
      if (pos[0] == c.group) verbs += (verbs.empty() ? "" : " | ") + std::string(c.verb);
    if (a.has("help")) {
      for (const Command& c : Commands())
        if (pos[0] == c.group) std::cout << Usage(c) << "\n";
      std::cout << kConn;
      return 0;
    }
    return Fail("usage: corpex-admin " + pos[0] + " " + verbs + " ...", 2);
  }
  return Fail("unknown subcommand '" + pos[0] + "' (corpex-admin --help lists them)", 2);
}
