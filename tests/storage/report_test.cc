// report.trades read path: [from, to) in ms, member / instrument filters,
// cursor paging, oldest first, each trade exactly once.
#include <catch2/catch.hpp>
#include <atomic>
#include <set>

#include "storage/test_hooks.h"
#include "test_util.h"

namespace corpex::testing {
namespace {

std::vector<TradeRecord> AllPages(const Store& store, TradeQuery q, size_t* pages) {
  std::vector<TradeRecord> out;
  *pages = 0;
  for (;;) {
    auto page = store.Trades(q);
    INFO(page.status().message());
    REQUIRE(page.ok());
    ++*pages;
    REQUIRE(page->trades.size() <= q.limit);
    out.insert(out.end(), page->trades.begin(), page->trades.end());
    if (page->next_cursor.empty()) break;
    CHECK(page->trades.size() == q.limit);
    q.cursor = page->next_cursor;
  }
  return out;
}

TEST_CASE("trade reports page by time with filters", "[report]") {
  TempDir tmp;
  // The index keeps one list per member and instrument per group commit:
  // commands 1..2000 and 3501..5000 are held into one group each, those
  // between go as the writer takes them, so pages start and end inside
  // lists, across lists and on single entries.
  std::atomic<bool> hold{true};
  StoreOptions o = Options(tmp.path());
  static StoreTestHooks hooks;
  hooks.hold_writes = &hold;
  o.test_hooks = &hooks;
  Live live(o);
  live.RunWorkload(13, 2000);
  hold = false;
  live.WaitAll();
  live.RunWorkload(13, 3500);
  live.WaitAll();
  hold = true;
  live.RunWorkload(13, 5000);
  hold = false;
  live.WaitAll();
  CHECK(live.store->stats().max_batch >= 1500);
  size_t pages = 0;
  std::vector<TradeRecord> all =
      AllPages(*live.store, {INT64_MIN, INT64_MAX, "", "", "", 10000}, &pages);
  REQUIRE(all.size() > 300);
  CHECK(pages == 1);
  const int64_t from = ToMillis(all[all.size() / 4].ts);
  const int64_t to = ToMillis(all[3 * all.size() / 4].ts);

  auto expect = [&](const std::string& member, const std::string& instrument) {
    std::vector<TradeId> ids;
    for (const TradeRecord& t : all) {
      int64_t ms = ToMillis(t.ts);
      if (ms < from || ms >= to) continue;
      if (!member.empty() && t.buyer != member && t.seller != member) continue;
      if (!instrument.empty() && t.instrument != instrument) continue;
      ids.push_back(t.id);
    }
    return ids;
  };
  const std::string inst = all.front().instrument;
  struct Filter {
    std::string member, instrument;
  };
  for (const Filter& f : {Filter{"", ""}, Filter{"B1", ""}, Filter{"S2", ""}, Filter{"", inst},
                          Filter{"X1", inst}, Filter{"nobody", ""}}) {
    for (size_t limit : {size_t{1}, size_t{7}, size_t{100}, kMaxTradePage}) {
      DYNAMIC_SECTION("member '" << f.member << "' instrument '" << f.instrument << "' limit "
                                 << limit) {
        TradeQuery q{from, to, f.member, f.instrument, "", limit};
        std::vector<TradeRecord> got = AllPages(*live.store, q, &pages);
        std::vector<TradeId> ids;
        for (const TradeRecord& t : got) ids.push_back(t.id);
        CHECK(ids == expect(f.member, f.instrument));  // same trades, same order, no repeats
        for (size_t i = 1; i < got.size(); ++i) {
          CHECK(std::make_pair(ToMillis(got[i - 1].ts), got[i - 1].id) <
                std::make_pair(ToMillis(got[i].ts), got[i].id));
        }
      }
    }
  }
}

TEST_CASE("trade report input is checked", "[report]") {
  TempDir tmp;
  Live live(Options(tmp.path()));
  live.RunWorkload(13, 1500);
  live.WaitAll();
  auto code = [&](TradeQuery q) { return live.store->Trades(q).status().code(); };
  CHECK(code({10, 5, "", "", "", 10}) == ErrorCode::kBadRequest);
  CHECK(code({0, INT64_MAX, "", "", "", 0}) == ErrorCode::kBadRequest);
  CHECK(code({0, INT64_MAX, "", "", "", kMaxTradePage + 1}) == ErrorCode::kBadRequest);
  CHECK(code({0, INT64_MAX, "", "", "garbage", 10}) == ErrorCode::kBadRequest);
  auto first = live.store->Trades({0, INT64_MAX, "", "", "", 2});
  REQUIRE(first.ok());
  REQUIRE_FALSE(first->next_cursor.empty());
  // A cursor from outside the range asked for is refused.
  int64_t after = ToMillis(first->trades.back().ts) + 1;
  CHECK(code({after, INT64_MAX, "", "", first->next_cursor, 2}) == ErrorCode::kBadRequest);
  // An empty range is an empty last page, through the index too, also when
  // it lies inside a list or past the last trade.
  const int64_t mid = ToMillis(first->trades.back().ts);
  for (const std::string& member : {std::string(), std::string("B1")}) {
    for (int64_t at : {int64_t{5}, mid, INT64_MAX}) {
      auto none = live.store->Trades({at, at, member, "", "", 10});
      REQUIRE(none.ok());
      CHECK(none->trades.empty());
      CHECK(none->next_cursor.empty());
    }
  }
}

}  // namespace
}  // namespace corpex::testing
