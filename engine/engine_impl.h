// The engine's private state and the operations its command handlers share.
// Split by concern over refdata_ops.cc (operator commands), order_entry.cc
// (validation, cancel, replace), matching.cc (the walk, fills, resting),
// voucher.cc (offsets and claims), expiry.cc (time), snapshot.cc (save,
// restore, digest) and engine.cc (dispatch and queries).
//
// Thread: the Engine's caller, one at a time (the turn holder: docs/ARCHITECTURE.md).
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "corpex/engine.h"
#include "engine/book.h"
#include "engine/chunked_vector.h"
#include "engine/name_index.h"
#include "engine/order_id_index.h"
#include "engine/order_pool.h"
#include "engine/slot_index.h"

namespace corpex {

using NameMap = NameIndex;

inline uint32_t FindName(const NameMap& map, std::string_view name) { return map.Find(name); }

class Engine::Impl {
 public:
  explicit Impl(const Options& options);

  const Events& Execute(const Command& command);
  void Prefetch(const Command& next) const;

  // ---- command handlers (set ev_) ----
  void OnNewOrder(const NewOrder& c);
  void OnCancel(const CancelOrder& c);
  void OnReplace(const ReplaceOrder& c);
  void OnMemberCreate(const MemberCreate& c);
  void OnMemberSetStatus(const MemberSetStatus& c);
  void OnMemberKill(const MemberKill& c);
  void OnInstrumentCreate(const InstrumentCreate& c);
  void OnInstrumentSetStatus(const InstrumentSetStatus& c);
  void OnAttestationRegister(const AttestationRegister& c);
  void OnAttestationRevoke(const AttestationRevoke& c);
  void OnProgramCreate(const ProgramCreate& c);
  void OnEnrol(const Enrol& c);
  void OnClaimSettle(const ClaimSettle& c);
  void OnTick();
  void OnDeliveryGrant(const DeliveryGrant& c);
  void OnDeliveryConfirm(const DeliveryConfirm& c);
  void OnDeliveryDispute(const DeliveryDispute& c);
  void OnDeliveryResolve(const DeliveryResolve& c);
  void OnRfqNew(const RfqNew& c);
  void OnRfqCancel(const RfqCancel& c);
  void OnQuoteNew(const QuoteNew& c);
  void OnQuoteCancel(const QuoteCancel& c);
  void OnQuoteAccept(const QuoteAccept& c);
  // Expires the RFQs and quotes due by clock_ (negotiation.cc).
  void ExpireDeals();

  // ---- shared operations ----
  // The message goes into the result's kept buffer: no allocation, and a
  // literal's length is known at compile time.
  template <size_t N>
  void Fail(ErrorCode code, const char (&message)[N]) { FailWith(code, {message, N - 1}, message); }
  void Fail(ErrorCode code, const std::string& message) { FailWith(code, message, nullptr); }
  // For the reject a feed repeats (a third of a busy feed can be cancels of
  // orders already gone): a repeat of the last failure's literal only sets
  // the code, checked inline, since FailWith's register saves cost more than
  // the check. Not for every Fail: inlined at order entry's dozen sites, it
  // cost the accepting path 54 instructions an order (callgrind, tiny book).
  template <size_t N>
  void FailRepeated(ErrorCode code, const char (&message)[N]) {
    if (message == last_literal_) [[likely]] return ev_.status.SetCode(code);
    FailWith(code, {message, N - 1}, message);
  }
  // Out of line, so that the accepting paths stay compact. `literal` is the
  // message's static text, or null when it was built.
  [[gnu::noinline]] void FailWith(ErrorCode code, std::string_view message, const char* literal);
  // Matches slot (already filled in, not resting) against the opposite side,
  // then rests it, expires it or cancels it per its tif. Sets ev_.order.
  void MatchAndRest(Slot s);
  // The order's side as a template argument: the side is a coin toss on a
  // busy book, and each test of it (which side crosses, which order is the
  // buyer, which way is better) was a branch of its own. Order entry stays
  // one copy: templating it too made the hot book ~2 % slower.
  template <Side kSide>
  void MatchAndRestSide(Slot s);
  bool FokCanFill(Slot s) const;
  // Removes a resting order from its level (book event emitted).
  void Unlink(Slot s);
  // Appends a resting order at the back of its price level.
  void Link(Slot s, InstrumentId instrument, Side side);
  template <Side kSide>
  void LinkSide(Slot s, InstrumentId instrument);
  // Points level l at the book change already emitted this command for its
  // price, if any.
  void AdoptEmittedEntry(uint32_t l);
  // Removes a live order for good: out of the book, the indexes and the pool.
  void Release(Slot s);
  // Unlinks and releases a resting order, reporting it in ev_.done.
  void RemoveResting(Slot s, OrderStatus status, Reason reason);
  // The same, with the order's last view written to `view` (a cancel's answer).
  void TakeOut(Slot s, OrderStatus status, Reason reason, OrderView* view);
  // If the resting order is due to expire at clock_, removes it; true if so.
  bool ExpireIfDue(Slot s);
  // Cancels every live order for which pred(slot) holds, in order-id order.
  template <typename Pred>
  uint64_t CancelWhere(Pred&& pred, Reason reason);
  void EmitLevel(uint32_t level);
  OrderView View(Slot s) const;
  // View written in place: on the per-command path, returning the view and
  // copying it into ev_.order stalled on store forwarding (the copy's wide
  // loads read the view's narrow stores back at once).
  void ViewInto(Slot s, OrderView* v) const;
  OrderStatus RestingStatus(Slot s) const;
  uint64_t CoidKey(MemberId member, std::string_view coid) const;
  // *end, when nothing is found: where coids_.InsertAt puts the key.
  Slot FindByCoid(MemberId member, std::string_view coid, uint64_t key, size_t* end) const;
  Slot FindByCoid(MemberId member, std::string_view coid) const {
    size_t end;
    return FindByCoid(member, coid, CoidKey(member, coid), &end);
  }
  Slot FindLive(OrderId id) const { return ids_.Find(id); }
  void PushGtd(TimeNs expire_at, OrderId id);
  // Fails the command (ATTESTATION_INVALID) unless attestation `ref` lets
  // member m sell `inst` now. Inline: every sell order asks.
  bool AttestationLets(AttestationId ref, MemberId m, const Instrument& inst) {
    const Attestation& a = attestations_[ref];
    if (!a.revoked && a.issued_at <= clock_ && a.expires_at > clock_ && a.member == m &&
        (a.licences & (1u << static_cast<unsigned>(inst.licence))) && a.tier <= inst.tier) [[likely]]
      return true;
    return AttestationRefused(ref, m, inst);
  }
  // Says why it does not (the first rule broken); false.
  [[gnu::cold, gnu::noinline]] bool AttestationRefused(AttestationId ref, MemberId m, const Instrument& inst);
  // A fill's after-state of one side's order, written into its trade.
  void SetAfter(Slot x, OrderAfter* a) const;
  // A fill's voucher offset: none unless the buy named a program. Inline,
  // since most fills name none and the call alone cost ~24 instructions a
  // fill (callgrind, tiny book).
  void ApplyVoucher(Trade& t, ProgramId program, MemberId buyer, MemberId seller,
                    InstrumentId instrument) {
    t.program = kNone;
    t.voucher_offset = Fen(0);
    t.net_cost = t.notional;
    if (program != kNone) ApplyProgram(t, program, buyer, seller, instrument);
  }
  void ApplyProgram(Trade& t, ProgramId program, MemberId buyer, MemberId seller,
                    InstrumentId instrument);
  // The delivery of trade `id` for a member command (`member` its user) or an
  // operator's (`member` empty): nullptr, with the command failed, when there
  // is none or the caller is neither of `roles` on it.
  struct DeliveryRow;
  DeliveryRow* DeliveryFor(TradeId id, std::string_view member, bool buyer_may, bool seller_may);
  void EmitDelivery(TradeId id, const DeliveryRow& row);

  // ---- state ----
  Options options_;
  std::vector<Instrument> instruments_;
  std::vector<Member> members_;
  std::vector<Attestation> attestations_;
  std::vector<Program> programs_;
  NameMap instrument_by_symbol_, member_by_name_, attestation_by_name_, program_by_name_;
  NameMap groups_, domains_;
  std::vector<Book> books_;  // by instrument

  OrderPool pool_;
  LevelPool levels_;
  OrderIdIndex ids_;  // order id -> slot, live orders
  SlotIndex coids_;   // hash(member, client_order_id) -> slot, live orders

  std::unordered_map<uint64_t, Ledger> ledgers_;  // (program << 32 | member)
  std::map<TradeId, Claim> claims_;

  // Every trade's delivery, by trade id - delivery_base_ (trade ids are dense),
  // in chunks: the rows of a long life are never copied to grow.
  struct DeliveryRow {
    MemberId buyer = kNone;
    MemberId seller = kNone;
    AttestationId attestation = kNone;
    InstrumentId instrument = kNone;
    DeliveryState state = DeliveryState::kPending;
  };
  ChunkedVector<DeliveryRow> deliveries_;
  TradeId delivery_base_ = 1;

  // Open RFQs and quotes only: one leaves when it is no longer open.
  struct OpenRfq {
    MemberId buyer = kNone;
    InstrumentId instrument = kNone;
    int64_t qty = 0;
    ProgramId voucher = kNone;
    TimeNs expire_at = 0;
  };
  struct OpenQuote {
    uint64_t rfq = 0;
    MemberId seller = kNone;
    int64_t price = 0;
    AttestationId attestation = kNone;
    TimeNs valid_until = 0;
    Consideration consideration = Consideration::kCash;
    Equity equity;
  };
  std::map<uint64_t, OpenRfq> rfqs_;
  std::map<uint64_t, OpenQuote> quotes_;
  uint64_t next_rfq_id_ = 1;
  uint64_t next_quote_id_ = 1;
  void EmitRfq(uint64_t id, const OpenRfq& r, RfqStatus status);
  void EmitQuote(uint64_t id, const OpenQuote& q, QuoteStatus status);
  void CloseQuotesCiting(AttestationId a);
  // Ends an open RFQ and every open quote on it (rfq_closed).
  void CloseRfq(std::map<uint64_t, OpenRfq>::iterator it, RfqStatus status);

  // GTD expiries (lazy: an entry whose order is gone or changed is skipped).
  std::vector<std::pair<TimeNs, OrderId>> gtd_heap_;
  // Attestations whose expiry has not been processed yet.
  std::set<std::pair<TimeNs, AttestationId>> attestation_expiries_;

  OrderId next_order_id_ = 1;
  TradeId next_trade_id_ = 1;
  TimeNs clock_ = 0;
  uint64_t commands_ = 0;
  uint64_t resting_ = 0;

  // What the last two Prefetch() calls started on, newest first: each call
  // starts on its command, takes the one before a step further (index entry
  // -> order record) and finishes the one before that (what the order record
  // points to, the level at the price the command names), so every load it
  // makes finds its line already fetched but a replace's rung at its new price.
  // A hint only.
  struct Prefetched {
    enum class Kind : uint8_t { kNone, kNew, kCancel, kReplace };
    Kind kind = Kind::kNone;
    OrderId order_id = 0;  // cancel or replace
    Slot slot = kNoSlot;   // cancel or replace: the order, once looked up
    InstrumentId instrument = kNone;  // new order: its book side and price
    Side side = Side::kBuy;
    int64_t price = 0;  // 0: a replace keeping its price, or nothing to look up
  };
  void PrefetchStart(const Command& next, OrderId id_guess, Prefetched* p) const;
  void PrefetchOrder(Prefetched* p) const;
  void PrefetchFinish(Prefetched p) const;
  mutable Prefetched prefetched_[2];

  Events ev_;
  // Whether ev_.done, rfqs or quotes may hold entries (set by their only
  // writers: RemoveResting, EmitRfq, EmitQuote): most commands fill none of
  // them, and clearing five vectors a command cost ~16 instructions.
  bool rare_events_ = false;
  void ClearEvents() {
    // A store, not a test: whether the last command failed is a coin toss on
    // a busy feed (callgrind's branch model: 0.33 mispredicts a message).
    ev_.status.Reset();
    ev_.has_order = false;
    ev_.trades.clear();
    ev_.book.clear();
    ev_.count = 0;
    ev_.has_delivery = false;
    if (rare_events_) [[unlikely]] {
      ev_.done.clear();
      ev_.rfqs.clear();
      ev_.quotes.clear();
      rare_events_ = false;
    }
  }
  // The static text ev_.status's message holds, if it came from a literal
  // (set only by FailWith, the one writer of a failure).
  const char* last_literal_ = nullptr;
  std::vector<std::pair<OrderId, Slot>> scratch_;  // reused by CancelWhere
};

inline uint64_t LedgerKey(ProgramId p, MemberId m) { return (uint64_t{p} << 32) | m; }

template <typename Pred>
uint64_t Engine::Impl::CancelWhere(Pred&& pred, Reason reason) {
  scratch_.clear();
  for (Slot s = 0; s < pool_.slots(); ++s) {
    const OrderNode& n = pool_.hot(s);
    if (n.id != 0 && pred(s)) scratch_.emplace_back(n.id, s);
  }
  std::sort(scratch_.begin(), scratch_.end());
  for (const auto& [id, s] : scratch_) RemoveResting(s, OrderStatus::kCanceled, reason);
  return scratch_.size();
}

}  // namespace corpex
