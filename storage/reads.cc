#include "storage/reads.h"

#include <rocksdb/iterator.h>
#include <rocksdb/snapshot.h>

#include <memory>
#include <utility>

#include "storage/codec.h"
#include "storage/keys.h"

namespace corpex::storage {
namespace {

Status BadRequest(std::string message) {
  return Status(ErrorCode::kBadRequest, std::move(message));
}

// Every key starting with `prefix`, in order, from one snapshot.
template <typename Fn>
Status ScanPrefix(const Db& db, Cf cf, const std::string& prefix, Fn&& fn) {
  std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(rocksdb::ReadOptions(), db.cf(cf)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    Status s = fn(it->key().ToStringView(), it->value().ToStringView());
    if (!s.ok()) return s;
  }
  if (!it->status().ok()) return FromRocks(it->status(), std::string("scan ") + CfName(cf));
  return Status::Ok();
}

// Every trade in [from, to), straight from the trades column family: trade
// ids follow engine time (the engine's clock never goes back), so id order
// is (ts, id) order and the first trade at or after `from` is found by a
// binary search over ids. (Stores written before this kept a per-trade
// 0x00 key in trades_by_time for this; it is no longer written or read.)
StatusOr<TradePage> ReadAllTrades(const Db& db, const TradeQuery& q, int64_t cursor_ms,
                                  TradeId cursor_id, bool has_cursor) {
  const rocksdb::Snapshot* snap = db.db()->GetSnapshot();
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  TradePage page;
  Status s;
  {
    std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(ro, db.cf(kTrades)));
    TradeRecord t;
    auto at = [&](TradeId id) -> bool {  // positions at the first trade >= id; false at the end
      it->Seek(TradeKey(id));
      if (!it->Valid()) return false;
      if (!DecodeTrade(it->value().ToStringView(), &t).ok()) {
        s = Status(ErrorCode::kCorruption, "corrupt trade record");
        return false;
      }
      return true;
    };
    TradeId start = 0;
    if (has_cursor) {
      (void)cursor_ms;  // checked against from..to by the caller
      start = cursor_id + 1;
    } else {
      it->SeekToLast();
      TradeId hi = it->Valid() ? DecodeBe64(it->key().ToStringView()) + 1 : 0;
      TradeId lo = 0;
      while (lo < hi && s.ok()) {  // first id whose trade is at or after from
        TradeId mid = lo + (hi - lo) / 2;
        if (!at(mid) || ToMillis(t.ts) >= q.from_ms) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      start = lo;
    }
    for (bool ok = s.ok() && at(start); ok; ok = s.ok()) {
      if (ToMillis(t.ts) >= q.to_ms) break;
      if (page.trades.size() == q.limit) {  // one more match: there is a next page
        const TradeRecord& last = page.trades.back();
        page.next_cursor = EncodeCursor(ToMillis(last.ts), last.id);
        break;
      }
      page.trades.push_back(t);
      it->Next();
      if (!it->Valid()) break;
      if (!DecodeTrade(it->value().ToStringView(), &t).ok()) {
        s = Status(ErrorCode::kCorruption, "corrupt trade record");
      }
    }
    if (s.ok() && !it->status().ok()) s = FromRocks(it->status(), "scan trades");
  }
  db.db()->ReleaseSnapshot(snap);
  if (!s.ok()) return s;
  return page;
}

}  // namespace

StatusOr<TradePage> ReadTrades(const Db& db, const TradeQuery& q) {
  if (q.from_ms > q.to_ms) return BadRequest("from must not be after to");
  if (q.limit == 0 || q.limit > kMaxTradePage) {
    return BadRequest("limit must be 1.." + std::to_string(kMaxTradePage));
  }
  if (q.member.empty() && q.instrument.empty()) {
    int64_t ms = 0;
    TradeId id = 0;
    if (!q.cursor.empty()) {
      if (!DecodeCursor(q.cursor, &ms, &id)) return BadRequest("invalid cursor");
      if (ms < q.from_ms || ms >= q.to_ms) return BadRequest("cursor outside from..to");
    }
    return ReadAllTrades(db, q, ms, id, !q.cursor.empty());
  }
  // The most selective index that answers the query; an instrument filter on
  // top of a member's index is checked on the record.
  std::string prefix = !q.member.empty() ? IndexPrefix(IndexScope::kMember, q.member)
                                         : IndexPrefix(IndexScope::kInstrument, q.instrument);
  bool check_instrument = !q.member.empty() && !q.instrument.empty();

  // Entries from (ms, id) `from` on, before (to_ms, 0).
  std::pair<int64_t, TradeId> from{q.from_ms, 0};
  if (!q.cursor.empty()) {
    int64_t ms = 0;
    TradeId id = 0;
    if (!DecodeCursor(q.cursor, &ms, &id)) return BadRequest("invalid cursor");
    if (ms < q.from_ms || ms >= q.to_ms) return BadRequest("cursor outside from..to");
    from = {ms, id + 1};  // strictly after the page's last trade
  }
  const std::pair<int64_t, TradeId> to{q.to_ms, 0};
  std::string start = prefix;
  AppendTimeId(&start, from.first, from.second);
  std::string end = prefix;
  AppendTimeId(&end, q.to_ms, 0);

  const rocksdb::Snapshot* snap = db.db()->GetSnapshot();
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  rocksdb::Slice lower(prefix);
  rocksdb::Slice upper(end);
  ro.iterate_lower_bound = &lower;
  ro.iterate_upper_bound = &upper;
  TradePage page;
  Status s;
  {
    std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(ro, db.cf(kTradesByTime)));
    rocksdb::ReadOptions get_ro;
    get_ro.snapshot = snap;
    std::string value;
    bool done = false;
    // The list that holds `from` starts at or before it.
    it->SeekForPrev(start);
    if (!it->Valid()) it->Seek(start);
    for (; it->Valid() && !done && s.ok(); it->Next()) {
      auto visit = [&](int64_t ms, TradeId id) {
        const std::pair<int64_t, TradeId> at{ms, id};
        if (at < from) return true;
        if (at >= to) return !(done = true);
        rocksdb::Status gs = db.db()->Get(get_ro, db.cf(kTrades), TradeKey(id), &value);
        TradeRecord t;
        if (!gs.ok() || !DecodeTrade(value, &t).ok()) {
          s = Status(ErrorCode::kCorruption, "trade " + std::to_string(id) + " indexed but unreadable");
          return false;
        }
        if (check_instrument && t.instrument != q.instrument) return true;
        if (page.trades.size() == q.limit) {  // one more match: there is a next page
          const TradeRecord& last = page.trades.back();
          page.next_cursor = EncodeCursor(ToMillis(last.ts), last.id);
          return !(done = true);
        }
        page.trades.push_back(std::move(t));
        return true;
      };
      if (!ForEachPosting(it->key().ToStringView(), it->value().ToStringView(), visit)) {
        s = Status(ErrorCode::kCorruption, "corrupt trade index entry");
      }
    }
    if (s.ok() && !it->status().ok()) s = FromRocks(it->status(), "scan trades_by_time");
  }
  db.db()->ReleaseSnapshot(snap);
  if (!s.ok()) return s;
  return page;
}

StatusOr<TradeRecord> ReadTrade(const Db& db, TradeId id) {
  std::string v;
  bool found = false;
  Status s = db.Get(kTrades, TradeKey(id), &v, &found);
  if (!s.ok()) return s;
  if (!found) return BadRequest("unknown trade " + std::to_string(id));
  TradeRecord t;
  s = DecodeTrade(v, &t);
  if (!s.ok()) return s;
  return t;
}

StatusOr<VoucherReport> ReadVouchers(const Db& db, std::string_view program) {
  std::string v;
  bool found = false;
  Status s = db.Get(kRefdata, RefKey(kRefProgram, program), &v, &found);
  if (!s.ok()) return s;
  if (!found) return BadRequest("unknown program " + std::string(program));
  VoucherReport report;
  s = DecodeProgram(v, &report.program);
  if (!s.ok()) return s;
  s = ScanPrefix(db, kLedgers, LedgerPrefix(program), [&](std::string_view, std::string_view val) {
    LedgerRecord l;
    Status ds = DecodeLedger(val, &l);
    if (ds.ok()) report.members.push_back(std::move(l));
    return ds;
  });
  if (!s.ok()) return s;
  return report;
}

StatusOr<std::vector<ClaimRecord>> ReadClaims(const Db& db, std::string_view program,
                                              const ClaimStatus* status) {
  std::vector<ClaimRecord> claims;
  Status s =
      ScanPrefix(db, kClaims, ClaimPrefix(program), [&](std::string_view, std::string_view val) {
        ClaimRecord c;
        Status ds = DecodeClaim(val, &c);
        if (ds.ok() && (status == nullptr || c.status == *status)) claims.push_back(std::move(c));
        return ds;
      });
  if (!s.ok()) return s;
  return claims;
}

StatusOr<std::string> ReadMemberSecret(const Db& db, std::string_view member) {
  std::string v;
  bool found = false;
  Status s = db.Get(kRefdata, RefKey(kRefSecret, member), &v, &found);
  if (!s.ok()) return s;
  if (!found) return Status(ErrorCode::kNotFound, "no secret for " + std::string(member));
  return v;
}

StatusOr<uint64_t> VerifyTradeChain(const Db& db) {
  const rocksdb::Snapshot* snap = db.db()->GetSnapshot();
  rocksdb::ReadOptions ro;
  ro.snapshot = snap;
  ro.fill_cache = false;
  std::string prev(kGenesisHash);
  TradeId last_id = 0;
  uint64_t n = 0;
  Status s;
  std::string head_value;
  rocksdb::Status hs = db.db()->Get(ro, db.cf(kMeta), std::string(kMetaHead), &head_value);
  {
    std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(ro, db.cf(kTrades)));
    for (it->SeekToFirst(); it->Valid() && s.ok(); it->Next()) {
      TradeRecord t;
      s = DecodeTrade(it->value().ToStringView(), &t);
      if (!s.ok()) break;
      std::string id = std::to_string(t.id);
      if (t.id <= last_id || DecodeBe64(it->key().ToStringView()) != t.id) {
        s = Status(ErrorCode::kCorruption, "trade " + id + " out of order");
      } else if (t.prev_hash != prev) {
        s = Status(ErrorCode::kCorruption, "trade " + id + ": prev_hash does not link");
      } else if (ChainHash(t) != t.hash) {
        s = Status(ErrorCode::kCorruption, "trade " + id + ": hash does not recompute");
      }
      prev = t.hash;
      last_id = t.id;
      ++n;
    }
    if (s.ok() && !it->status().ok()) s = FromRocks(it->status(), "scan trades");
  }
  db.db()->ReleaseSnapshot(snap);
  if (!s.ok()) return s;
  Head head;
  head.chain_head = std::string(kGenesisHash);
  if (hs.ok() && !(s = DecodeHead(head_value, &head)).ok()) return s;
  if (head.chain_head != prev || head.last_trade_id != last_id) {
    return Status(ErrorCode::kCorruption, "chain head does not match the last trade");
  }
  return n;
}

}  // namespace corpex::storage
