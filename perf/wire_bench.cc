// perf/wire_bench.cc — the gateway's text work per order, without sockets:
// reading WebSocket frames as a read brings them (64 masked order.new frames,
// unmasked and UTF-8-checked by gateway/net/ws_reader.h), decoding an order.new
// frame as corpex-load sends it, and encoding what the order earns: the
// response of a resting order, the response of an order that filled, and the
// execution events of a fill (one per side).
//
// The inputs are fixed (one engine built from operator frames, one cross), so
// runs and builds compare as ratios. Google Benchmark's own options apply:
//   build/perf/wire_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "corpex/engine.h"
#include "gateway/net/ws_frame.h"
#include "gateway/protocol/request.h"
#include "gateway/protocol/wire_encode.h"
#include "gateway/net/ws_reader.h"

namespace corpex::gw {
namespace {

constexpr TimeNs kT0 = 1'772'323'200'000'000'000;  // 2026-03-01T00:00:00Z

const char* const kSetup[] = {
    R"({"id":1,"op":"instrument.create","symbol":"ZH-MED-DIALOG.TRAIN.12M","domain":"medical",)"
    R"("language":"zh","modality":"text","licence":"training","term_months":12,"tier":1,)"
    R"("unit":"mtok","tick":1,"lot":1})",
    R"({"id":2,"op":"member.create","member":"LOAD-S0","name":"LOAD-S0","group":"LOAD-S0",)"
    R"("roles":["seller"],"tier":4})",
    R"({"id":3,"op":"member.create","member":"LOAD-B0","name":"LOAD-B0","group":"LOAD-B0",)"
    R"("roles":["buyer"],"tier":4})",
    R"({"id":4,"op":"attestation.register","attestation":"ATT-LOAD-S0","member":"LOAD-S0",)"
    R"("dataset":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",)"
    R"("assessor":"corpex-load","licences":["training"],"tier":1,)"
    R"("issued_at":1772236800000,"expires_at":1803859200000})",
};
constexpr std::string_view kSell =
    R"({"id":118,"op":"order.new","instrument":"ZH-MED-DIALOG.TRAIN.12M","side":"sell","qty":1,)"
    R"("price":109,"tif":"GTC","client_order_id":"L4711","attestation":"ATT-LOAD-S0"})";
constexpr std::string_view kBuy =
    R"({"id":119,"op":"order.new","instrument":"ZH-MED-DIALOG.TRAIN.12M","side":"buy","qty":1,)"
    R"("price":109,"tif":"IOC","client_order_id":"L4712"})";

[[noreturn]] void Die(std::string_view what) {
  std::fprintf(stderr, "wire_bench: %.*s\n", static_cast<int>(what.size()), what.data());
  std::exit(1);
}

// One engine with a resting sell and the buy that took it, as decoded and
// executed by the gateway's own code.
struct World {
  Engine engine;
  RequestDecoder decoder{65536};
  OrderView resting;      // the sell, as its order.new answered
  OrderView taker;        // the buy, filled
  std::vector<Trade> trades;

  World() {
    for (const char* f : kSetup) Run(f, "");
    resting = Run(kSell, "LOAD-S0").order;
    const Events& ev = Run(kBuy, "LOAD-B0");
    taker = ev.order;
    trades = ev.trades;
    if (trades.size() != 1) Die("the buy did not fill");
  }

  const Events& Run(std::string_view frame, std::string_view member) {
    Request r = decoder.Decode(frame);
    if (!r.error.ok()) Die(r.error.message());
    if (auto* o = std::get_if<NewOrder>(&r.command.body)) o->member.assign(member);
    r.command.ts = kT0;
    const Events& ev = engine.Execute(r.command);
    if (!ev.status.ok()) Die(ev.status.message());
    return ev;
  }
};

World& TheWorld() {
  static World w;
  return w;
}

// The response frame as Exchange writes it: the result straight into it.
std::string OrderResponse(const World& w, const OrderView& o, const std::vector<Trade>& trades) {
  JsonOut j;
  BeginOkFrame(j, "119");
  OrderObject(j, w.engine, o, trades);
  j.End();
  return j.Take();
}

// A burst of 64 order.new frames as one socket read brings them; each
// iteration hands them to the reader and takes every message out.
void BM_ReadFrames64(benchmark::State& state) {
  constexpr int kFrames = 64;
  std::string burst;
  for (int i = 0; i < kFrames; ++i) {
    const unsigned char key[4] = {static_cast<unsigned char>(i), 0x5a, 0xc3, 0x17};
    char head[14];
    std::string payload(kBuy);
    burst.append(TextFrameHeader(payload.size(), head, key));
    MaskPayload(payload.data(), payload.size(), key);
    burst.append(payload);
  }
  WsReader reader(1 << 16);
  for (auto _ : state) {
    auto room = reader.Prepare(burst.size());
    std::memcpy(room.data(), burst.data(), burst.size());
    reader.Commit(burst.size());
    int messages = 0;
    for (WsReader::Event e = reader.Next(); e.kind == WsReader::Event::Kind::kMessage; e = reader.Next()) {
      benchmark::DoNotOptimize(e.payload.data());
      ++messages;
    }
    if (messages != kFrames) Die("the reader lost frames");
  }
  state.SetItemsProcessed(state.iterations() * kFrames);
}
BENCHMARK(BM_ReadFrames64);

void BM_DecodeOrderNew(benchmark::State& state) {
  World& w = TheWorld();
  for (auto _ : state) {
    Request r = w.decoder.Decode(kBuy);
    benchmark::DoNotOptimize(r.command);
  }
}
BENCHMARK(BM_DecodeOrderNew);

void BM_EncodeRestingOrderResponse(benchmark::State& state) {
  const World& w = TheWorld();
  const std::vector<Trade> none;
  for (auto _ : state) benchmark::DoNotOptimize(OrderResponse(w, w.resting, none));
}
BENCHMARK(BM_EncodeRestingOrderResponse);

void BM_EncodeFilledOrderResponse(benchmark::State& state) {
  const World& w = TheWorld();
  for (auto _ : state) benchmark::DoNotOptimize(OrderResponse(w, w.taker, w.trades));
}
BENCHMARK(BM_EncodeFilledOrderResponse);

void BM_EncodeExecutionEvents(benchmark::State& state) {
  const World& w = TheWorld();
  for (auto _ : state) {
    benchmark::DoNotOptimize(ExecutionFillEvent(w.engine, w.trades[0], Side::kBuy));
    benchmark::DoNotOptimize(ExecutionFillEvent(w.engine, w.trades[0], Side::kSell));
  }
}
BENCHMARK(BM_EncodeExecutionEvents);

}  // namespace
}  // namespace corpex::gw

BENCHMARK_MAIN();
