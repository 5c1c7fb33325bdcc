// reference_book.h — a deliberately simple, slow reference of the engine rules.
//
// The differential test runs this next to corpex::Engine and compares every
// answer. It is written from SPEC §2-§3 and README "Engine rules in detail"
// alone, and chooses clarity over speed everywhere: every live order sits in
// one std::vector in the order it entered the book (so a stable sort by price
// gives price-time priority), every lookup is a linear scan, and every ledger
// figure is summed from the claims when asked. Nothing here is shared with
// the real engine.
//
// Where the rules leave a choice open, the choice made is written next to the
// code that makes it (reference_book.cc, "Interpretation").
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "corpex/command.h"
#include "corpex/engine.h"
#include "corpex/events.h"
#include "corpex/refdata.h"
#include "corpex/status.h"

namespace corpex::ref {

// What one command produced, in the terms Events uses.
struct Output {
  ErrorCode code = ErrorCode::kOk;
  bool has_order = false;
  OrderView order;              // the subject order after the command
  std::vector<Trade> trades;    // in execution order
  std::vector<OrderView> done;  // other orders that left the book
  uint64_t count = 0;           // kill / suspend / revoke: orders canceled
};

// Gregorian year of an instant in China Standard Time (UTC+8).
int CstYear(TimeNs ts);

class ReferenceBook {
 public:
  Output Execute(const Command& command);

  // ---- state, for comparison ----
  TimeNs clock() const { return now_; }
  OrderId next_order_id() const { return next_order_; }
  TradeId next_trade_id() const { return next_trade_; }
  std::vector<OrderView> AllOrders() const;  // by order id
  BookDepth Depth(InstrumentId instrument) const;
  std::optional<Ledger> FindLedger(ProgramId program, MemberId member) const;
  std::vector<Claim> Claims(ProgramId program) const;  // by trade id
  Fen BudgetLeft(ProgramId program) const;

  const std::vector<Instrument>& instruments() const { return instruments_; }
  const std::vector<Member>& members() const { return members_; }
  const std::vector<Attestation>& attestations() const { return attestations_; }
  // budget_left is not kept here; ask BudgetLeft().
  const std::vector<Program>& programs() const { return programs_; }

  InstrumentId FindInstrument(std::string_view symbol) const;
  MemberId FindMember(std::string_view member) const;
  AttestationId FindAttestation(std::string_view attestation) const;
  ProgramId FindProgram(std::string_view program) const;

 private:
  struct Due {
    OrderStatus status;
    Reason reason;
  };

  Output DoNew(const NewOrder& c);
  Output DoCancel(const CancelOrder& c);
  Output DoReplace(const ReplaceOrder& c);
  Output DoMemberCreate(const MemberCreate& c);
  Output DoMemberSetStatus(const MemberSetStatus& c);
  Output DoKill(const MemberKill& c);
  Output DoInstrumentCreate(const InstrumentCreate& c);
  Output DoInstrumentSetStatus(const InstrumentSetStatus& c);
  Output DoAttestationRegister(const AttestationRegister& c);
  Output DoRevoke(const AttestationRevoke& c);
  Output DoProgramCreate(const ProgramCreate& c);
  Output DoEnrol(const Enrol& c);
  Output DoSettle(const ClaimSettle& c);
  Output DoTick();

  // Whether a live order is due to leave the book by the clock, and how.
  std::optional<Due> DueNow(const OrderView& o) const;
  // Index in book_ of a live order, or -1.
  long IndexOf(OrderId id) const;
  // Takes a live order out of the book as `status`/`reason`; returns its final view.
  OrderView Remove(OrderId id, OrderStatus status, Reason reason);
  // Cancels every live order matching `pred`, by order id (Interpretation 2).
  template <typename Pred>
  uint64_t MassCancel(Pred pred, Reason reason, Output& out);

  // Price-time walk of `in` against the book. With simulate, nothing changes
  // and the return value says whether `in` would fill completely.
  // Without, trades happen and `in` is updated; returns true when the walk
  // stopped at the member's own order (self-trade prevention).
  bool Walk(OrderView& in, bool simulate, Output& out);
  // Runs an accepted (or re-entered) order: FOK check, walk, final status.
  void Run(OrderView& in, Output& out);
  Trade MakeTrade(OrderView& in, OrderView& rest, Qty f);

  bool Enrolled(ProgramId p, MemberId m) const;
  Fen Reserved(ProgramId p, MemberId m) const;

  TimeNs now_ = 0;
  OrderId next_order_ = 1;
  TradeId next_trade_ = 1;
  std::vector<Instrument> instruments_;
  std::vector<Member> members_;
  std::vector<Attestation> attestations_;
  std::vector<Program> programs_;
  std::vector<std::pair<ProgramId, MemberId>> enrolments_;
  std::vector<Claim> claims_;    // in trade order
  std::vector<OrderView> book_;  // live orders, in the order they entered the book
};

}  // namespace corpex::ref
