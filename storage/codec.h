// storage/codec.h — the portable binary encodings storage writes.
//
// Every encoding starts with a one-byte format version, then the fields one
// by one in a fixed order: integers little-endian of their declared width,
// enums as their one-byte value, booleans as 0/1, bounded names as a one-byte
// length and their bytes, free strings as a two-byte length and their bytes.
// Nothing is memcpy'd from a struct, so the bytes mean the same on every
// compiler and machine, and a journal written today replays tomorrow.
//
// Decoders trust nothing: a wrong version, an unknown command kind, an enum
// out of range, a name longer than its field, a short or overlong input all
// give a Status (kInternal, "corrupt ...") and leave the output unspecified.
//
// Command kinds are numbered explicitly (below), never by variant index, so
// reordering CommandBody cannot silently change the journal's meaning. A new
// command kind gets a new number; a changed field layout gets a new version.
//
// Thread: pure functions, any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "corpex/command.h"
#include "corpex/records.h"
#include "corpex/status.h"

namespace corpex {

// 2: ProgramCreate ends with delivery_required; the delivery and negotiation commands. A
// version-1 command is still read (delivery_required false).
inline constexpr uint8_t kCommandCodecVersion = 2;
inline constexpr uint8_t kRecordCodecVersion = 1;

// The journal's command kinds; values are part of the on-disk format.
enum class CommandKind : uint8_t {
  kNewOrder = 1,
  kCancelOrder = 2,
  kReplaceOrder = 3,
  kMemberCreate = 4,
  kMemberSetStatus = 5,
  kMemberKill = 6,
  kInstrumentCreate = 7,
  kInstrumentSetStatus = 8,
  kAttestationRegister = 9,
  kAttestationRevoke = 10,
  kProgramCreate = 11,
  kEnrol = 12,
  kClaimSettle = 13,
  kTick = 14,
  kDeliveryGrant = 15,
  kDeliveryConfirm = 16,
  kDeliveryDispute = 17,
  kDeliveryResolve = 18,
  kRfqNew = 19,
  kRfqCancel = 20,
  kQuoteNew = 21,
  kQuoteCancel = 22,
  kQuoteAccept = 23,
};

CommandKind KindOf(const Command& c);

// Appends the encoding of `c` (ts included) to *out.
void EncodeCommand(const Command& c, std::string* out);
Status DecodeCommand(std::string_view in, Command* out);

void EncodeTrade(const TradeRecord& t, std::string* out);
Status DecodeTrade(std::string_view in, TradeRecord* out);

void EncodeLedger(const LedgerRecord& l, std::string* out);
Status DecodeLedger(std::string_view in, LedgerRecord* out);

void EncodeClaim(const ClaimRecord& c, std::string* out);
Status DecodeClaim(std::string_view in, ClaimRecord* out);

void EncodeDeliveryEvent(const DeliveryEventRecord& d, std::string* out);
Status DecodeDeliveryEvent(std::string_view in, DeliveryEventRecord* out);

void EncodeProgram(const ProgramRecord& p, std::string* out);
Status DecodeProgram(std::string_view in, ProgramRecord* out);

}  // namespace corpex
