// corpex/types.h — the vocabulary every part of corpex shares.
//
// Money is integer fen, quantities integer units, time Unix epoch
// nanoseconds inside the engine. Nothing here is floating point. Strong
// integer types keep a price from being passed where a quantity is meant.
// Entity handles (InstrumentId, MemberId, ...) are dense indices assigned by
// the engine in the order entities are created, so they are the same on every
// replay of the same journal.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

namespace corpex {

// A strongly typed int64 value: no implicit conversion to or from other
// strong types, arithmetic only where the domain allows it.
template <typename Tag>
struct Strong {
  int64_t v = 0;
  constexpr Strong() = default;
  constexpr explicit Strong(int64_t x) : v(x) {}
  friend constexpr auto operator<=>(Strong, Strong) = default;
};

struct PriceTag {};
struct QtyTag {};
struct FenTag {};
using Price = Strong<PriceTag>;  // fen per unit
using Qty = Strong<QtyTag>;      // units of the instrument
using Fen = Strong<FenTag>;      // money, 0.01 CNY

using OrderId = uint64_t;  // positive, increasing for the life of the exchange
using TradeId = uint64_t;  // positive, increasing for the life of the exchange
using Seq = uint64_t;      // journal sequence number
using TimeNs = int64_t;    // Unix epoch nanoseconds

// Dense entity handles; kNone marks "no entity".
using InstrumentId = uint32_t;
using MemberId = uint32_t;
using AttestationId = uint32_t;
using ProgramId = uint32_t;
inline constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
inline constexpr TimeNs kNever = std::numeric_limits<TimeNs>::max();

enum class Side : uint8_t { kBuy = 0, kSell = 1 };
enum class Tif : uint8_t { kGtc = 0, kGtd = 1, kIoc = 2, kFok = 3 };

enum class OrderStatus : uint8_t {
  kNew = 0,
  kPartiallyFilled,
  kFilled,
  kCanceled,
  kExpired,
};

// Why an order left the book without filling completely.
enum class Reason : uint8_t {
  kNone = 0,
  kByMember,
  kByOperator,
  kAttestationRevoked,
  kAttestationExpired,
  kMemberSuspended,
  kSelfTradePrevented,
  kCancelOnDisconnect,
  kIocRemainder,
  kFokUnfilled,
  kGtdExpired,
};

enum class Licence : uint8_t { kTraining = 0, kFinetune, kEvaluation, kCommercial };
enum class Modality : uint8_t { kText = 0, kSpeech, kImage, kVideo, kMultimodal };
enum class Unit : uint8_t { kMtok = 0, kHour, kImage, kRecord };

// Member roles, a bit set.
inline constexpr uint8_t kRoleBuyer = 1;
inline constexpr uint8_t kRoleSeller = 2;

// Claim lifecycle: reserved -> approved -> paid; reserved|approved -> rejected.
enum class ClaimStatus : uint8_t { kReserved = 0, kApproved, kPaid, kRejected };

// A trade's sandbox delivery (docs/PROTOCOL.md): pending -> granted (seller
// or operator) -> confirmed (buyer) | disputed (buyer) -> granted again, or
// resolved by an operator to confirmed | failed. confirmed and failed are final.
enum class DeliveryState : uint8_t { kPending = 0, kGranted, kConfirmed, kDisputed, kFailed };

// Request for quote (docs/PROTOCOL.md "Negotiated deals"): open until a quote
// is accepted (filled), its buyer cancels it or it expires.
enum class RfqStatus : uint8_t { kOpen = 0, kFilled, kCanceled, kExpired };
// A seller's quote on an RFQ: open until accepted, withdrawn, superseded by
// the seller's next quote, expired, or closed with its RFQ.
enum class QuoteStatus : uint8_t {
  kOpen = 0,
  kAccepted,
  kWithdrawn,
  kSuperseded,
  kExpired,
  kRfqClosed,
  kAttestationRevoked,  // the attestation it cites was revoked while it was open
};

// What a buyer gives for corpus: money, or shares of a company (data for
// equity, 数据换股权) valued at a stated amount.
enum class Consideration : uint8_t { kCash = 0, kEquity };



// A bounded, inline, trivially copyable string: commands carry names without
// allocating. Longer input is refused by whoever builds the command.
template <size_t N>
struct FixedStr {
  static_assert(N < 256);
  uint8_t len = 0;
  char data[N] = {};

  constexpr FixedStr() = default;
  // Returns false (and leaves the string empty) when s does not fit.
  bool assign(std::string_view s) {
    if (s.size() > N) {
      len = 0;
      return false;
    }
    len = static_cast<uint8_t>(s.size());
    if (!s.empty()) std::memcpy(data, s.data(), s.size());
    return true;
  }
  static FixedStr of(std::string_view s) {
    FixedStr f;
    f.assign(s);
    return f;
  }
  std::string_view view() const { return {data, len}; }
  std::string str() const { return std::string(view()); }
  bool empty() const { return len == 0; }
  static constexpr size_t capacity() { return N; }
};

inline constexpr size_t kMaxNameLen = 48;        // symbols, attestation and program ids
inline constexpr size_t kMaxMemberLen = 32;      // member ids and user names
inline constexpr size_t kMaxClientOrderIdLen = 32;
inline constexpr size_t kMaxTextLen = 128;       // names, assessors, reasons
inline constexpr size_t kDatasetHexLen = 64;     // SHA-256 hex
inline constexpr size_t kUsccLen = 18;           // unified social credit code (GB 32100-2015)

using Name = FixedStr<kMaxNameLen>;
using MemberName = FixedStr<kMaxMemberLen>;
using ClientOrderId = FixedStr<kMaxClientOrderIdLen>;
using Text = FixedStr<kMaxTextLen>;

// An equity consideration: `shares` of `company` valued at `valuation` fen.
struct Equity {
  char company[kUsccLen] = {};  // unified social credit code; all zero for cash
  int64_t shares = 0;
  int64_t valuation = 0;  // fen; the deal's notional
  std::string_view company_view() const {
    return company[0] == 0 ? std::string_view() : std::string_view(company, kUsccLen);
  }
};
// Whether `code` is a well-formed unified social credit code: 18 characters
// of 0-9 and A-Y without I, O, S, V, Z, the last a check character.
bool ValidUscc(std::string_view code);

// Wire names of the enums above ("buy", "gtc", "partially_filled", ...).
std::string_view to_string(Side s);
std::string_view to_string(Tif t);
std::string_view to_string(OrderStatus s);
std::string_view to_string(Reason r);
std::string_view to_string(Licence l);
std::string_view to_string(Modality m);
std::string_view to_string(Unit u);
std::string_view to_string(ClaimStatus c);
std::string_view to_string(DeliveryState d);
std::string_view to_string(RfqStatus r);
std::string_view to_string(QuoteStatus q);
std::string_view to_string(Consideration c);

// Parsers for the same names; false when the name is unknown.
bool parse(std::string_view s, Side* out);
bool parse(std::string_view s, Tif* out);
bool parse(std::string_view s, Licence* out);
bool parse(std::string_view s, Modality* out);
bool parse(std::string_view s, Unit* out);
bool parse(std::string_view s, ClaimStatus* out);
bool parse(std::string_view s, DeliveryState* out);

}  // namespace corpex
