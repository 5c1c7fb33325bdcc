// Dispatch, the book's building blocks and read-only queries.
#include <algorithm>
#include <type_traits>

#include "engine/append.h"
#include "engine/bytes.h"
#include "engine/engine_impl.h"

namespace corpex {

Engine::Impl::Impl(const Options& options)
    : options_(options),
      pool_(options.expected_orders),
      ids_(options.expected_orders),
      coids_(options.expected_orders) {
  ev_.trades.reserve(64);
  ev_.done.reserve(64);
  ev_.book.reserve(64);
}

const Events& Engine::Impl::Execute(const Command& command) {
  ClearEvents();
  clock_ = std::max(clock_, command.ts);
  ++commands_;
  // The two kinds a member's feed is made of, called directly: std::visit
  // goes through a table of thunks, a call more a command.
  if (const auto* o = std::get_if<NewOrder>(&command.body)) OnNewOrder(*o);
  else if (const auto* c = std::get_if<CancelOrder>(&command.body)) OnCancel(*c);
  else std::visit(
      [this](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, NewOrder>) OnNewOrder(c);
        else if constexpr (std::is_same_v<T, CancelOrder>) OnCancel(c);
        else if constexpr (std::is_same_v<T, ReplaceOrder>) OnReplace(c);
        else if constexpr (std::is_same_v<T, MemberCreate>) OnMemberCreate(c);
        else if constexpr (std::is_same_v<T, MemberSetStatus>) OnMemberSetStatus(c);
        else if constexpr (std::is_same_v<T, MemberKill>) OnMemberKill(c);
        else if constexpr (std::is_same_v<T, InstrumentCreate>) OnInstrumentCreate(c);
        else if constexpr (std::is_same_v<T, InstrumentSetStatus>) OnInstrumentSetStatus(c);
        else if constexpr (std::is_same_v<T, AttestationRegister>) OnAttestationRegister(c);
        else if constexpr (std::is_same_v<T, AttestationRevoke>) OnAttestationRevoke(c);
        else if constexpr (std::is_same_v<T, ProgramCreate>) OnProgramCreate(c);
        else if constexpr (std::is_same_v<T, Enrol>) OnEnrol(c);
        else if constexpr (std::is_same_v<T, ClaimSettle>) OnClaimSettle(c);
        else if constexpr (std::is_same_v<T, Tick>) OnTick();
        else if constexpr (std::is_same_v<T, DeliveryGrant>) OnDeliveryGrant(c);
        else if constexpr (std::is_same_v<T, DeliveryConfirm>) OnDeliveryConfirm(c);
        else if constexpr (std::is_same_v<T, DeliveryDispute>) OnDeliveryDispute(c);
        else if constexpr (std::is_same_v<T, DeliveryResolve>) OnDeliveryResolve(c);
        else if constexpr (std::is_same_v<T, RfqNew>) OnRfqNew(c);
        else if constexpr (std::is_same_v<T, RfqCancel>) OnRfqCancel(c);
        else if constexpr (std::is_same_v<T, QuoteNew>) OnQuoteNew(c);
        else if constexpr (std::is_same_v<T, QuoteCancel>) OnQuoteCancel(c);
        else if constexpr (std::is_same_v<T, QuoteAccept>) OnQuoteAccept(c);
      },
      command.body);
  return ev_;
}

void Engine::Impl::FailWith(ErrorCode code, std::string_view message, const char* literal) {
  // When the literal is the last failure's, its text is already there, so a
  // repeat costs a compare and a store (a memcmp was 54 instructions a
  // cancel, callgrind, tiny book). A built message forgets the last literal,
  // since it overwrites that text.
  if (literal != nullptr && literal == last_literal_) return ev_.status.SetCode(code);
  ev_.status.Set(code, message);
  last_literal_ = literal;
}

uint64_t Engine::Impl::CoidKey(MemberId member, std::string_view coid) const {
  // 0 is the index's empty marker.
  const uint64_t h = HashBytes(0xcbf29ce484222325ull * (uint64_t{member} + 1), coid);
  return h == 0 ? 1 : h;
}

Slot Engine::Impl::FindByCoid(MemberId member, std::string_view coid, uint64_t key,
                              size_t* end) const {
  return coids_.Find(
      key,
      [&](Slot s) {
        const ClientOrderId& c = pool_.cold(s).coid;
        return pool_.hot(s).member == member && c.len == coid.size() &&
               EqualBytes(c.data, coid.data(), coid.size());
      },
      end);
}

void Engine::Impl::EmitLevel(uint32_t l) {
  // One entry per level per command, even when mass cancels interleave levels.
  // A level freed and reused within the command starts a new entry, since
  // Allocate() resets emit_epoch.
  Level& lv = levels_[l];
  if (lv.emit_epoch == commands_) {
    LevelChange& entry = ev_.book[lv.emit_index];
    entry.qty = Qty(lv.qty);
    entry.orders = lv.orders;
    return;
  }
  lv.emit_epoch = commands_;
  lv.emit_index = static_cast<uint32_t>(ev_.book.size());
  AppendBuilt(ev_.book, [&] {
    return LevelChange{lv.instrument, lv.side, Price(lv.price), Qty(lv.qty), lv.orders};
  });
}

void Engine::Impl::AdoptEmittedEntry(uint32_t l) {
  // A level emptied earlier in this command (a replace at the same price)
  // comes back under its old book entry, so each price appears once.
  Level& lv = levels_[l];
  for (size_t k = 0; k < ev_.book.size(); ++k) {
    const LevelChange& c = ev_.book[k];
    if (c.instrument == lv.instrument && c.side == lv.side && c.price.v == lv.price) {
      lv.emit_epoch = commands_;
      lv.emit_index = static_cast<uint32_t>(k);
      return;
    }
  }
}

void Engine::Impl::Link(Slot s, InstrumentId instrument, Side side) {
  if (side == Side::kBuy) LinkSide<Side::kBuy>(s, instrument);
  else LinkSide<Side::kSell>(s, instrument);
}

template <Side side>
void Engine::Impl::LinkSide(Slot s, InstrumentId instrument) {
  OrderNode& n = pool_.hot(s);
  BookSide& bs = books_[instrument].side(side);
  const int64_t ticks = bs.Ticks(n.price);
  uint32_t l = bs.FindTicks(ticks);
  if (l == kNone) {
    l = levels_.Allocate();
    Level& fresh = levels_[l];
    fresh.price = n.price;
    fresh.ticks = ticks;
    fresh.instrument = instrument;
    fresh.side = side;
    bs.InsertTicks(ticks, l);
    AdoptEmittedEntry(l);
  }
  Level& lv = levels_[l];
  n.level = l;
  n.prev = lv.tail;
  n.next = kNoSlot;
  if (lv.tail != kNoSlot) pool_.hot(lv.tail).next = s;
  else lv.head = s;
  lv.tail = s;
  lv.qty += n.open;
  ++lv.orders;
  EmitLevel(l);
}
template void Engine::Impl::LinkSide<Side::kBuy>(Slot, InstrumentId);
template void Engine::Impl::LinkSide<Side::kSell>(Slot, InstrumentId);

void Engine::Impl::Unlink(Slot s) {
  OrderNode& n = pool_.hot(s);
  const uint32_t l = n.level;
  Level& lv = levels_[l];
  // The link to mend is chosen by address, not by branch: on a book of
  // one or two orders a level, whether a neighbour exists is a coin toss.
  Slot* const from_prev = n.prev != kNoSlot ? &pool_.hot(n.prev).next : &lv.head;
  Slot* const from_next = n.next != kNoSlot ? &pool_.hot(n.next).prev : &lv.tail;
  *from_prev = n.next;
  *from_next = n.prev;
  lv.qty -= n.open;
  --lv.orders;
  n.level = kNone;
  n.prev = n.next = kNoSlot;
  EmitLevel(l);
  if (lv.orders != 0) return;
  books_[lv.instrument].side(lv.side).EraseTicks(lv.ticks);
  levels_.Free(l);
}

void Engine::Impl::Release(Slot s) {
  const OrderNode& n = pool_.hot(s);
  const OrderCold& c = pool_.cold(s);
  ids_.Erase(n.id, s);
  coids_.Erase(c.coid_key, s);
  pool_.Free(s);
}

void Engine::Impl::RemoveResting(Slot s, OrderStatus status, Reason reason) {
  rare_events_ = true;
  TakeOut(s, status, reason, &Append(ev_.done));
}

void Engine::Impl::TakeOut(Slot s, OrderStatus status, Reason reason, OrderView* view) {
  Unlink(s);
  --resting_;
  ViewInto(s, view);
  view->status = status;
  view->reason = reason;
  Release(s);
}

OrderStatus Engine::Impl::RestingStatus(Slot s) const {
  return pool_.hot(s).filled > 0 ? OrderStatus::kPartiallyFilled : OrderStatus::kNew;
}

OrderView Engine::Impl::View(Slot s) const {
  OrderView v;
  ViewInto(s, &v);
  return v;
}

void Engine::Impl::ViewInto(Slot s, OrderView* v) const {
  const OrderNode& n = pool_.hot(s);
  const OrderCold& c = pool_.cold(s);
  v->id = n.id;
  v->member = n.member;
  v->instrument = c.instrument;
  v->side = c.side;
  v->tif = c.tif;
  v->status = RestingStatus(s);
  v->reason = Reason::kNone;
  v->price = Price(n.price);
  v->filled = Qty(n.filled);
  v->open = Qty(n.open);
  v->min_qty = Qty(n.min_qty);
  v->expire_at = c.gtd_expire;
  // ref is the attestation of a sell and the program of a buy. Masked, not
  // branched on: sides come in no pattern, and the compiled branch
  // mispredicted on about every other view (callgrind, hot book).
  static_assert(kNone == ~uint32_t{0});
  const uint32_t buy = -static_cast<uint32_t>(c.side != Side::kSell);  // all ones for a buy
  v->attestation = c.ref | buy;
  v->voucher = c.ref | ~buy;
  v->client_order_id = c.coid;
}

// ---- Engine: thin forwarding to Impl ------------------------------------

Engine::Engine(Options options) : impl_(std::make_unique<Impl>(options)) {}
Engine::~Engine() = default;

const Events& Engine::Execute(const Command& command) { return impl_->Execute(command); }
void Engine::Prefetch(const Command& next) const { impl_->Prefetch(next); }

InstrumentId Engine::FindInstrument(std::string_view s) const {
  return FindName(impl_->instrument_by_symbol_, s);
}
MemberId Engine::FindMember(std::string_view s) const { return FindName(impl_->member_by_name_, s); }
AttestationId Engine::FindAttestation(std::string_view s) const {
  return FindName(impl_->attestation_by_name_, s);
}
ProgramId Engine::FindProgram(std::string_view s) const {
  return FindName(impl_->program_by_name_, s);
}
const std::vector<Instrument>& Engine::instruments() const { return impl_->instruments_; }
const std::vector<Member>& Engine::members() const { return impl_->members_; }
const std::vector<Attestation>& Engine::attestations() const { return impl_->attestations_; }
const std::vector<Program>& Engine::programs() const { return impl_->programs_; }

const Ledger* Engine::FindLedger(ProgramId program, MemberId member) const {
  auto it = impl_->ledgers_.find(LedgerKey(program, member));
  return it == impl_->ledgers_.end() ? nullptr : &it->second;
}

std::vector<Claim> Engine::Claims(ProgramId program) const {
  std::vector<Claim> out;
  for (const auto& [id, claim] : impl_->claims_)
    if (claim.program == program) out.push_back(claim);
  return out;
}

const Claim* Engine::FindClaim(TradeId trade) const {
  auto it = impl_->claims_.find(trade);
  return it == impl_->claims_.end() ? nullptr : &it->second;
}

std::vector<OrderView> Engine::OpenOrders(MemberId member, InstrumentId instrument) const {
  std::vector<OrderView> out;
  for (Slot s = 0; s < impl_->pool_.slots(); ++s) {
    const OrderNode& n = impl_->pool_.hot(s);
    if (n.id == 0 || n.member != member) continue;
    if (instrument != kNone && impl_->pool_.cold(s).instrument != instrument) continue;
    out.push_back(impl_->View(s));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

std::vector<OrderView> Engine::AllOrders() const {
  std::vector<OrderView> out;
  for (Slot s = 0; s < impl_->pool_.slots(); ++s)
    if (impl_->pool_.hot(s).id != 0) out.push_back(impl_->View(s));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

BookDepth Engine::Depth(InstrumentId instrument, size_t max_levels) const {
  BookDepth d;
  if (instrument >= impl_->books_.size()) return d;
  auto fill = [&](const BookSide& bs, std::vector<BookLevel>& out) {
    for (LevelRef r = bs.Best(); r.level != kNone && out.size() < max_levels; r = bs.NextWorse(r)) {
      const Level& lv = impl_->levels_[r.level];
      out.push_back(BookLevel{Price(lv.price), Qty(lv.qty), lv.orders});
    }
  };
  fill(impl_->books_[instrument].bids, d.bids);
  fill(impl_->books_[instrument].asks, d.asks);
  return d;
}

EngineCounters Engine::counters() const {
  return EngineCounters{impl_->resting_, impl_->next_order_id_, impl_->next_trade_id_,
                        impl_->clock_, impl_->commands_, impl_->rfqs_.size() + impl_->quotes_.size()};
}

size_t Engine::MemoryBytes() const {
  size_t levels = 0;
  for (const Book& b : impl_->books_)
    levels += b.bids.MemoryBytes() + b.asks.MemoryBytes();
  return impl_->pool_.MemoryBytes() + impl_->ids_.MemoryBytes() + impl_->coids_.MemoryBytes() +
         impl_->levels_.MemoryBytes() + levels + impl_->gtd_heap_.capacity() * 16;
}

}  // namespace corpex
