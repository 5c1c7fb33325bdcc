// report.deliveries and a member's deliveries: every trade opens a delivery,
// so a page walks trades in id order (through the member index when a member
// is named) and joins each with its steps from the deliveries family. A
// pending delivery has no steps yet: nothing is written for it until a
// grant, which keeps a trade's group commit as it was.
#include <rocksdb/iterator.h>

#include <memory>

#include "storage/codec.h"
#include "storage/keys.h"
#include "storage/reads.h"
#include "storage/wire.h"

namespace corpex::storage {
namespace {

// Trades looked at per request beyond the page, when a state filter skips
// most of them: the work of one read stays bounded, the cursor goes on.
constexpr size_t kScanBudget = 20'000;

Status StepsOf(rocksdb::Iterator* it, const TradeRecord& t, DeliveryRecord* d) {
  d->trade_id = t.id;
  d->opened_at = t.ts;
  d->instrument = t.instrument;
  d->buyer = t.buyer;
  d->seller = t.seller;
  d->attestation = t.attestation;
  d->dataset = t.dataset;
  d->state = DeliveryState::kPending;
  d->steps.clear();
  std::string prefix;
  wire::ByteWriter(&prefix).be64(t.id);
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    DeliveryEventRecord& step = d->steps.emplace_back();
    if (!DecodeDeliveryEvent(it->value().ToStringView(), &step).ok())
      return Status(ErrorCode::kCorruption, "corrupt delivery record");
    d->state = step.state;
  }
  if (!it->status().ok()) return FromRocks(it->status(), "scan deliveries");
  return Status::Ok();
}

}  // namespace

StatusOr<DeliveryPage> ReadDeliveries(const Db& db, const DeliveryQuery& q) {
  if (q.limit == 0 || q.limit > kMaxTradePage)
    return Status(ErrorCode::kBadRequest, "limit must be 1.." + std::to_string(kMaxTradePage));
  TradeQuery tq;
  tq.from_ms = INT64_MIN / 2;
  tq.to_ms = INT64_MAX / 2;
  tq.member = q.member;
  tq.cursor = q.cursor;
  tq.limit = std::min<size_t>(q.limit, 1000);
  std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(rocksdb::ReadOptions(), db.cf(kDeliveries)));
  DeliveryPage out;
  DeliveryRecord d;
  size_t scanned = 0;
  for (;;) {
    auto trades = ReadTrades(db, tq);
    if (!trades.ok()) return trades.status();
    for (const TradeRecord& t : trades->trades) {
      if (Status st = StepsOf(it.get(), t, &d); !st.ok()) return st;
      const bool match = !q.has_state || d.state == q.state;
      // A full page ends at the next match, so next_cursor is "" only when
      // nothing is left; a spent budget ends it where the scan stopped.
      if (match && out.deliveries.size() == q.limit) {
        const DeliveryRecord& last = out.deliveries.back();
        out.next_cursor = EncodeCursor(ToMillis(last.opened_at), last.trade_id);
        return out;
      }
      if (match) out.deliveries.push_back(d);
      if (++scanned >= q.limit + kScanBudget) {
        out.next_cursor = EncodeCursor(ToMillis(t.ts), t.id);
        return out;
      }
    }
    if (trades->next_cursor.empty()) return out;
    tq.cursor = trades->next_cursor;
  }
}

}  // namespace corpex::storage
