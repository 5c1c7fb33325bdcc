// A small market run through the engine, printed as it trades: what the
// engine decides, without storage or network. `make run` starts it until the
// gateway exists.
#include <cstdio>
#include <cstring>

#include "corpex/engine.h"

using namespace corpex;

namespace {

constexpr TimeNs kStart = 1772323200LL * 1'000'000'000;  // 2026-03-01T00:00:00Z

void Check(const Events& ev, const char* what) {
  if (!ev.status.ok())
    std::printf("  %-40s -> %s: %s\n", what, std::string(to_string(ev.status.code())).c_str(),
                ev.status.message().c_str());
}

void Print(const Engine& engine, const Events& ev) {
  for (const Trade& t : ev.trades) {
    std::printf("  trade #%llu %s %lld @ %lld fen = %lld, offset %lld, net %lld%s\n",
                static_cast<unsigned long long>(t.id), engine.instruments()[t.instrument].symbol.c_str(),
                static_cast<long long>(t.qty.v), static_cast<long long>(t.price.v),
                static_cast<long long>(t.notional.v), static_cast<long long>(t.voucher_offset.v),
                static_cast<long long>(t.net_cost.v), t.affiliated ? " (affiliated)" : "");
  }
  if (ev.has_order) {
    std::printf("  order #%llu %s, filled %lld, open %lld %s\n",
                static_cast<unsigned long long>(ev.order.id),
                std::string(to_string(ev.order.status)).c_str(),
                static_cast<long long>(ev.order.filled.v), static_cast<long long>(ev.order.open.v),
                std::string(to_string(ev.order.reason)).c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::puts("usage: corpex-engine-demo\nRuns a small corpus market through the matching engine "
              "and prints each decision.");
    return 0;
  }
  Engine engine;
  TimeNs ts = kStart;
  auto run = [&](CommandBody body, const char* what) -> const Events& {
    const Events& ev = engine.Execute(Command{ts += 1'000'000, body});
    std::printf("%s\n", what);
    Check(ev, what);
    Print(engine, ev);
    return ev;
  };
  InstrumentCreate inst;
  inst.symbol.assign("ZH-MED-DIALOG.TRAIN.12M");
  inst.domain.assign("medical");
  inst.language.assign("zh");
  inst.term_months = 12;
  inst.tier = 3;
  inst.tick = Price(100);
  inst.lot = Qty(1);
  run(inst, "instrument.create ZH-MED-DIALOG.TRAIN.12M (tier 3, tick 1 CNY)");
  run(MemberCreate{MemberName::of("GZ-HOSP"), Text::of("Guangzhou hospital data"),
                   MemberName::of("gz-health"), kRoleSeller, 4},
      "member.create GZ-HOSP (seller)");
  run(MemberCreate{MemberName::of("SZ-MODEL"), Text::of("Shenzhen model builder"),
                   MemberName::of("sz-ai"), kRoleBuyer, 3},
      "member.create SZ-MODEL (buyer, tier 3)");
  AttestationRegister att;
  att.attestation.assign("ATT-001");
  att.member.assign("GZ-HOSP");
  att.dataset.assign(std::string(64, 'a'));
  att.assessor.assign("King & Wood Mallesons");
  att.licences = 1u << static_cast<unsigned>(Licence::kTraining);
  att.tier = 3;
  att.issued_at = kStart - 1;
  att.expires_at = kStart + 365LL * 86400 * 1'000'000'000;
  run(att, "attestation.register ATT-001");
  ProgramCreate prog;
  prog.program.assign("SZ-CORPUS-2026");
  prog.rate_bps = 3000;
  prog.member_cap = Fen(200'000'000);
  prog.budget = Fen(5'000'000'000);
  prog.year = 2026;
  run(prog, "voucher.program.create SZ-CORPUS-2026 (30%)");
  run(Enrol{Name::of("SZ-CORPUS-2026"), MemberName::of("SZ-MODEL")}, "voucher.enrol SZ-MODEL");

  NewOrder sell;
  sell.member.assign("GZ-HOSP");
  sell.instrument.assign("ZH-MED-DIALOG.TRAIN.12M");
  sell.side = Side::kSell;
  sell.qty = Qty(500);
  sell.price = Price(12'000);
  sell.client_order_id.assign("s-1");
  sell.attestation.assign("ATT-001");
  run(sell, "GZ-HOSP sells 500 mtok @ 120.00 CNY GTC");
  NewOrder buy;
  buy.member.assign("SZ-MODEL");
  buy.instrument.assign("ZH-MED-DIALOG.TRAIN.12M");
  buy.side = Side::kBuy;
  buy.qty = Qty(200);
  buy.price = Price(12'500);
  buy.client_order_id.assign("b-1");
  buy.voucher.assign("SZ-CORPUS-2026");
  run(buy, "SZ-MODEL buys 200 mtok @ 125.00 CNY with the corpus voucher");
  const auto depth = engine.Depth(0);
  for (const auto& l : depth.asks)
    std::printf("ask %lld x %lld (%u orders)\n", static_cast<long long>(l.price.v),
                static_cast<long long>(l.qty.v), l.orders);
  std::printf("state digest %s\n", engine.Digest().c_str());
  return 0;
}
