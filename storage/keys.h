// storage/keys.h — column families, key layouts and meta values (the layout
// table in corpex/storage.h, as code). Keys are big-endian so RocksDB's
// bytewise order is numeric order; names are length-prefixed so one name is
// never a prefix of another's keys.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "corpex/status.h"
#include "corpex/types.h"

namespace corpex::storage {

enum Cf : int {
  kJournal = 0,
  kTrades,
  kTradesByTime,
  kRefdata,
  kLedgers,
  kClaims,
  kSnapshots,
  kMeta,
  kDeliveries,  // created on first open by a build that has it
  kCfCount,
};
const char* CfName(int cf);

std::string SeqKey(Seq seq);
std::string TradeKey(TradeId id);
uint64_t DecodeBe64(std::string_view key);  // 0 unless 8 bytes

// trades_by_time: prefix, then ts_ms and trade id (16 bytes) of the first
// of one group commit's trades for that member or instrument; the value
// lists the group's further ones (a posting list, below), so a group adds
// one key per name it touched rather than one per trade.
// kAll (every trade) is no longer written: the trades family, in id order,
// is in time order too (reads.cc). Older stores still hold such keys; unread.
enum class IndexScope : uint8_t { kAll = 0, kMember = 1, kInstrument = 2 };
std::string IndexPrefix(IndexScope scope, std::string_view name);
// Appends the prefix alone, without allocating.
void AppendIndexPrefix(std::string* key, IndexScope scope, std::string_view name);
void AppendTimeId(std::string* key, int64_t ts_ms, TradeId id);
// Reads the last 16 bytes of an index key.
bool ParseTimeId(std::string_view key, int64_t* ts_ms, TradeId* id);

// A posting list value: for each trade after the key's own, in id order,
// varint(zigzag(ms - previous ms)) then varint(id - previous id), id deltas
// > 0. "" is the key's trade alone (what every key held before lists).
void AppendPosting(std::string* value, int64_t prev_ms, TradeId prev_id, int64_t ms, TradeId id);
// Calls f(ms, id) for the key's trade, then each listed one, until f returns
// false. False when the key or value is malformed.
bool ForEachPosting(std::string_view key, std::string_view value,
                    const std::function<bool(int64_t ms, TradeId id)>& f);

// refdata kinds ('M', 'I', 'A' were a mirror of members, instruments and
// attestations that nothing read; data dirs may still hold those keys).
inline constexpr char kRefProgram = 'P';
inline constexpr char kRefSecret = 'S';
std::string RefKey(char kind, std::string_view name);

std::string LedgerPrefix(std::string_view program);
std::string LedgerKey(std::string_view program, std::string_view member);
std::string ClaimPrefix(std::string_view program);
std::string ClaimKey(std::string_view program, TradeId trade);

// deliveries: trade id then seq (16 bytes): one key per step of a delivery.
std::string DeliveryKey(TradeId trade, Seq seq);

std::string SnapshotKey(Seq seq, uint32_t chunk);

// meta keys
inline constexpr std::string_view kMetaFormat = "format";
inline constexpr std::string_view kMetaHead = "head";
inline constexpr std::string_view kMetaSnapshot = "snapshot";

// Where the chain and the journal stand after the last batch.
struct Head {
  Seq last_seq = 0;
  TradeId last_trade_id = 0;
  std::string chain_head;  // kGenesisHash before the first trade
};
std::string EncodeHead(const Head& h);
Status DecodeHead(std::string_view in, Head* h);

struct SnapshotMeta {
  Head head;  // the state the snapshot covers
  uint32_t chunks = 0;
  uint64_t bytes = 0;
};
std::string EncodeSnapshotMeta(const SnapshotMeta& m);
Status DecodeSnapshotMeta(std::string_view in, SnapshotMeta* m);

// Report cursors: opaque to clients, "t1" + hex(ts_ms, trade id).
std::string EncodeCursor(int64_t ts_ms, TradeId id);
bool DecodeCursor(std::string_view cursor, int64_t* ts_ms, TradeId* id);

}  // namespace corpex::storage
