// gateway/cluster/repl_wire.h — what a primary and its standbys say over TCP.
//
// Every message is a u32 little-endian length, then that many bytes: a type
// byte and its fields (storage/wire.h's byte order). The standby speaks
// first: Hello with the last seq it holds and the epoch that wrote it. The
// primary answers Welcome (its epoch and the epoch history, so the standby
// can fence older leaders and judge later ones) or Refuse (the standby's tail
// is not the primary's: it must start over). Then Records flow one way and
// Acks the other: what the standby has applied (in memory) and what it has
// made durable, which is what `replicated` and `replicated_sync` acknowledge on.
//
// Pure functions; the sockets are the caller's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corpex/status.h"
#include "corpex/types.h"

namespace corpex::cluster {

inline constexpr uint32_t kMaxMessage = 64u << 20;  // a Records message stays well under

enum class MsgType : uint8_t { kHello = 1, kWelcome, kRefuse, kRecords, kAck };

// From `first_seq` on, the leader of `epoch` wrote the journal.
struct EpochStart {
  uint64_t epoch = 0;
  Seq first_seq = 0;
  bool operator==(const EpochStart&) const = default;
};

struct Hello {
  std::string node;
  Seq last_seq = 0;
  uint64_t last_epoch = 0;  // the epoch that wrote last_seq (0: before any election)
};
struct Welcome {
  uint64_t epoch = 0;
  std::vector<EpochStart> history;  // oldest first
};
struct Refuse {
  std::string why;
};
// One journal entry: the command as storage encodes it, and the key hash a
// member.create carries (empty otherwise).
struct Record {
  Seq seq = 0;
  std::string command;
  std::string member_key;
};
struct Ack {
  Seq applied = 0;
  Seq durable = 0;
};

// Appends one whole message (length prefix included) to *out.
void Encode(const Hello& m, std::string* out);
void Encode(const Welcome& m, std::string* out);
void Encode(const Refuse& m, std::string* out);
void Encode(const Ack& m, std::string* out);
// A Records message of `epoch` with `records`.
void EncodeRecords(uint64_t epoch, const std::vector<const Record*>& records, std::string* out);

// `body` is one message without its length prefix.
MsgType TypeOf(std::string_view body);
Status Decode(std::string_view body, Hello* m);
Status Decode(std::string_view body, Welcome* m);
Status Decode(std::string_view body, Refuse* m);
Status Decode(std::string_view body, Ack* m);
Status DecodeRecords(std::string_view body, uint64_t* epoch, std::vector<Record>* records);

// The epoch that wrote `seq` by `history` (0 when before every entry).
uint64_t EpochOf(const std::vector<EpochStart>& history, Seq seq);

}  // namespace corpex::cluster
