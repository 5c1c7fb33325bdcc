// gateway/protocol/request.h — one client frame decoded into a validated Request.
//
// Decoding is strict (SPEC §5): the frame must be a JSON object; `id` an
// integer or a string of at most 64 characters (else BAD_REQUEST with id
// null); `op` present and in the op table (op_table.h); every parameter
// known to the op (else BAD_REQUEST naming it), given once, of its type
// (params.h). Enumerated values are matched exactly as SPEC spells them. A
// Request that decodes carries a fully formed engine Command (member ops get
// the session's member filled in later) or the parameters of a gateway-level
// op, and nothing the frame did not say: EchoParams() writes them back, and
// the tests hold it to the frame.
//
// Thread: a RequestDecoder is owned by one session (it reuses its parser).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "corpex/command.h"
#include "corpex/status.h"
#include "gateway/config.h"

namespace corpex::gw {

enum class OpKind : uint8_t {
  kLogin,
  kLogout,
  kCommand,  // goes to the engine: Request::command
  kOrdersOpen,
  kSubscribe,
  kUnsubscribe,
  kStatus,
  kReportTrades,
  kReportVouchers,
  kReportClaims,
  kInstrumentsList,  // lists: gateway/protocol/lists.h
  kMembersList,
  kAttestationsList,
  kProgramsList,
  kVoucherUsage,
  kTradesRecent,
  kCluster,  // beyond SPEC: this node's part in a cluster (README, durability and failover)
  kDeliveries,        // beyond SPEC (docs/PROTOCOL.md): a member's own deliveries
  kReportDeliveries,  // beyond SPEC: every delivery, for regulators and operators
  kRfqsOpen,          // beyond SPEC: the open RFQs and quotes a member may see
};

// trades.recent keeps this many of the latest trades (public fields only).
inline constexpr int64_t kRecentTrades = 200;
inline constexpr int64_t kRecentTradesDefault = 50;
inline constexpr int64_t kReportPageDefault = 1000;

// Bit set of the roles an op is open to.
inline constexpr uint8_t RoleBit(Role r) { return static_cast<uint8_t>(1u << static_cast<unsigned>(r)); }
inline constexpr uint8_t kAnyRole =
    RoleBit(Role::kMember) | RoleBit(Role::kOperator) | RoleBit(Role::kRegulator);

struct LoginParams {
  std::string user;
  int64_t ts_ms = 0;
  std::string nonce;
  std::string sig;
  std::optional<bool> cancel_on_disconnect;
};

enum class Channel : uint8_t { kBook, kTrades, kExecutions };

// Strings are "" when not given (a given string is never empty).
struct QueryParams {
  Channel channel = Channel::kBook;  // subscribe / unsubscribe
  std::string instrument;            // orders.open, subscribe, report.trades, trades.recent
  std::string member;                // report.trades
  std::string program;               // report.vouchers / report.claims
  std::optional<ClaimStatus> status;  // report.claims
  std::optional<DeliveryState> delivery_state;  // deliveries, report.deliveries
  int64_t from_ms = 0, to_ms = 0;
  std::string cursor;
  std::optional<int64_t> limit;  // report.trades, trades.recent
};

struct OpSpec;  // op_table.h

struct Request {
  std::string id = "null";  // the JSON text echoed back
  std::string op;
  const OpSpec* spec = nullptr;  // the op's row, once the op is known
  OpKind kind = OpKind::kCommand;
  uint8_t roles = 0;  // who may send it
  bool known_op = false;  // the envelope (id, op) decoded and op is known
  Status error;       // not ok: answer with it, nothing else happens
  Command command;
  LoginParams login;
  QueryParams query;
  bool flag_given = false;  // voucher.program.create: "delivery_required" was in the frame
  size_t frame_bytes = 0;
  // Steady-clock ns (SteadyNowNs): the read that brought the frame
  // completed, the frame was decoded. 0: not timed. For the stage histograms.
  int64_t read_ns = 0, decoded_ns = 0;
};

class RequestDecoder {
 public:
  explicit RequestDecoder(size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}
  Request Decode(std::string_view frame);

 private:
  size_t max_frame_bytes_;
  simdjson::dom::parser parser_;
};

// The parameters of a decoded request (r.error ok), as a JSON object in the
// wire's spelling: exactly the keys the frame gave, with the values the
// server acts on. Tests and the fuzzer compare it to the frame.
std::string EchoParams(const Request& r);

}  // namespace corpex::gw
