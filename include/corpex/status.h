// corpex/status.h — errors as values.
//
// Every failure in corpex is a Status with one of the SPEC §5 error codes and
// a one-line human message. No exception crosses a module boundary. A Status
// is cheap when ok (no allocation); the message is only built on error.
#pragma once

#include <cstdint>
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
  kInternal,
};

// "INVALID_PRICE" etc., exactly as on the wire.
std::string_view to_string(ErrorCode c);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return {}; }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {}  // NOLINT
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() { return value_; }
  const T& value() const { return value_; }
  T& operator*() { return value_; }
  T* operator->() { return &value_; }

 private:
  Status status_;
  T value_{};
};

}  // namespace corpex
