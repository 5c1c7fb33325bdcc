// corpex/engine.h — the matching engine: Command in, Events out.
//
// The engine holds every order book, the reference data and the voucher
// ledgers in memory. It does no I/O, starts no threads and reads no clock:
// time arrives in each Command. The same sequence of commands therefore
// always yields the same events and the same state (Digest()), which is what
// lets storage rebuild it by replaying the journal and a standby follow it.
//
// Thread: one caller at a time; nothing in it is synchronised (in corpexd,
// the holder of the exchange's turn: docs/ARCHITECTURE.md). Nothing
// assumes one engine owns every instrument: a shard simply never sees the
// commands of instruments it does not hold.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "corpex/command.h"
#include "corpex/events.h"
#include "corpex/refdata.h"
#include "corpex/status.h"

namespace corpex {

struct BookLevel {
  Price price;
  Qty qty;
  uint32_t orders = 0;
};

struct BookDepth {
  std::vector<BookLevel> bids;  // best (highest) first
  std::vector<BookLevel> asks;  // best (lowest) first
};

struct EngineCounters {
  uint64_t resting_orders = 0;
  OrderId next_order_id = 1;
  TradeId next_trade_id = 1;
  TimeNs clock = 0;
  uint64_t commands = 0;
  uint64_t open_deals = 0;  // open RFQs and quotes (a tick expires them)
};

class Engine {
 public:
  struct Options {
    size_t expected_orders = 1 << 12;  // pre-sizes the pools; they grow beyond it
  };

  explicit Engine(Options options);
  Engine() : Engine(Options{}) {}
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Applies one command. The result is valid until the next call.
  const Events& Execute(const Command& command);
  // A hint that `next` will be executed soon: starts fetching the index
  // entries and order records it will touch, so that a caller holding a queue
  // of commands overlaps their memory latency with the commands before.
  // Changes nothing; calling it or not never changes what Execute does.
  // Each call takes the hints of the two calls before it one step further
  // (index entry, then order record, then what the record points to), so it
  // pays most called kPrefetchAhead commands ahead of Execute. It reads
  // `next`, so its lines should have been asked for by PrefetchCommand.
  void Prefetch(const Command& next) const;
  static constexpr size_t kPrefetchAhead = 3;
  // A queued command's own lines (no loads, no state), for a queue streamed
  // from memory: they need a longer lead than the book's lines, which on
  // the large book are gone again if asked for six ahead (perf/README.md).
  static void PrefetchCommand(const Command& queued) {
    const char* const bytes = reinterpret_cast<const char*>(&queued);
    for (size_t off = 0; off < sizeof(Command); off += 64) __builtin_prefetch(bytes + off);
    __builtin_prefetch(bytes + sizeof(Command) - 1);
  }
  static constexpr size_t kCommandAhead = 6;

  // ---- queries: pure reads of the current state ----
  InstrumentId FindInstrument(std::string_view symbol) const;  // kNone if unknown
  MemberId FindMember(std::string_view member) const;
  AttestationId FindAttestation(std::string_view attestation) const;
  ProgramId FindProgram(std::string_view program) const;

  const std::vector<Instrument>& instruments() const;
  const std::vector<Member>& members() const;
  const std::vector<Attestation>& attestations() const;
  const std::vector<Program>& programs() const;
  // The ledger of one member in one program; nullptr when not enrolled.
  const Ledger* FindLedger(ProgramId program, MemberId member) const;
  // Every claim of a program, oldest trade first.
  std::vector<Claim> Claims(ProgramId program) const;
  const Claim* FindClaim(TradeId trade) const;
  // The delivery every trade opens; false for a trade this engine did not make
  // (or made before deliveries existed: a version-1 snapshot).
  bool FindDelivery(TradeId trade, DeliveryView* out) const;
  // Open RFQs and quotes, by id (negotiation.cc). A member sees an RFQ when
  // it is the buyer or MaySell() its instrument; a quote when it is the
  // quote's seller or the RFQ's buyer.
  std::vector<RfqView> OpenRfqs() const;
  std::vector<QuoteView> OpenQuotes() const;
  // Whether `member` holds an attestation that lets it sell `instrument` now.
  bool MaySell(MemberId member, InstrumentId instrument) const;

  // Live orders of a member (optionally of one instrument), by order id.
  std::vector<OrderView> OpenOrders(MemberId member, InstrumentId instrument = kNone) const;
  // Every live order, by order id.
  std::vector<OrderView> AllOrders() const;
  BookDepth Depth(InstrumentId instrument, size_t max_levels = SIZE_MAX) const;
  EngineCounters counters() const;

  // A digest of the whole state (books in priority order, reference data,
  // ledgers, claims, id counters; not the clock or the command count, which
  // a rejected command advances). Equal digests mean equal state.
  std::string Digest() const;
  // Bytes the engine holds for its order pools, id indexes and levels.
  size_t MemoryBytes() const;

  // Snapshot of the whole state; Restore() into a fresh engine yields an
  // engine that behaves exactly as this one from here on.
  std::string Save() const;
  Status Restore(std::string_view snapshot);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corpex
