// Hostile input against a real corpexd: for every op and each of its fields,
// the field missing, null, of each wrong JSON type, in the wrong case,
// duplicated and out of range, each sent right behind a valid request that
// set it (both frames in one write, so they usually reach the server in one
// read and one turn). Every hostile frame must be refused with its code and
// leave the market exactly as it was: orders.open of every member, the book
// and its sequence number, every list, ledger, claim and the trade report,
// compared as text before and after.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <map>
#include <set>

#include "harness.h"

using namespace corpex::test;

namespace {

struct Field {
  std::string key;
  std::string raw;  // the value as JSON text
};
using Fields = std::vector<Field>;

struct Hostile {
  std::string frame;
  std::string code;  // the error code it must get
  std::string what;  // for the failure message
};

// An out-of-range value of a field and the code it must get.
struct Range {
  std::string key;
  std::string raw;
  std::string code;
};

// One op's valid request (every field set), who sends it, and the
// out-of-range values to try. The valid request is harmless: refused by the
// engine for a reason unrelated to its fields, or a no-op.
struct OpCase {
  std::string op;
  Client* who;
  Fields valid;
  std::set<std::string> optional;
  std::vector<Range> ranges;
};

const std::set<std::string> kEnums = {"side", "tif", "modality", "licence", "unit", "status", "channel",
                                      "state", "outcome"};
const std::set<std::string> kEnumLists = {"roles", "licences"};  // domains are free text

// Hostile frames carry id 2, the valid frame before each id 1: reports are
// answered from their own thread, so the two answers may come in either order.
std::string Frame(const std::string& op, const Fields& f, const std::string& id = "2") {
  std::string s = "{\"id\":" + id + ",\"op\":" + json::serialize(json::value(op));
  for (const Field& x : f) s += ",\"" + x.key + "\":" + x.raw;
  return s + "}";
}

std::string CodeFor(const std::string& key, const std::string& raw = "") {
  // Integers beyond 64 bits are refused by the JSON parser, before any field.
  if (raw == "18446744073709551616") return "BAD_JSON";
  return key == "tif" ? "INVALID_TIF" : "BAD_REQUEST";
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The other spellings of an enumerated value: upper, lower, capitalised.
std::vector<std::string> Recased(const std::string& v) {
  std::set<std::string> out = {Upper(v), Lower(v)};
  std::string cap = Lower(v);
  if (!cap.empty()) cap[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cap[0])));
  out.insert(cap);
  out.erase(v);
  return {out.begin(), out.end()};
}

std::vector<std::string> WrongTypes(const json::value& v) {
  std::vector<std::string> out = {"null", "{}", "{\"a\":1}", "1.5", "true"};
  if (v.is_string()) {
    out.insert(out.end(), {"7", "[]", "[" + json::serialize(v) + "]"});
  } else if (v.is_int64()) {
    out.insert(out.end(), {"\"" + std::to_string(v.as_int64()) + "\"", "[]", "1e3", "2.0", "-0.5",
                           "9223372036854775808", "18446744073709551616", "[" + std::to_string(v.as_int64()) + "]"});
  } else if (v.is_array()) {
    const auto& a = v.as_array();
    std::string first = a.empty() ? "\"x\"" : json::serialize(a[0]);
    out.insert(out.end(), {first, "7", "[7]", "[\"\"]", "[null]", "[" + first + "," + first + "]", "[[" + first + "]]", "[]"});
  } else if (v.is_bool()) {
    out.insert(out.end(), {"\"true\"", "1", "0", "[]"});
    out.erase(std::remove(out.begin(), out.end(), "true"), out.end());
  }
  if (v.is_string()) out.insert(out.end(), {"\"\""});
  return out;
}

std::vector<Hostile> Mutations(const OpCase& c) {
  std::vector<Hostile> out;
  auto with = [&](size_t i, const std::string& raw) {
    Fields f = c.valid;
    f[i].raw = raw;
    return Frame(c.op, f);
  };
  for (size_t i = 0; i < c.valid.size(); ++i) {
    const Field& fld = c.valid[i];
    const json::value v = json::parse(fld.raw);
    if (!c.optional.count(fld.key)) {
      Fields f = c.valid;
      f.erase(f.begin() + static_cast<long>(i));
      out.push_back({Frame(c.op, f), "BAD_REQUEST", fld.key + " missing"});
    }
    for (const std::string& raw : WrongTypes(v))
      out.push_back({with(i, raw), CodeFor(fld.key, raw), fld.key + " = " + raw});
    if (v.is_string() && kEnums.count(fld.key))
      for (const std::string& s : Recased(std::string(v.as_string())))
        out.push_back({with(i, json::serialize(json::value(s))), CodeFor(fld.key), fld.key + " = " + s});
    if (v.is_array() && kEnumLists.count(fld.key))
      for (const std::string& s : Recased(std::string(v.as_array()[0].as_string()))) {
        json::array a = v.as_array();
        a[0] = json::value(s);
        out.push_back({with(i, json::serialize(a)), "BAD_REQUEST", fld.key + " = " + json::serialize(a)});
      }
    Fields dup = c.valid;
    dup.insert(dup.begin() + static_cast<long>(i) + 1, fld);
    out.push_back({Frame(c.op, dup), "BAD_REQUEST", fld.key + " twice"});
    Fields dup_other = c.valid;
    dup_other.push_back({fld.key, "null"});
    out.push_back({Frame(c.op, dup_other), "BAD_REQUEST", fld.key + " twice, then null"});
  }
  for (const Range& r : c.ranges) {
    Fields f = c.valid;
    bool found = false;
    for (Field& x : f)
      if (x.key == r.key) x.raw = r.raw, found = true;
    if (!found) f.push_back({r.key, r.raw});
    out.push_back({Frame(c.op, f), r.code, r.key + " = " + r.raw});
  }
  Fields extra = c.valid;
  extra.push_back({"bogus", "1"});
  out.push_back({Frame(c.op, extra), "BAD_REQUEST", "unknown parameter"});
  extra = c.valid;
  extra.push_back({"Instrument", "\"SYM\""});
  out.push_back({Frame(c.op, extra), "BAD_REQUEST", "a key in the wrong case"});
  // The envelope: the op's name in another case, an id of a wrong type.
  out.push_back({Frame(Upper(c.op), c.valid), "UNKNOWN_OP", "op in upper case"});
  for (const char* id : {"null", "1.5", "true", "[1]", "{}"})
    out.push_back({Frame(c.op, c.valid, id), "BAD_REQUEST", std::string("id = ") + id});
  return out;
}

// The error code of a response frame, "" when ok.
std::string FrameCode(const std::string& frame) {
  if (frame.empty()) return "NO_RESPONSE";
  return Code(json::parse(frame).as_object());
}

std::string ErrorMessage(const std::string& frame) {
  json::object o = json::parse(frame).as_object();
  if (!o.contains("error")) return "";
  return std::string(o.at("error").as_object().at("message").as_string());
}

// The next frame that is not an event.
std::string NextResponse(Client& c) {
  for (;;) {
    std::string f = c.Read();
    if (f.empty() || f.find("\"event\"") == std::string::npos) return f;
  }
}

std::string Without(json::object o, std::initializer_list<const char*> keys) {
  for (const char* k : keys) o.erase(k);
  return json::serialize(o);
}

// Everything a hostile frame must not change, as text.
struct Observers {
  Client& ops;
  Client& reg;
  std::vector<std::unique_ptr<Client>> members;  // one observer session per member
  Client book;
};

std::string Snapshot(Observers& o) {
  std::string s;
  auto strip_id = [](json::object r) { r.erase("id"); return json::serialize(r); };
  for (auto& m : o.members) s += strip_id(m->Call({{"op", "orders.open"}})) + "\n";
  for (auto& m : o.members) s += strip_id(m->Call({{"op", "rfqs.open"}})) + "\n";
  for (const char* op : {"members.list", "instruments.list", "attestations.list", "voucher.programs"})
    s += strip_id(o.ops.Call({{"op", op}})) + "\n";
  s += strip_id(o.reg.Call({{"op", "report.trades"}, {"from", 0}, {"to", NowMs() + 86'400'000}})) + "\n";
  s += strip_id(o.reg.Call({{"op", "report.vouchers"}, {"program", "P1"}})) + "\n";
  s += strip_id(o.reg.Call({{"op", "report.claims"}, {"program", "P1"}})) + "\n";
  s += strip_id(o.reg.Call({{"op", "report.deliveries"}})) + "\n";
  s += strip_id(o.reg.Call({{"op", "trades.recent"}, {"instrument", "SYM"}})) + "\n";
  json::object st = o.ops.Call({{"op", "status"}});
  s += Without(st.at("result").as_object(), {"uptime_ms", "clock", "seq", "durable_seq", "commands",
                                              "sessions", "snapshots", "snapshot_failures"}) + "\n";
  REQUIRE(Code(o.book.Call({{"op", "subscribe"}, {"channel", "book"}, {"instrument", "SYM"}})) == "");
  json::object snap = o.book.Event([](const json::object& e) { return e.at("event").as_string() == "book"; });
  s += json::serialize(snap) + "\n";
  REQUIRE(Code(o.book.Call({{"op", "unsubscribe"}, {"channel", "book"}, {"instrument", "SYM"}})) == "");
  return s;
}

int CurrentChinaYear() {
  using namespace std::chrono;
  const auto cst = sys_days(floor<days>(system_clock::now() + hours(8)));
  return static_cast<int>(year_month_day(cst).year());
}

std::string Q(const std::string& s) { return json::serialize(json::value(s)); }

}  // namespace

TEST_CASE("hostile input to every op is refused with its code and changes nothing",
          "[it][hostile]") {
  Daemon d;
  REQUIRE(d.Start());
  Market m = SeedMarket(d.port());
  Client ops(d.port()), reg(d.port()), s1(d.port()), b1(d.port()), anyone(d.port());
  REQUIRE(Code(ops.Login("ops", kOpsSecret)) == "");
  REQUIRE(Code(reg.Login("csrc", kRegSecret)) == "");
  REQUIRE(Code(s1.Login("S1", m.s1)) == "");
  REQUIRE(Code(b1.Login("B1", m.b1)) == "");
  REQUIRE(Code(anyone.Login("B2", m.b2)) == "");

  // A market with something in every table: a halted instrument, a
  // suspended member, a revoked attestation, a program with claims in two
  // states, trades, and resting orders on both sides.
  const int64_t now = NowMs();
  const std::string year = std::to_string(CurrentChinaYear());
  auto ok = [](json::object r) { REQUIRE(Code(r) == ""); return r; };
  ok(ops.Call({{"op", "instrument.create"}, {"symbol", "HALTED"}, {"domain", "legal"}, {"language", "zh"},
               {"modality", "text"}, {"licence", "training"}, {"term_months", 12}, {"tier", 1},
               {"unit", "mtok"}, {"tick", 100}, {"lot", 1}}));
  ok(ops.Call({{"op", "instrument.halt"}, {"symbol", "HALTED"}}));
  ok(ops.Call({{"op", "member.create"}, {"member", "SUSP"}, {"name", "s"}, {"group", "g-susp"},
               {"roles", json::array{"buyer"}}, {"tier", 1}}));
  ok(ops.Call({{"op", "member.suspend"}, {"member", "SUSP"}}));
  ok(ops.Call({{"op", "attestation.register"}, {"attestation", "ATT-REV"}, {"member", "S1"},
               {"dataset", std::string(64, 'b')}, {"assessor", "KWM"}, {"licences", json::array{"training"}},
               {"tier", 2}, {"issued_at", now - 60000}, {"expires_at", now + 86400000}}));
  ok(ops.Call({{"op", "attestation.revoke"}, {"attestation", "ATT-REV"}, {"reason", "test"}}));
  ok(ops.Call({{"op", "voucher.program.create"}, {"program", "P1"}, {"rate_bps", 3000},
               {"member_cap", 200000000}, {"budget", 5000000000}, {"year", std::stoi(year)},
               {"domains", json::array{"medical"}}}));
  ok(ops.Call({{"op", "voucher.enrol"}, {"program", "P1"}, {"member", "B1"}}));
  ok(s1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "sell"}, {"qty", 10}, {"price", 500},
              {"tif", "GTC"}, {"client_order_id", "s-a"}, {"attestation", "ATT-1"}}));
  json::object t1 = ok(b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 2},
                                {"price", 500}, {"tif", "IOC"}, {"client_order_id", "b-1"}, {"voucher", "P1"}}));
  ok(b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 1}, {"price", 500},
              {"tif", "IOC"}, {"client_order_id", "b-2"}, {"voucher", "P1"}}));
  const int64_t trade1 =
      t1.at("result").as_object().at("fills").as_array()[0].as_object().at("trade_id").as_int64();
  ok(ops.Call({{"op", "voucher.claim.settle"}, {"trade_id", trade1}, {"status", "approved"}}));
  ok(ops.Call({{"op", "voucher.claim.settle"}, {"trade_id", trade1}, {"status", "paid"}}));
  // trade1's delivery is confirmed (final), so every valid delivery frame below
  // is refused for its state; the trade after it stays pending.
  ok(s1.Call({{"op", "delivery.grant"}, {"trade_id", trade1}, {"access_ref", "sandbox://a"},
              {"dataset", std::string(64, 'a')}, {"access_from", now}, {"access_until", now + 86400000}}));
  ok(b1.Call({{"op", "delivery.confirm"}, {"trade_id", trade1}}));
  ok(b1.Call({{"op", "order.new"}, {"instrument", "SYM"}, {"side", "buy"}, {"qty", 3}, {"price", 300},
              {"tif", "GTC"}, {"client_order_id", "rest-b"}, {"voucher", "P1"}}));
  json::object page = ok(reg.Call({{"op", "report.trades"}, {"from", 0}, {"to", now + 86400000}, {"limit", 1}}));
  const std::string cursor(page.at("result").as_object().at("next_cursor").as_string());
  json::object s1_open = ok(s1.Call({{"op", "orders.open"}}));
  const int64_t s1_order =
      s1_open.at("result").as_object().at("orders").as_array()[0].as_object().at("order_id").as_int64();

  const std::string far = std::to_string(now + 86'400'000);
  const std::string S = std::to_string(s1_order);
  const std::string T1 = std::to_string(trade1);
  std::vector<OpCase> cases = {
      {"order.new", &b1,
       {{"instrument", Q("SYM")}, {"side", Q("buy")}, {"qty", "5"}, {"price", "300"}, {"tif", Q("GTD")},
        {"client_order_id", Q("rest-b")}, {"expire_at", far}, {"min_qty", "1"}, {"voucher", Q("P1")}},
       {"expire_at", "min_qty", "voucher"},
       {{"qty", "0", "INVALID_QTY"}, {"qty", "-5", "INVALID_QTY"}, {"price", "0", "INVALID_PRICE"},
        {"price", "-300", "INVALID_PRICE"}, {"price", "350", "INVALID_PRICE"}, {"min_qty", "0", "INVALID_QTY"},
        {"min_qty", "6", "INVALID_QTY"}, {"min_qty", "-1", "INVALID_QTY"}, {"expire_at", "-1", "BAD_REQUEST"},
        {"expire_at", "1", "INVALID_TIF"}, {"qty", "9223372036854775807", "TOO_LARGE"},
        {"client_order_id", Q(std::string(33, 'c')), "BAD_REQUEST"}, {"instrument", Q("sym"), "UNKNOWN_INSTRUMENT"},
        {"instrument", Q(std::string(49, 'S')), "BAD_REQUEST"}}},
      {"order.new", &s1,
       {{"instrument", Q("SYM")}, {"side", Q("sell")}, {"qty", "5"}, {"price", "700"}, {"tif", Q("GTC")},
        {"client_order_id", Q("s-a")}, {"attestation", Q("ATT-1")}},
       {"attestation"},
       {{"tif", Q("GTD"), "INVALID_TIF"}, {"expire_at", far, "INVALID_TIF"}}},
      {"order.cancel", &b1, {{"order_id", S}}, {}, {{"order_id", "0", "BAD_REQUEST"}, {"order_id", "-1", "BAD_REQUEST"},
                                                   {"client_order_id", Q("rest-b"), "BAD_REQUEST"}}},
      {"order.cancel", &b1, {{"client_order_id", Q("s-a")}}, {}, {{"client_order_id", Q(std::string(33, 'c')), "BAD_REQUEST"}}},
      {"order.replace", &b1, {{"order_id", S}, {"qty", "3"}, {"price", "400"}}, {"qty", "price"},
       {{"qty", "0", "INVALID_QTY"}, {"price", "0", "INVALID_PRICE"}, {"price", "-100", "INVALID_PRICE"},
        {"order_id", "0", "BAD_REQUEST"}}},
      {"orders.open", &b1, {{"instrument", Q("SYM")}}, {"instrument"}, {{"instrument", Q("NOPE"), "UNKNOWN_INSTRUMENT"}}},
      {"subscribe", &anyone, {{"channel", Q("trades")}, {"instrument", Q("SYM")}}, {},
       {{"channel", Q("quotes"), "BAD_REQUEST"}, {"instrument", Q("NOPE"), "UNKNOWN_INSTRUMENT"}}},
      {"unsubscribe", &anyone, {{"channel", Q("book")}, {"instrument", Q("HALTED")}}, {},
       {{"channel", Q("all"), "BAD_REQUEST"}}},
      {"member.create", &ops,
       {{"member", Q("B1")}, {"name", Q("b")}, {"group", Q("g-b1")}, {"roles", "[\"buyer\",\"seller\"]"}, {"tier", "3"}},
       {},
       {{"tier", "0", "BAD_REQUEST"}, {"tier", "5", "BAD_REQUEST"}, {"roles", "[\"trader\"]", "BAD_REQUEST"},
        {"member", Q(std::string(33, 'M')), "BAD_REQUEST"}, {"roles", "[\"buyer\",\"seller\",\"buyer\"]", "BAD_REQUEST"}}},
      {"member.suspend", &ops, {{"member", Q("SUSP")}}, {}, {{"member", Q("NOPE"), "UNKNOWN_MEMBER"}}},
      {"member.resume", &ops, {{"member", Q("B2")}}, {}, {{"member", Q("NOPE"), "UNKNOWN_MEMBER"}}},
      {"member.kill", &ops, {{"member", Q("B2")}}, {}, {{"member", Q("NOPE"), "UNKNOWN_MEMBER"}}},
      {"instrument.create", &ops,
       {{"symbol", Q("SYM")}, {"domain", Q("medical")}, {"language", Q("zh")}, {"modality", Q("text")},
        {"licence", Q("training")}, {"term_months", "12"}, {"tier", "2"}, {"unit", Q("mtok")}, {"tick", "100"}, {"lot", "1"}},
       {},
       {{"tier", "0", "BAD_REQUEST"}, {"tier", "5", "BAD_REQUEST"}, {"tick", "0", "BAD_REQUEST"}, {"lot", "-1", "BAD_REQUEST"},
        {"term_months", "0", "BAD_REQUEST"}, {"modality", Q("audio"), "BAD_REQUEST"}, {"licence", Q("training "), "BAD_REQUEST"},
        {"unit", Q("tokens"), "BAD_REQUEST"}, {"symbol", Q(std::string(49, 'S')), "BAD_REQUEST"}}},
      {"instrument.halt", &ops, {{"symbol", Q("HALTED")}}, {}, {{"symbol", Q("NOPE"), "UNKNOWN_INSTRUMENT"}}},
      {"instrument.resume", &ops, {{"symbol", Q("SYM")}}, {}, {{"symbol", Q("NOPE"), "UNKNOWN_INSTRUMENT"}}},
      {"attestation.register", &ops,
       {{"attestation", Q("ATT-1")}, {"member", Q("S1")}, {"dataset", Q(std::string(64, 'a'))}, {"assessor", Q("KWM")},
        {"licences", "[\"training\",\"finetune\"]"}, {"tier", "2"}, {"issued_at", std::to_string(now - 60000)},
        {"expires_at", far}},
       {},
       {{"tier", "0", "BAD_REQUEST"}, {"licences", "[\"research\"]", "BAD_REQUEST"}, {"issued_at", "-1", "BAD_REQUEST"},
        {"dataset", Q(std::string(65, 'a')), "BAD_REQUEST"}}},
      {"attestation.revoke", &ops, {{"attestation", Q("ATT-REV")}, {"reason", Q("again")}}, {"reason"},
       {{"attestation", Q("NOPE"), "ATTESTATION_INVALID"}, {"reason", Q(std::string(129, 'r')), "BAD_REQUEST"}}},
      {"voucher.program.create", &ops,
       {{"program", Q("P1")}, {"rate_bps", "3000"}, {"member_cap", "200000000"}, {"budget", "5000000000"},
        {"year", year}, {"domains", "[\"medical\",\"legal\"]"}, {"delivery_required", "true"}},
       {"domains", "delivery_required"},
       {{"rate_bps", "10001", "BAD_REQUEST"}, {"rate_bps", "-1", "BAD_REQUEST"}, {"member_cap", "-1", "BAD_REQUEST"},
        {"budget", "-1", "BAD_REQUEST"}, {"year", "1969", "BAD_REQUEST"}, {"year", "10000", "BAD_REQUEST"},
        {"domains", "[\"medical\",\"medical\"]", "BAD_REQUEST"}}},
      {"voucher.enrol", &ops, {{"program", Q("P1")}, {"member", Q("B1")}}, {},
       {{"program", Q("NOPE"), "VOUCHER_INVALID"}, {"member", Q("NOPE"), "UNKNOWN_MEMBER"}}},
      {"voucher.claim.settle", &ops, {{"trade_id", std::to_string(trade1)}, {"status", Q("paid")}}, {},
       {{"status", Q("reserved"), "BAD_REQUEST"}, {"status", Q("settled"), "BAD_REQUEST"}, {"trade_id", "0", "BAD_REQUEST"}}},
      {"delivery.grant", &s1,
       {{"trade_id", T1}, {"access_ref", Q("sandbox://b")}, {"dataset", Q(std::string(64, 'a'))},
        {"access_from", std::to_string(now)}, {"access_until", far}},
       {},
       {{"trade_id", "0", "BAD_REQUEST"}, {"access_until", std::to_string(now), "BAD_REQUEST"},
        {"access_from", "-1", "BAD_REQUEST"}, {"dataset", Q(std::string(65, 'a')), "BAD_REQUEST"},
        {"access_ref", Q(std::string(129, 'r')), "BAD_REQUEST"}, {"trade_id", "999", "UNKNOWN_TRADE"}}},
      {"delivery.grant", &ops,
       {{"trade_id", T1}, {"access_ref", Q("sandbox://c")}, {"dataset", Q(std::string(64, 'a'))},
        {"access_from", std::to_string(now)}, {"access_until", far}},
       {}, {}},
      {"delivery.confirm", &b1, {{"trade_id", T1}}, {}, {{"trade_id", "-1", "BAD_REQUEST"}, {"trade_id", "999", "UNKNOWN_TRADE"}}},
      {"delivery.dispute", &b1, {{"trade_id", T1}, {"reason", Q("shards missing")}}, {},
       {{"reason", Q(std::string(129, 'r')), "BAD_REQUEST"}, {"trade_id", "0", "BAD_REQUEST"}}},
      {"delivery.resolve", &ops, {{"trade_id", T1}, {"outcome", Q("failed")}, {"note", Q("checked")}}, {"note"},
       {{"outcome", Q("granted"), "BAD_REQUEST"}, {"outcome", Q("pending"), "BAD_REQUEST"},
        {"outcome", Q("lost"), "BAD_REQUEST"}, {"trade_id", "999", "UNKNOWN_TRADE"}}},
      {"deliveries", &b1, {{"state", Q("pending")}, {"cursor", Q(cursor)}, {"limit", "5"}}, {"state", "cursor", "limit"},
       {{"limit", "0", "BAD_REQUEST"}, {"limit", "10001", "BAD_REQUEST"}, {"state", Q("done"), "BAD_REQUEST"},
        {"cursor", Q("garbage"), "BAD_REQUEST"}, {"member", Q("B1"), "BAD_REQUEST"}}},
      {"report.deliveries", &reg,
       {{"member", Q("B1")}, {"state", Q("confirmed")}, {"cursor", Q(cursor)}, {"limit", "5"}},
       {"member", "state", "cursor", "limit"},
       {{"limit", "0", "BAD_REQUEST"}, {"state", Q("done"), "BAD_REQUEST"}, {"member", Q(std::string(33, 'm')), "BAD_REQUEST"}}},
      // Negotiated deals: each valid frame is refused for the market's state
      // (a halted instrument, no such RFQ or quote).
      {"rfq.new", &b1, {{"instrument", Q("HALTED")}, {"qty", "10"}, {"voucher", Q("P1")}, {"expire_at", far}}, {"voucher"},
       {{"expire_at", "-1", "BAD_REQUEST"}, {"instrument", Q(std::string(49, 'S')), "BAD_REQUEST"},
        {"voucher", Q(std::string(49, 'v')), "BAD_REQUEST"}, {"instrument", Q("NOPE"), "UNKNOWN_INSTRUMENT"}}},
      {"rfq.cancel", &b1, {{"rfq_id", "999"}}, {}, {{"rfq_id", "0", "BAD_REQUEST"}, {"rfq_id", "-3", "BAD_REQUEST"}}},
      {"quote.new", &s1, {{"rfq_id", "999"}, {"price", "500"}, {"attestation", Q("ATT-1")}, {"valid_until", far}}, {},
       {{"rfq_id", "0", "BAD_REQUEST"}, {"valid_until", "-1", "BAD_REQUEST"},
        {"attestation", Q(std::string(49, 'a')), "BAD_REQUEST"}}},
      {"quote.new", &s1,
       {{"rfq_id", "999"}, {"attestation", Q("ATT-1")}, {"valid_until", far},
        {"consideration", R"({"type":"equity","company":"91440300MA5G0XXX11","shares":100,"valuation_fen":5000})"}},
       {},
       {{"price", "500", "BAD_REQUEST"}, {"consideration", R"({"type":"cash"})", "BAD_REQUEST"},
        {"consideration", R"({"type":"equity","company":"91440300MA5G0XXX1","shares":100,"valuation_fen":5000})", "BAD_REQUEST"},
        {"consideration", R"({"type":"equity","company":"91440300MA5G0XXX11","shares":0,"valuation_fen":5000})", "BAD_REQUEST"},
        {"consideration", R"({"type":"equity","company":"91440300MA5G0XXX11","shares":1,"valuation_fen":5000,"x":1})", "BAD_REQUEST"},
        {"consideration", R"({"type":"equity","company":"91440300MA5G0XXX11","shares":1,"valuation_fen":5000,"op":0})", "BAD_REQUEST"},
        {"consideration", R"({"type":"equity","type":"equity","company":"91440300MA5G0XXX11","shares":1,"valuation_fen":5})", "BAD_REQUEST"},
        {"consideration", R"({"type":"equity","company":null,"shares":1,"valuation_fen":5})", "BAD_REQUEST"}}},
      {"quote.cancel", &s1, {{"quote_id", "999"}}, {}, {{"quote_id", "0", "BAD_REQUEST"}}},
      {"quote.accept", &b1, {{"quote_id", "999"}}, {}, {{"quote_id", "0", "BAD_REQUEST"}}},
      {"rfqs.open", &b1, {}, {}, {}},
      {"status", &ops, {}, {}, {}},
      {"cluster", &ops, {}, {}, {}},
      {"report.trades", &reg,
       {{"from", "0"}, {"to", far}, {"member", Q("B1")}, {"instrument", Q("SYM")}, {"cursor", Q(cursor)}, {"limit", "10"}},
       {"member", "instrument", "cursor", "limit"},
       {{"limit", "0", "BAD_REQUEST"}, {"limit", "10001", "BAD_REQUEST"}, {"cursor", Q("garbage"), "BAD_REQUEST"}}},
      {"report.vouchers", &reg, {{"program", Q("P1")}}, {}, {{"program", Q("NOPE"), "BAD_REQUEST"}}},
      {"report.claims", &reg, {{"program", Q("P1")}, {"status", Q("paid")}}, {"status"},
       {{"status", Q("settled"), "BAD_REQUEST"}}},
      {"instruments.list", &anyone, {}, {}, {}},
      {"members.list", &ops, {}, {}, {}},
      {"attestations.list", &s1, {}, {}, {}},
      {"voucher.programs", &reg, {}, {}, {}},
      {"voucher.usage", &b1, {}, {}, {}},
      {"trades.recent", &anyone, {{"instrument", Q("SYM")}, {"limit", "5"}}, {"instrument", "limit"},
       {{"limit", "0", "BAD_REQUEST"}, {"limit", "201", "BAD_REQUEST"}}},
  };

  Observers obs{ops, reg, {}, Client(d.port())};
  REQUIRE(Code(obs.book.Login("csrc", kRegSecret)) == "");
  const std::map<std::string, std::string> secrets = {{"S1", m.s1}, {"B1", m.b1}, {"B2", m.b2}};
  for (const auto& [name, secret] : secrets) {
    obs.members.push_back(std::make_unique<Client>(d.port()));
    REQUIRE(Code(obs.members.back()->Login(name, secret)) == "");
  }
  const std::string before = Snapshot(obs);

  size_t frames = 0;
  for (const OpCase& c : cases) {
    const std::string valid = Frame(c.op, c.valid, "1");
    c.who->SendText(valid);
    const std::string valid_response = NextResponse(*c.who);
    const std::string valid_code = FrameCode(valid_response);
    INFO(c.op << " valid: " << valid << " -> " << valid_response);
    // Refused by the engine for its state (a settled claim cannot be paid
    // again), never for its shape.
    if (valid_code != "") REQUIRE(ErrorMessage(valid_response).find('"') == std::string::npos);
    REQUIRE(Snapshot(obs) == before);
    for (const Hostile& h : Mutations(c)) {
      INFO(c.op << ": " << h.what << "\n  frame: " << h.frame);
      c.who->SendText(valid);
      c.who->SendText(h.frame);
      std::string first = NextResponse(*c.who), second = NextResponse(*c.who);
      if (first.find("\"id\":1,") == std::string::npos) std::swap(first, second);
      CHECK(FrameCode(first) == valid_code);
      const std::string response = second;
      INFO("response: " << response);
      REQUIRE(FrameCode(response) == h.code);
      CHECK(ErrorMessage(response) != ErrorMessage(valid_response));
      ++frames;
    }
    INFO(c.op << " after its hostile frames");
    REQUIRE(Snapshot(obs) == before);
  }

  // logout's frames, without a valid one before (it would end the session).
  for (const std::string& frame : {std::string(R"({"id":1,"op":"logout","bogus":1})"),
                                   std::string(R"({"id":1,"op":"logout","op":"logout"})"),
                                   std::string(R"({"id":1,"op":"Logout"})")}) {
    INFO(frame);
    anyone.SendText(frame);
    CHECK(FrameCode(NextResponse(anyone)) != "");
    ++frames;
  }
  REQUIRE(Code(anyone.Call({{"op", "instruments.list"}})) == "");  // still logged in

  // login's frames, each on a connection of its own that must stay logged out.
  const OpCase login{"login", nullptr,
                     {{"user", Q("B1")}, {"ts", std::to_string(NowMs())}, {"nonce", Q("n-1")},
                      {"sig", Q(std::string(64, '0'))}, {"cancel_on_disconnect", "true"}},
                     {"cancel_on_disconnect"},
                     {{"ts", "-1", "BAD_REQUEST"}, {"sig", Q(std::string(65, '0')), "BAD_REQUEST"},
                      {"user", Q(std::string(33, 'u')), "BAD_REQUEST"}}};
  const std::string bad_sig = Frame("login", login.valid, "1");
  for (const Hostile& h : Mutations(login)) {
    INFO("login: " << h.what << "\n  frame: " << h.frame);
    Client c(d.port());
    c.SendText(bad_sig);
    c.SendText(h.frame);
    CHECK(FrameCode(NextResponse(c)) == "AUTH_FAILED");
    REQUIRE(FrameCode(NextResponse(c)) == h.code);
    CHECK(Code(c.Call({{"op", "status"}})) == "NOT_LOGGED_IN");
    ++frames;
  }
  REQUIRE(Snapshot(obs) == before);
  std::printf("hostile-input test: %zu hostile frames over %zu op cases, every one refused, state unchanged\n",
              frames, cases.size() + 2);
}
