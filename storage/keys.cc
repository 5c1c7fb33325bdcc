#include "storage/keys.h"

#include "corpex/records.h"
#include "storage/wire.h"

namespace corpex::storage {
namespace {

using wire::ByteReader;
using wire::ByteWriter;

void PutName(ByteWriter& w, std::string_view name) {
  if (name.size() > 255) name = name.substr(0, 255);  // names are bounded far below
  w.str8(name);
}

// Signed ms in unsigned key order: flip the sign bit.
uint64_t OrderedMs(int64_t ms) { return static_cast<uint64_t>(ms) ^ (uint64_t{1} << 63); }

}  // namespace

const char* CfName(int cf) {
  switch (cf) {
    case kJournal:
      return "journal";
    case kTrades:
      return "trades";
    case kTradesByTime:
      return "trades_by_time";
    case kRefdata:
      return "refdata";
    case kLedgers:
      return "ledgers";
    case kClaims:
      return "claims";
    case kSnapshots:
      return "snapshots";
    case kMeta:
      return "meta";
    case kDeliveries:
      return "deliveries";
    default:
      return "?";
  }
}

std::string SeqKey(Seq seq) {
  std::string k;
  ByteWriter(&k).be64(seq);
  return k;
}

std::string TradeKey(TradeId id) { return SeqKey(id); }

uint64_t DecodeBe64(std::string_view key) {
  if (key.size() != 8) return 0;
  return ByteReader(key).be64();
}

std::string IndexPrefix(IndexScope scope, std::string_view name) {
  std::string k;
  AppendIndexPrefix(&k, scope, name);
  return k;
}

void AppendIndexPrefix(std::string* key, IndexScope scope, std::string_view name) {
  ByteWriter w(key);
  w.u8(static_cast<uint8_t>(scope));
  if (scope != IndexScope::kAll) PutName(w, name);
}

void AppendTimeId(std::string* key, int64_t ts_ms, TradeId id) {
  ByteWriter w(key);
  w.be64(OrderedMs(ts_ms));
  w.be64(id);
}

bool ParseTimeId(std::string_view key, int64_t* ts_ms, TradeId* id) {
  if (key.size() < 16) return false;
  ByteReader r(key.substr(key.size() - 16));
  *ts_ms = static_cast<int64_t>(r.be64() ^ (uint64_t{1} << 63));
  *id = r.be64();
  return r.ok();
}

void AppendPosting(std::string* value, int64_t prev_ms, TradeId prev_id, int64_t ms, TradeId id) {
  // Engine time never goes back, but the list must not depend on it.
  const uint64_t dms = static_cast<uint64_t>(ms) - static_cast<uint64_t>(prev_ms);
  ByteWriter w(value);
  w.varint((dms << 1) ^ (0 - (dms >> 63)));
  w.varint(id - prev_id);
}

bool ForEachPosting(std::string_view key, std::string_view value,
                    const std::function<bool(int64_t ms, TradeId id)>& f) {
  int64_t ms = 0;
  TradeId id = 0;
  if (!ParseTimeId(key, &ms, &id)) return false;
  if (!f(ms, id)) return true;
  ByteReader r(value);
  while (!r.done()) {
    const uint64_t z = r.varint();
    const uint64_t did = r.varint();
    if (!r.ok() || did == 0 || id + did < id) return false;
    ms = static_cast<int64_t>(static_cast<uint64_t>(ms) + ((z >> 1) ^ (0 - (z & 1))));
    id += did;
    if (!f(ms, id)) return true;
  }
  return true;
}

std::string RefKey(char kind, std::string_view name) {
  std::string k(1, kind);
  ByteWriter w(&k);
  PutName(w, name);
  return k;
}

std::string LedgerPrefix(std::string_view program) {
  std::string k;
  ByteWriter w(&k);
  PutName(w, program);
  return k;
}

std::string LedgerKey(std::string_view program, std::string_view member) {
  std::string k = LedgerPrefix(program);
  ByteWriter w(&k);
  PutName(w, member);
  return k;
}

std::string ClaimPrefix(std::string_view program) { return LedgerPrefix(program); }

std::string ClaimKey(std::string_view program, TradeId trade) {
  std::string k = ClaimPrefix(program);
  ByteWriter(&k).be64(trade);
  return k;
}

std::string DeliveryKey(TradeId trade, Seq seq) {
  std::string k;
  ByteWriter w(&k);
  w.be64(trade);
  w.be64(seq);
  return k;
}

std::string SnapshotKey(Seq seq, uint32_t chunk) {
  std::string k;
  ByteWriter w(&k);
  w.be64(seq);
  w.be32(chunk);
  return k;
}

std::string EncodeHead(const Head& h) {
  std::string v;
  ByteWriter w(&v);
  w.u8(1);
  w.u64(h.last_seq);
  w.u64(h.last_trade_id);
  w.str8(h.chain_head);
  return v;
}

Status DecodeHead(std::string_view in, Head* h) {
  ByteReader r(in);
  if (r.u8() != 1) r.fail();
  h->last_seq = r.u64();
  h->last_trade_id = r.u64();
  h->chain_head = std::string(r.str8());
  if (!r.done() || h->chain_head.size() != kGenesisHash.size()) {
    return Status(ErrorCode::kCorruption, "corrupt meta head");
  }
  return Status::Ok();
}

std::string EncodeSnapshotMeta(const SnapshotMeta& m) {
  std::string v = EncodeHead(m.head);
  ByteWriter w(&v);
  w.u32(m.chunks);
  w.u64(m.bytes);
  return v;
}

Status DecodeSnapshotMeta(std::string_view in, SnapshotMeta* m) {
  if (in.size() < 12) return Status(ErrorCode::kCorruption, "corrupt snapshot meta");
  Status s = DecodeHead(in.substr(0, in.size() - 12), &m->head);
  if (!s.ok()) return s;
  ByteReader r(in.substr(in.size() - 12));
  m->chunks = r.u32();
  m->bytes = r.u64();
  return Status::Ok();
}

std::string EncodeCursor(int64_t ts_ms, TradeId id) {
  std::string raw;
  AppendTimeId(&raw, ts_ms, id);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string c = "t1";
  for (char ch : raw) {
    auto b = static_cast<uint8_t>(ch);
    c.push_back(kHex[b >> 4]);
    c.push_back(kHex[b & 0xF]);
  }
  return c;
}

bool DecodeCursor(std::string_view cursor, int64_t* ts_ms, TradeId* id) {
  if (cursor.size() != 34 || cursor.substr(0, 2) != "t1") return false;
  std::string raw;
  for (size_t i = 2; i < cursor.size(); i += 2) {
    int v = 0;
    for (size_t j = i; j < i + 2; ++j) {
      char ch = cursor[j];
      int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + d;
    }
    raw.push_back(static_cast<char>(v));
  }
  return ParseTimeId(raw, ts_ms, id);
}

}  // namespace corpex::storage
