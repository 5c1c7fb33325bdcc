// tests/storage/workload.h — a deterministic exchange workload.
//
// Command `seq` is a pure function of (seed, seq): a fixed set-up (members in
// two affiliate groups, two instruments, attestations, a voucher program and
// enrolments) and then a random mix of orders of every tif, cancels,
// replaces, ticks, claim settlements, delivery steps, RFQs, quotes (cash and
// equity) and acceptances, kills, suspensions and halts. Because
// it depends on nothing else, a checker can rebuild the exact command stream
// a killed process executed, up to any seq, without reading what it wrote.
#pragma once

#include <cstdint>

#include "corpex/command.h"

namespace corpex::testing {

inline constexpr TimeNs kWorkloadStart = 1740787200LL * 1'000'000'000;  // 2025-03-01 UTC
inline constexpr const char* kWorkloadProgram = "SZ-2025";

// Number of set-up commands (seq 1..SetupCount()).
uint64_t SetupCount();

// Command `seq` (>= 1) of the workload with `seed`. Its ts is
// kWorkloadStart + seq ms, so time only moves forward.
Command WorkloadCommand(uint64_t seed, uint64_t seq);

}  // namespace corpex::testing
