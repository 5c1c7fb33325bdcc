// determinism_test.cc — same commands in, same bytes out.
//
// The journal is replayed to rebuild state and a standby follows it, so the
// engine must answer a command stream identically every time, and an engine
// restored from a snapshot must carry on exactly as the one that took it.
// Every Events value is turned into canonical bytes by a serializer written
// here (every field, fixed width, little endian), and the streams of bytes
// must be identical, as must Engine::Digest().
#include <catch2/catch.hpp>
#include <cstring>
#include <random>
#include <string>

#include "corpex/engine.h"
#include "engine/random_commands.h"

namespace corpex {
namespace {

using testing::Describe;
using testing::RandomCommands;

// ---- canonical serializer ------------------------------------------------

class Bytes {
 public:
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void Str(std::string_view s) {
    U64(s.size());
    out_.append(s.data(), s.size());
  }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

void Put(Bytes& b, const OrderView& o) {
  b.U64(o.id);
  b.U64(o.member);
  b.U64(o.instrument);
  b.U8(static_cast<uint8_t>(o.side));
  b.U8(static_cast<uint8_t>(o.tif));
  b.U8(static_cast<uint8_t>(o.status));
  b.U8(static_cast<uint8_t>(o.reason));
  b.I64(o.price.v);
  b.I64(o.filled.v);
  b.I64(o.open.v);
  b.I64(o.min_qty.v);
  b.I64(o.expire_at);
  b.U64(o.attestation);
  b.U64(o.voucher);
  b.Str(o.client_order_id.view());
}

void Put(Bytes& b, const OrderAfter& a) {
  b.U8(static_cast<uint8_t>(a.status));
  b.I64(a.filled.v);
  b.I64(a.open.v);
  b.Str(a.client_order_id.view());
}

void Put(Bytes& b, const Trade& t) {
  b.U64(t.id);
  b.I64(t.ts);
  b.U64(t.instrument);
  b.I64(t.price.v);
  b.I64(t.qty.v);
  b.I64(t.notional.v);
  b.U8(static_cast<uint8_t>(t.aggressor));
  b.U64(t.buy_order);
  b.U64(t.sell_order);
  b.U64(t.buyer);
  b.U64(t.seller);
  b.U8(t.affiliated ? 1 : 0);
  b.U64(t.attestation);
  b.U64(t.program);
  b.I64(t.voucher_offset.v);
  b.I64(t.net_cost.v);
  Put(b, t.buy_after);
  Put(b, t.sell_after);
}

std::string Serialize(const Events& e) {
  Bytes b;
  b.U8(static_cast<uint8_t>(e.status.code()));
  b.Str(e.status.message());
  b.U8(e.has_order ? 1 : 0);
  if (e.has_order) Put(b, e.order);
  b.U64(e.trades.size());
  for (const Trade& t : e.trades) Put(b, t);
  b.U64(e.done.size());
  for (const OrderView& o : e.done) Put(b, o);
  b.U64(e.book.size());
  for (const LevelChange& l : e.book) {
    b.U64(l.instrument);
    b.U8(static_cast<uint8_t>(l.side));
    b.I64(l.price.v);
    b.I64(l.qty.v);
    b.U64(l.orders);
  }
  b.U64(e.count);
  return std::move(b.str());
}

// Digest() need not cover the clock, which still steers every later
// decision (clock = max(clock, ts)); counters() carry it.
void RequireSameCounters(const Engine& a, const Engine& b) {
  const EngineCounters x = a.counters(), y = b.counters();
  REQUIRE(x.clock == y.clock);
  REQUIRE(x.next_order_id == y.next_order_id);
  REQUIRE(x.next_trade_id == y.next_trade_id);
  REQUIRE(x.resting_orders == y.resting_orders);
}

// Runs `n` commands of the stream through `lead` (whose answers steer the
// generator) and `follower`, requiring byte-identical events.
void RunBoth(RandomCommands& gen, Engine& lead, Engine& follower, uint64_t first, uint64_t n,
             uint64_t seed, uint64_t* trades) {
  for (uint64_t i = first; i < first + n; ++i) {
    const Command c = gen.Next();
    const Events& a = lead.Execute(c);
    const std::string bytes_a = Serialize(a);
    gen.Observe(a.status.code(), a.has_order, a.order, a.trades);
    *trades += a.trades.size();
    const std::string bytes_b = Serialize(follower.Execute(c));
    if (bytes_a != bytes_b) {
      FAIL("seed " << seed << ", command #" << i << " " << Describe(c)
                   << ": events differ between the engines (" << bytes_a.size() << " vs "
                   << bytes_b.size() << " bytes)");
    }
  }
}

struct Stream {
  uint64_t seed;
  testing::Mix mix;
};
const Stream kStreams[] = {{0xde7e0001ULL, testing::Mix::Standard()},
                           {0xde7e0002ULL, testing::Mix::GtdHeavy()},
                           {0xde7e0003ULL, testing::Mix::DeepBook()}};
constexpr uint64_t kCommands = 40'000;

TEST_CASE("two fresh engines answer a stream byte for byte alike", "[engine][determinism]") {
  for (const auto& [seed, mix] : kStreams) {
    Engine a, b(Engine::Options{16});  // pool sizes must not matter
    RandomCommands gen(seed, mix);
    uint64_t trades = 0;
    RunBoth(gen, a, b, 0, kCommands, seed, &trades);
    INFO("seed " << seed);
    CHECK(trades > 1000);  // the stream does trade
    REQUIRE(a.Digest() == b.Digest());
    RequireSameCounters(a, b);
  }
}

TEST_CASE("Prefetch hints never change the answers", "[engine][determinism]") {
  for (const auto& [seed, mix] : kStreams) {
    INFO("seed " << seed);
    // Sized past the point below which Prefetch does nothing.
    Engine plain, hinted(Engine::Options{1 << 16});
    RandomCommands gen(seed ^ 0x9e37, mix);
    Command previous;
    for (uint64_t i = 0; i < kCommands; ++i) {
      const Command c = gen.Next();
      // The command itself, twice, and a stale one whose order may be gone.
      Engine::PrefetchCommand(c);
      hinted.Prefetch(c);
      hinted.Prefetch(previous);
      hinted.Prefetch(c);
      const Events& a = plain.Execute(c);
      const std::string bytes_a = Serialize(a);
      gen.Observe(a.status.code(), a.has_order, a.order, a.trades);
      if (bytes_a != Serialize(hinted.Execute(c))) {
        FAIL("seed " << seed << ", command #" << i << " " << Describe(c) << ": events differ");
      }
      previous = c;
    }
    REQUIRE(plain.Digest() == hinted.Digest());
    RequireSameCounters(plain, hinted);
  }
}

// Sets the handles of an order command (Handles) with pick(name, kind):
// kind 'm' member, 'i' instrument, 'a' attestation.
template <typename Pick>
void SetHandles(Command* c, Pick pick) {
  std::visit([&](auto& b) {
    using T = std::decay_t<decltype(b)>;
    if constexpr (std::is_same_v<T, NewOrder> || std::is_same_v<T, CancelOrder> ||
                  std::is_same_v<T, ReplaceOrder>) {
      b.handles.member = pick(b.member.view(), 'm');
      if constexpr (std::is_same_v<T, NewOrder>) {
        b.handles.instrument = pick(b.instrument.view(), 'i');
        b.handles.attestation = pick(b.attestation.view(), 'a');
      }
    }
  }, c->body);
}

TEST_CASE("handles never change the answers, right or wrong", "[engine][determinism]") {
  for (const auto& [seed, mix] : kStreams) {
    INFO("seed " << seed);
    Engine plain, right, wrong(Engine::Options{1 << 16});
    RandomCommands gen(seed ^ 0x4a4e, mix);
    std::mt19937_64 rng(seed);
    uint64_t taken = 0;  // commands whose right handle named a real entity
    for (uint64_t i = 0; i < kCommands; ++i) {
      const Command c = gen.Next();
      const Events& a = plain.Execute(c);
      const std::string bytes_a = Serialize(a);
      gen.Observe(a.status.code(), a.has_order, a.order, a.trades);

      // As a session sends them: resolved before the command runs.
      Command r = c;
      SetHandles(&r, [&](std::string_view name, char kind) {
        const uint32_t id = kind == 'm'   ? right.FindMember(name)
                            : kind == 'i' ? right.FindInstrument(name)
                                          : right.FindAttestation(name);
        taken += id != kNone;
        return id;
      });
      right.Prefetch(r);
      if (bytes_a != Serialize(right.Execute(r)))
        FAIL("seed " << seed << ", command #" << i << " " << Describe(c) << ": right handles changed the events");

      // Another entity's id, one past the last, far out of range, or none.
      Command w = c;
      SetHandles(&w, [&](std::string_view, char) -> uint32_t {
        switch (rng() % 4) {
          case 0: return static_cast<uint32_t>(rng() % 24);
          case 1: return static_cast<uint32_t>(wrong.members().size());
          case 2: return kNone - 1;
          default: return kNone;
        }
      });
      wrong.Prefetch(w);
      if (bytes_a != Serialize(wrong.Execute(w)))
        FAIL("seed " << seed << ", command #" << i << " " << Describe(c) << ": wrong handles changed the events");
    }
    CHECK(taken > kCommands / 2);
    REQUIRE(plain.Digest() == right.Digest());
    REQUIRE(plain.Digest() == wrong.Digest());
    RequireSameCounters(plain, right);
    RequireSameCounters(plain, wrong);
  }
}

TEST_CASE("a restored snapshot carries on exactly as the original", "[engine][determinism]") {
  for (const auto& [seed, mix] : kStreams) {
    INFO("seed " << seed);
    Engine original, replica;
    RandomCommands gen(seed ^ 0xabcdef, mix);
    uint64_t trades = 0;
    // Both run the first third; then a snapshot of `original` is restored into
    // a fresh engine which must follow `original` from there on; a second
    // snapshot is taken of the restored engine itself.
    RunBoth(gen, original, replica, 0, kCommands / 3, seed, &trades);
    REQUIRE(original.Digest() == replica.Digest());

    const std::string snap1 = original.Save();
    Engine restored1(Engine::Options{8});
    REQUIRE(restored1.Restore(snap1).ok());
    REQUIRE(restored1.Digest() == original.Digest());
    RequireSameCounters(restored1, original);
    RunBoth(gen, original, restored1, kCommands / 3, kCommands / 3, seed, &trades);
    REQUIRE(restored1.Digest() == original.Digest());

    const std::string snap2 = restored1.Save();
    Engine restored2;
    REQUIRE(restored2.Restore(snap2).ok());
    REQUIRE(restored2.Digest() == original.Digest());
    RequireSameCounters(restored2, original);
    RunBoth(gen, original, restored2, 2 * (kCommands / 3), kCommands / 3, seed, &trades);
    REQUIRE(restored2.Digest() == original.Digest());
    RequireSameCounters(restored2, original);
    CHECK(trades > 1000);
  }
}

TEST_CASE("a snapshot of an empty engine restores to an equivalent engine",
          "[engine][determinism]") {
  Engine plain;
  const std::string empty_snapshot = plain.Save();
  Engine restored;
  REQUIRE(restored.Restore(empty_snapshot).ok());
  REQUIRE(restored.Digest() == plain.Digest());
  RandomCommands gen(7);
  uint64_t trades = 0;
  RunBoth(gen, plain, restored, 0, 5000, 7, &trades);
  REQUIRE(restored.Digest() == plain.Digest());
}

}  // namespace
}  // namespace corpex
