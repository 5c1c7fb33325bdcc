#include "admin/seed.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

namespace corpex::tools {

namespace {

struct Section {
  const char* key;  // in the seed file
  const char* op;
  const char* id;  // the entry's own key, for messages
};

constexpr Section kSections[] = {
    {"instruments", "instrument.create", "symbol"},
    {"members", "member.create", "member"},
    {"attestations", "attestation.register", "attestation"},
    {"programs", "voucher.program.create", "program"},
    {"enrolments", "voucher.enrol", "member"},
};

std::string Name(const json::object& e, const Section& s) {
  std::string n = e.contains(s.id) ? Text(e.at(s.id)) : "?";
  if (std::string(s.key) == "enrolments" && e.contains("program"))
    n += " in " + Text(e.at("program"));
  return n;
}

}  // namespace

int Seed(Client& c, const std::string& file, bool as_json, const std::string& url) {
  std::ifstream in(file);
  if (!in) return Fail("cannot read seed file " + file);
  std::stringstream ss;
  ss << in.rdbuf();
  boost::system::error_code ec;
  json::value doc = json::parse(ss.str(), ec);
  if (ec || !doc.is_object()) return Fail(file + " is not a JSON object");
  for (const auto& kv : doc.as_object()) {
    bool known = false;
    for (const Section& s : kSections) known = known || kv.key() == s.key;
    known = known || kv.key() == "deals";
    if (!known) return Fail(file + ": unknown key '" + std::string(kv.key()) + "'");
  }

  json::object summary;
  json::array secrets, failures;
  std::map<std::string, std::string> secret_of;
  int created_total = 0, unchanged_total = 0;
  for (const Section& s : kSections) {
    int created = 0, unchanged = 0;
    if (doc.as_object().contains(s.key)) {
      const json::value& list = doc.as_object().at(s.key);
      if (!list.is_array()) return Fail(file + ": '" + s.key + "' must be an array");
      for (const json::value& v : list.as_array()) {
        if (!v.is_object()) return Fail(file + ": entries of '" + s.key + "' must be objects");
        json::object req = v.as_object();
        if (req.contains("valid_days") && req.at("valid_days").is_int64()) {
          int64_t now = NowMs();
          req["issued_at"] = now - 86'400'000;
          req["expires_at"] = now + req.at("valid_days").as_int64() * 86'400'000;
          req.erase("valid_days");
        }
        req["op"] = s.op;
        json::object r = c.Call(req);
        std::string err = ErrorOf(r);
        if (err.empty()) {
          ++created;
          if (std::string(s.key) == "members") {
            secrets.push_back(
                {{"member", Result(r).at("member")}, {"secret", Result(r).at("secret")}});
            secret_of[Text(Result(r).at("member"))] = Text(Result(r).at("secret"));
          }
        } else if (err.rfind("ALREADY_EXISTS", 0) == 0) {
          ++unchanged;
        } else if (err.rfind("DISCONNECTED", 0) == 0) {
          return Fail("seed: connection lost at " + std::string(s.key) + " " +
                      Name(v.as_object(), s));
        } else {
          failures.push_back(
              {{"section", s.key}, {"entry", Name(v.as_object(), s)}, {"error", err}});
        }
      }
    }
    summary[s.key] = {{"created", created}, {"unchanged", unchanged}};
    created_total += created;
    unchanged_total += unchanged;
  }

  const int deals = SeedDeals(url, doc.as_object(), secret_of, c, &failures);
  summary["deals"] = {{"created", deals}, {"unchanged", 0}};
  created_total += deals;
  if (as_json) {
    std::cout << json::serialize(json::object{{"summary", summary},
                                              {"secrets", secrets},
                                              {"failed", failures},
                                              {"changed", created_total > 0}})
              << "\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const Section& s : kSections) {
      const json::object& o = summary.at(s.key).as_object();
      rows.push_back({s.key, Text(o.at("created")), Text(o.at("unchanged"))});
    }
    rows.push_back({"deals", std::to_string(deals), "-"});
    PrintTable({"kind", "created", "unchanged"}, rows);
    if (!secrets.empty()) {
      std::cout << "\nnew members' API secrets (shown once; store them now):\n";
      size_t w = 0;
      for (const json::value& v : secrets) w = std::max(w, Text(v.as_object().at("member")).size());
      for (const json::value& v : secrets) {
        std::string name = Text(v.as_object().at("member"));
        std::cout << "  " << name << std::string(w - name.size() + 2, ' ')
                  << Text(v.as_object().at("secret")) << "\n";
      }
    }
    if (created_total == 0 && failures.empty())
      std::cout << "\nnothing changed: all " << unchanged_total << " entries already exist\n";
    else
      std::cout << "\n" << created_total << " created, " << unchanged_total << " unchanged\n";
  }
  for (const json::value& f : failures)
    std::cerr << "error: " << Text(f.as_object().at("section")) << " "
              << Text(f.as_object().at("entry")) << ": " << Text(f.as_object().at("error")) << "\n";
  return failures.empty() ? 0 : 1;
}

}  // namespace corpex::tools
