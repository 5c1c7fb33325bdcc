#include "gateway/cluster/repl_wire.h"

#include "storage/wire.h"

namespace corpex::cluster {
namespace {

using wire::ByteReader;
using wire::ByteWriter;

// Reserves the length prefix, lets `fill` write the body, then sets the length.
template <typename F>
void Message(MsgType type, std::string* out, F fill) {
  const size_t at = out->size();
  out->append(4, '\0');
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(type));
  fill(w);
  const uint32_t n = static_cast<uint32_t>(out->size() - at - 4);
  for (int i = 0; i < 4; ++i) (*out)[at + i] = static_cast<char>((n >> (8 * i)) & 0xFF);
}

Status Bad(std::string_view what) {
  return Status(ErrorCode::kCorruption, "replication: malformed " + std::string(what) + " message");
}

// The reader positioned after the type byte, if the type matches.
bool Open(std::string_view body, MsgType type, ByteReader* r) {
  return r->u8() == static_cast<uint8_t>(type) && r->ok() && body.size() >= 1;
}

}  // namespace

void Encode(const Hello& m, std::string* out) {
  Message(MsgType::kHello, out, [&](ByteWriter& w) {
    w.str16(m.node);
    w.u64(m.last_seq);
    w.u64(m.last_epoch);
  });
}

void Encode(const Welcome& m, std::string* out) {
  Message(MsgType::kWelcome, out, [&](ByteWriter& w) {
    w.u64(m.epoch);
    w.u32(static_cast<uint32_t>(m.history.size()));
    for (const EpochStart& e : m.history) {
      w.u64(e.epoch);
      w.u64(e.first_seq);
    }
  });
}

void Encode(const Refuse& m, std::string* out) {
  Message(MsgType::kRefuse, out, [&](ByteWriter& w) { w.str16(m.why); });
}

void Encode(const Ack& m, std::string* out) {
  Message(MsgType::kAck, out, [&](ByteWriter& w) {
    w.u64(m.applied);
    w.u64(m.durable);
  });
}

void EncodeRecords(uint64_t epoch, const std::vector<const Record*>& records, std::string* out) {
  Message(MsgType::kRecords, out, [&](ByteWriter& w) {
    w.u64(epoch);
    w.u32(static_cast<uint32_t>(records.size()));
    for (const Record* r : records) {
      w.u64(r->seq);
      w.u32(static_cast<uint32_t>(r->command.size()));
      w.raw(r->command);
      w.str16(r->member_key);
    }
  });
}

MsgType TypeOf(std::string_view body) {
  return body.empty() ? MsgType{0} : static_cast<MsgType>(static_cast<uint8_t>(body[0]));
}

Status Decode(std::string_view body, Hello* m) {
  ByteReader r(body);
  if (!Open(body, MsgType::kHello, &r)) return Bad("hello");
  m->node = std::string(r.str16());
  m->last_seq = r.u64();
  m->last_epoch = r.u64();
  return r.ok() ? Status::Ok() : Bad("hello");
}

Status Decode(std::string_view body, Welcome* m) {
  ByteReader r(body);
  if (!Open(body, MsgType::kWelcome, &r)) return Bad("welcome");
  m->epoch = r.u64();
  const uint32_t n = r.u32();
  if (!r.ok() || n > body.size() / 16) return Bad("welcome");
  m->history.clear();
  for (uint32_t i = 0; i < n; ++i) {
    EpochStart e;
    e.epoch = r.u64();
    e.first_seq = r.u64();
    m->history.push_back(e);
  }
  return r.ok() ? Status::Ok() : Bad("welcome");
}

Status Decode(std::string_view body, Refuse* m) {
  ByteReader r(body);
  if (!Open(body, MsgType::kRefuse, &r)) return Bad("refuse");
  m->why = std::string(r.str16());
  return r.ok() ? Status::Ok() : Bad("refuse");
}

Status Decode(std::string_view body, Ack* m) {
  ByteReader r(body);
  if (!Open(body, MsgType::kAck, &r)) return Bad("ack");
  m->applied = r.u64();
  m->durable = r.u64();
  return r.ok() ? Status::Ok() : Bad("ack");
}

Status DecodeRecords(std::string_view body, uint64_t* epoch, std::vector<Record>* records) {
  ByteReader r(body);
  if (!Open(body, MsgType::kRecords, &r)) return Bad("records");
  *epoch = r.u64();
  const uint32_t n = r.u32();
  if (!r.ok() || n > body.size() / 14) return Bad("records");
  records->resize(n);
  for (Record& rec : *records) {
    rec.seq = r.u64();
    rec.command = std::string(r.bytes(r.u32()));
    rec.member_key = std::string(r.str16());
  }
  return r.ok() ? Status::Ok() : Bad("records");
}

uint64_t EpochOf(const std::vector<EpochStart>& history, Seq seq) {
  uint64_t epoch = 0;
  for (const EpochStart& e : history)
    if (e.first_seq <= seq) epoch = e.epoch;
  return epoch;
}

}  // namespace corpex::cluster
