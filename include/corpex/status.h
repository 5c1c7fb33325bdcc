// corpex/status.h — errors as values.
//
// Every failure in corpex is a Status: a code and a one-line human message.
// The codes up to kInternal are SPEC §5's wire codes; the ones after it are
// internal (storage's not-found, corruption, I/O error) and reach a client
// only as INTERNAL (WireCode). No exception crosses a module boundary. A
// Status is cheap when ok (no allocation); the message is only built on error.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

namespace corpex {

enum class ErrorCode : uint8_t {
  kOk = 0,
  kBadJson,
  kBadRequest,
  kUnknownOp,
  kNotLoggedIn,
  kAuthFailed,
  kForbidden,
  kUnknownInstrument,
  kUnknownMember,
  kUnknownOrder,
  kInvalidQty,
  kInvalidPrice,
  kInvalidTif,
  kTierNotQualified,
  kAttestationInvalid,
  kInstrumentHalted,
  kMemberSuspended,
  kDuplicateClientOrderId,
  kVoucherInvalid,
  kAlreadyExists,
  kRateLimited,
  kTooLarge,
  kNotLeader,  // beyond SPEC: a standby answers; the message names the leader
  kUnknownTrade,     // beyond SPEC: no such trade, or not the caller's (deliveries)
  kDeliveryPending,  // beyond SPEC: a claim paid before its trade's delivery is confirmed
  kUnknownRfq,       // beyond SPEC: no open RFQ of that id the caller may see
  kUnknownQuote,     // beyond SPEC: no open quote of that id the caller may see
  kInternal,  // the last wire code
  // Internal codes, never on the wire as such.
  kNotFound,
  kCorruption,
  kIOError,
};

// The code a client is told: internal codes become kInternal.
constexpr ErrorCode WireCode(ErrorCode c) { return c > ErrorCode::kInternal ? ErrorCode::kInternal : c; }

// "INVALID_PRICE" etc., exactly as on the wire; internal codes by their own
// names ("CORRUPTION"), for logs and tools; a frame spells WireCode's.
std::string_view to_string(ErrorCode c);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return ok() ? EmptyMessage() : message_; }

  // In place, keeping the message's buffer: the engine sets and resets its
  // result once per command, and a rejected command must not cost an
  // allocation, nor a copy when it repeats the last message (a feed can be
  // one third cancels of orders already gone).
  void Set(ErrorCode code, std::string_view message) {
    code_ = code;
    if (message_ != message) message_.assign(message);
  }
  void Reset() { code_ = ErrorCode::kOk; }  // message() is empty when ok
  // The code alone, for a caller that knows the kept message is already the
  // one to give (the engine repeating its last literal message).
  void SetCode(ErrorCode code) { code_ = code; }

 private:
  static const std::string& EmptyMessage() {
    static const std::string empty;
    return empty;
  }

  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none. Reading the value of
// a StatusOr that holds an error is a bug in the caller: it stops the
// process with the error rather than hand out a default-made value.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Status(ErrorCode::kInternal, "StatusOr made from an ok Status");
  }
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { Check(); return value_; }
  const T& value() const { Check(); return value_; }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  void Check() const {
    if (status_.ok()) [[likely]] return;
    std::fprintf(stderr, "corpex: value() of a failed StatusOr: %s\n", status_.message().c_str());
    std::abort();
  }

  Status status_;
  T value_{};
};

}  // namespace corpex
