// Wire names of the shared enums: one table each, used both ways.
#include <array>
#include <string_view>

#include "corpex/status.h"
#include "corpex/types.h"

namespace corpex {
namespace {

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::string_view, N>& names, E e) {
  const auto i = static_cast<size_t>(e);
  return i < N ? names[i] : std::string_view("?");
}

template <typename E, size_t N>
bool Parse(const std::array<std::string_view, N>& names, std::string_view s, E* out) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) {
      *out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}

constexpr std::array<std::string_view, 2> kSides = {"buy", "sell"};
constexpr std::array<std::string_view, 4> kTifs = {"GTC", "GTD", "IOC", "FOK"};
constexpr std::array<std::string_view, 5> kStatuses = {"new", "partially_filled", "filled",
                                                       "canceled", "expired"};
constexpr std::array<std::string_view, 11> kReasons = {
    "",
    "by_member",
    "by_operator",
    "attestation_revoked",
    "attestation_expired",
    "member_suspended",
    "self_trade_prevented",
    "cancel_on_disconnect",
    "ioc_remainder",
    "fok_unfilled",
    "gtd_expired"};
constexpr std::array<std::string_view, 4> kLicences = {"training", "finetune", "evaluation",
                                                       "commercial"};
constexpr std::array<std::string_view, 5> kModalities = {"text", "speech", "image", "video",
                                                         "multimodal"};
constexpr std::array<std::string_view, 4> kUnits = {"mtok", "hour", "image", "record"};
constexpr std::array<std::string_view, 4> kClaimStatuses = {"reserved", "approved", "paid",
                                                            "rejected"};
constexpr std::array<std::string_view, 5> kDeliveryStates = {"pending", "granted", "confirmed",
                                                             "disputed", "failed"};
constexpr std::array<std::string_view, 4> kRfqStatuses = {"open", "filled", "canceled", "expired"};
constexpr std::array<std::string_view, 7> kQuoteStatuses = {"open",       "accepted", "withdrawn",
                                                            "superseded", "expired",  "rfq_closed",
                                                            "attestation_revoked"};
constexpr std::array<std::string_view, 31> kErrorCodes = {
    "OK",
    "BAD_JSON",
    "BAD_REQUEST",
    "UNKNOWN_OP",
    "NOT_LOGGED_IN",
    "AUTH_FAILED",
    "FORBIDDEN",
    "UNKNOWN_INSTRUMENT",
    "UNKNOWN_MEMBER",
    "UNKNOWN_ORDER",
    "INVALID_QTY",
    "INVALID_PRICE",
    "INVALID_TIF",
    "TIER_NOT_QUALIFIED",
    "ATTESTATION_INVALID",
    "INSTRUMENT_HALTED",
    "MEMBER_SUSPENDED",
    "DUPLICATE_CLIENT_ORDER_ID",
    "VOUCHER_INVALID",
    "ALREADY_EXISTS",
    "RATE_LIMITED",
    "TOO_LARGE",
    "NOT_LEADER",
    "UNKNOWN_TRADE",
    "DELIVERY_PENDING",
    "UNKNOWN_RFQ",
    "UNKNOWN_QUOTE",
    "INTERNAL",
    "NOT_FOUND",
    "CORRUPTION",
    "IO_ERROR"};

}  // namespace

std::string_view to_string(Side s) { return NameOf(kSides, s); }
std::string_view to_string(Tif t) { return NameOf(kTifs, t); }
std::string_view to_string(OrderStatus s) { return NameOf(kStatuses, s); }
std::string_view to_string(Reason r) { return NameOf(kReasons, r); }
std::string_view to_string(Licence l) { return NameOf(kLicences, l); }
std::string_view to_string(Modality m) { return NameOf(kModalities, m); }
std::string_view to_string(Unit u) { return NameOf(kUnits, u); }
std::string_view to_string(ClaimStatus c) { return NameOf(kClaimStatuses, c); }
std::string_view to_string(DeliveryState d) { return NameOf(kDeliveryStates, d); }
std::string_view to_string(RfqStatus r) { return NameOf(kRfqStatuses, r); }
std::string_view to_string(QuoteStatus q) { return NameOf(kQuoteStatuses, q); }
std::string_view to_string(Consideration c) { return c == Consideration::kEquity ? "equity" : "cash"; }

bool ValidUscc(std::string_view code) {
  // GB 32100-2015: 31 characters, weights 3^i mod 31, check = 31 - sum mod 31.
  static constexpr std::string_view kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  if (code.size() != kUsccLen) return false;
  int sum = 0, weight = 1;
  for (size_t i = 0; i < kUsccLen; ++i) {
    const size_t v = kChars.find(code[i]);
    if (v == std::string_view::npos) return false;
    if (i + 1 == kUsccLen) return static_cast<int>(v) == (31 - sum % 31) % 31;
    sum += static_cast<int>(v) * weight;
    weight = weight * 3 % 31;
  }
  return false;
}

std::string_view to_string(ErrorCode c) { return NameOf(kErrorCodes, c); }

bool parse(std::string_view s, Side* out) { return Parse(kSides, s, out); }
bool parse(std::string_view s, Tif* out) { return Parse(kTifs, s, out); }
bool parse(std::string_view s, Licence* out) { return Parse(kLicences, s, out); }
bool parse(std::string_view s, Modality* out) { return Parse(kModalities, s, out); }
bool parse(std::string_view s, Unit* out) { return Parse(kUnits, s, out); }
bool parse(std::string_view s, ClaimStatus* out) { return Parse(kClaimStatuses, s, out); }
bool parse(std::string_view s, DeliveryState* out) { return Parse(kDeliveryStates, s, out); }

}  // namespace corpex
