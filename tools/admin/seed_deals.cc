// The seed file's "deals": a few trades between members the same seed run
// created (only then are their secrets at hand), each taken through some
// delivery steps, so a new demo market shows deliveries in every state.
#include "admin/seed.h"

#include <map>

namespace corpex::tools {
namespace {

// One member's session, opened on first use.
class Sessions {
 public:
  Sessions(std::string url, const std::map<std::string, std::string>& secrets)
      : url_(std::move(url)), secrets_(secrets) {}
  // Null with `err` set when the member cannot be logged in.
  Client* Of(const std::string& member, std::string& err) {
    auto it = clients_.find(member);
    if (it != clients_.end()) return it->second.get();
    auto s = secrets_.find(member);
    if (s == secrets_.end()) {
      err = member + " existed before this run (its secret is not at hand)";
      return nullptr;
    }
    auto c = std::make_unique<Client>();
    if ((err = c->Connect(url_)).empty() && (err = c->Login(member, s->second)).empty())
      return (clients_[member] = std::move(c)).get();
    return nullptr;
  }

 private:
  std::string url_;
  const std::map<std::string, std::string>& secrets_;
  std::map<std::string, std::unique_ptr<Client>> clients_;
};

std::string Str(const json::object& o, const char* k) { return o.contains(k) ? Text(o.at(k)) : ""; }

// Runs one deal; "" or why it stopped.
std::string RunDeal(const json::object& deal, size_t n, const std::map<std::string, std::string>& datasets,
                    Sessions& members, Client& ops) {
  std::string err;
  Client* seller = members.Of(Str(deal, "seller"), err);
  Client* buyer = seller ? members.Of(Str(deal, "buyer"), err) : nullptr;
  if (!buyer) return err;
  const std::string coid = "demo-deal-" + std::to_string(n);
  json::object r;
  if (Str(deal, "via") == "rfq") {  // negotiated: RFQ, quote, and (unless "open") acceptance
    json::object rfq{{"op", "rfq.new"}, {"instrument", deal.at("instrument")}, {"qty", deal.at("qty")},
                     {"expire_at", NowMs() + 7LL * 86'400'000}};
    if (deal.contains("voucher")) rfq["voucher"] = deal.at("voucher");
    r = buyer->Call(rfq);
    if (err = ErrorOf(r); !err.empty()) return "rfq: " + err;
    json::object quote{{"op", "quote.new"}, {"rfq_id", Result(r).at("rfq_id")},
                       {"attestation", deal.at("attestation")}, {"valid_until", NowMs() + 2LL * 86'400'000}};
    if (deal.contains("consideration")) {  // data for equity
      quote["consideration"] = deal.at("consideration");
    } else {
      quote["price"] = deal.at("price");
    }
    r = seller->Call(quote);
    if (err = ErrorOf(r); !err.empty()) return "quote: " + err;
    if (deal.contains("open") && deal.at("open").is_bool() && deal.at("open").as_bool()) return "";
    r = buyer->Call({{"op", "quote.accept"}, {"quote_id", Result(r).at("quote_id")}});
    if (err = ErrorOf(r); !err.empty()) return "accept: " + err;
  } else {
    json::object sell{{"op", "order.new"},      {"instrument", deal.at("instrument")}, {"side", "sell"},
                      {"qty", deal.at("qty")},   {"price", deal.at("price")},          {"tif", "GTC"},
                      {"client_order_id", coid}, {"attestation", deal.at("attestation")}};
    if (err = ErrorOf(seller->Call(sell)); !err.empty()) return "sell: " + err;
    json::object buy{{"op", "order.new"}, {"instrument", deal.at("instrument")}, {"side", "buy"},
                     {"qty", deal.at("qty")}, {"price", deal.at("price")}, {"tif", "IOC"}, {"client_order_id", coid}};
    if (deal.contains("voucher")) buy["voucher"] = deal.at("voucher");
    r = buyer->Call(buy);
    if (err = ErrorOf(r); !err.empty()) return "buy: " + err;
  }
  const json::array& fills = Result(r).at("fills").as_array();
  if (fills.size() != 1) return "the buy did not fill once";
  const int64_t trade = fills[0].as_object().at("trade_id").as_int64();
  if (!deal.contains("delivery")) return "";
  for (const json::value& step : deal.at("delivery").as_array()) {
    const std::string s = Text(step);
    json::object req{{"trade_id", trade}};
    Client* who = buyer;
    if (s == "grant") {
      auto d = datasets.find(Str(deal, "attestation"));
      req["op"] = "delivery.grant";
      req["access_ref"] = "sandbox://gz-data-sandbox/grants/" + coid;
      req["dataset"] = d == datasets.end() ? "" : d->second;
      req["access_from"] = NowMs();
      req["access_until"] = NowMs() + 90LL * 86'400'000;
      who = seller;
    } else if (s == "confirm") {
      req["op"] = "delivery.confirm";
    } else if (s == "dispute") {
      req["op"] = "delivery.dispute";
      req["reason"] = Str(deal, "dispute_reason").empty() ? "part of the data is missing" : Str(deal, "dispute_reason");
    } else if (s == "resolve:confirmed" || s == "resolve:failed") {
      req["op"] = "delivery.resolve";
      req["outcome"] = s.substr(8);
      req["note"] = "settled by the exchange";
      who = &ops;
    } else {
      return "unknown delivery step '" + s + "'";
    }
    if (err = ErrorOf(who->Call(req)); !err.empty()) return s + ": " + err;
  }
  return "";
}

}  // namespace

int SeedDeals(const std::string& url, const json::object& doc, const std::map<std::string, std::string>& secrets,
              Client& ops, json::array* failures) {
  if (!doc.contains("deals")) return 0;
  std::map<std::string, std::string> datasets;
  if (doc.contains("attestations") && doc.at("attestations").is_array())
    for (const json::value& a : doc.at("attestations").as_array())
      if (a.is_object()) datasets[Str(a.as_object(), "attestation")] = Str(a.as_object(), "dataset");
  Sessions members(url, secrets);
  int done = 0;
  size_t n = 0;
  for (const json::value& v : doc.at("deals").as_array()) {
    ++n;
    if (!v.is_object()) continue;
    const json::object& deal = v.as_object();
    // Deals are made once, with the members: a rerun finds them existing.
    if (!secrets.count(Str(deal, "seller")) || !secrets.count(Str(deal, "buyer"))) continue;
    std::string err = RunDeal(deal, n, datasets, members, ops);
    if (err.empty()) {
      ++done;
    } else {
      failures->push_back({{"section", "deals"}, {"entry", Str(deal, "seller") + " to " + Str(deal, "buyer")},
                           {"error", err}});
    }
  }
  return done;
}

}  // namespace corpex::tools
