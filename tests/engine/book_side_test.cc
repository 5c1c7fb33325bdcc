// A book side's levels by price: whatever prices arrive (near the market,
// beyond the ladder's reach, at int64's ends) and in whatever order levels
// come and go, Find, Best and the walk by NextWorse answer as an ordered map
// would. The ladder's growth, re-centring and pulling far levels in are
// internal; only these answers show.
#include <catch2/catch.hpp>

#include <limits>
#include <map>
#include <random>

#include "engine/book.h"

namespace corpex::test {
namespace {

constexpr int64_t kMaxPrice = std::numeric_limits<int64_t>::max();

// The side's levels best first, by walking it.
std::vector<std::pair<int64_t, uint32_t>> Walk(const BookSide& bs) {
  std::vector<std::pair<int64_t, uint32_t>> out;
  for (LevelRef r = bs.Best(); r.level != kNone; r = bs.NextWorse(r)) {
    out.emplace_back(bs.PriceOf(r), r.level);
    if (out.size() > 100'000) break;  // a walk that loops fails below instead of hanging
  }
  return out;
}

std::vector<std::pair<int64_t, uint32_t>> Expected(Side side, const std::map<int64_t, uint32_t>& m) {
  std::vector<std::pair<int64_t, uint32_t>> out(m.begin(), m.end());
  if (side == Side::kBuy) std::reverse(out.begin(), out.end());
  return out;
}

void CheckAgrees(const BookSide& bs, Side side, const std::map<int64_t, uint32_t>& m) {
  REQUIRE(Walk(bs) == Expected(side, m));
  REQUIRE(bs.empty() == m.empty());
}

TEST_CASE("a side walks its levels best first, on the ladder and beyond it", "[book]") {
  const int64_t tick = 100;
  const int64_t reach = BookSide::kMaxRungs * tick;
  for (const Side side : {Side::kBuy, Side::kSell}) {
    INFO("side " << static_cast<int>(side));
    BookSide bs(side, tick);
    std::map<int64_t, uint32_t> m;
    uint32_t next = 0;
    auto add = [&](int64_t price) {
      REQUIRE(bs.Find(price) == kNone);
      bs.Insert(price, next);
      m[price] = next++;
      REQUIRE(bs.Find(price) == m[price]);
      CheckAgrees(bs, side, m);
    };
    auto remove = [&](int64_t price) {
      bs.Erase(price);
      m.erase(price);
      REQUIRE(bs.Find(price) == kNone);
      CheckAgrees(bs, side, m);
    };
    const int64_t mid = 1'000'000 * tick;
    add(mid);                    // the ladder centres here
    add(mid + 3 * reach);        // beyond its reach: far
    add(mid - 3 * reach);        // far below
    add(tick);                   // the lowest price there is
    add(kMaxPrice / tick * tick);  // the highest
    add(mid + 5 * tick);
    add(mid - 700 * tick);        // the ladder grows down
    add(mid + reach / 2);         // and up, to its cap
    add(mid + reach);             // past the cap: far
    remove(mid);
    remove(mid + 5 * tick);
    remove(mid - 700 * tick);
    remove(mid + reach / 2);      // the ladder is empty; far levels remain
    add(mid + 3 * reach + tick);  // re-centres there and takes in the far level beside it
    REQUIRE(bs.Find(mid + 3 * reach) == m[mid + 3 * reach]);
    remove(mid + 3 * reach);
    for (const auto& [price, level] : std::map<int64_t, uint32_t>(m)) remove(price);
    add(kMaxPrice / tick * tick);  // the ladder centres at int64's end
    add(kMaxPrice / tick * tick - tick);
    remove(kMaxPrice / tick * tick);
  }
}

TEST_CASE("a ladder left behind by the market moves to it once most levels are beyond it", "[book]") {
  const int64_t tick = 100;
  for (const Side side : {Side::kBuy, Side::kSell}) {
    BookSide bs(side, tick);
    std::map<int64_t, uint32_t> m;
    bs.Insert(1'000 * tick, 0);  // a stale order; the ladder centres on it
    m[1'000 * tick] = 0;
    // The market trades a million ticks away, on 200 levels.
    for (uint32_t j = 1; j <= 200; ++j) {
      const int64_t price = (1'000'000 + 3 * static_cast<int64_t>(j)) * tick;
      bs.Insert(price, j);
      m[price] = j;
    }
    CheckAgrees(bs, side, m);
    CHECK(bs.far_levels() == 1);  // only the stale order is off the ladder
    for (const auto& [price, level] : m) REQUIRE(bs.Find(price) == level);
  }
}

TEST_CASE("a side agrees with an ordered map over random inserts and erases", "[book]") {
  for (const int64_t tick : {int64_t{1}, int64_t{100}, int64_t{1'000'000'007}}) {
    for (const Side side : {Side::kBuy, Side::kSell}) {
      INFO("tick " << tick << " side " << static_cast<int>(side));
      std::mt19937_64 rng(0x1add3e5 + static_cast<uint64_t>(tick) * 2 + (side == Side::kBuy));
      auto below = [&](int64_t n) { return static_cast<int64_t>(rng() % static_cast<uint64_t>(n)); };
      BookSide bs(side, tick);
      std::map<int64_t, uint32_t> m;
      const int64_t top = kMaxPrice / tick;  // the highest tick count
      int64_t mid = std::min<int64_t>(50'000, top / 2);
      for (uint32_t step = 0; step < 20'000; ++step) {
        // Mostly near a drifting mid, sometimes far or at the ends of int64.
        if (below(200) == 0) mid = std::clamp<int64_t>(mid + below(60'001) - 30'000, 1, top);
        const int64_t r = below(100);
        int64_t k = r < 80   ? mid + below(801) - 400
                    : r < 95 ? mid + below(200'001) - 100'000
                    : r < 98 ? 1 + below(64)
                             : top - below(64);
        k = std::clamp<int64_t>(k, 1, top);
        const int64_t price = k * tick;
        REQUIRE(bs.Find(price) == (m.count(price) ? m[price] : kNone));
        if (m.count(price)) {
          bs.Erase(price);
          m.erase(price);
        } else if (m.size() < 2'000 || below(2) == 0) {
          bs.Insert(price, step);
          m[price] = step;
        } else {  // keep the book bounded: erase its best instead
          const LevelRef best = bs.Best();
          REQUIRE(best.level != kNone);
          bs.Erase(bs.PriceOf(best));
          m.erase(bs.PriceOf(best));
        }
        if (step % 97 == 0) CheckAgrees(bs, side, m);
        const LevelRef best = bs.Best();
        if (m.empty()) {
          REQUIRE(best.level == kNone);
        } else {
          const auto& want = side == Side::kBuy ? *m.rbegin() : *m.begin();
          REQUIRE(bs.PriceOf(best) == want.first);
          REQUIRE(best.level == want.second);
        }
      }
      CheckAgrees(bs, side, m);
    }
  }
}

}  // namespace
}  // namespace corpex::test
