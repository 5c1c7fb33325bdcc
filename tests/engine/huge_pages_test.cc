// The engine's large arrays come from HugePageAllocator: large ones mapped
// on a 2 MiB boundary (else the kernel cannot give them huge pages), small
// ones from the heap, and a vector keeps its contents as it grows across the
// boundary between the two.
#include <catch2/catch.hpp>

#include <cstdint>

#include "engine/huge_pages.h"

namespace corpex::test {
namespace {

bool Aligned2M(const void* p) { return reinterpret_cast<uintptr_t>(p) % huge_pages::kHugePage == 0; }

TEST_CASE("a large array is mapped on a 2 MiB boundary", "[huge_pages]") {
  HugeVector<uint64_t> v(huge_pages::kHugePage / sizeof(uint64_t) * 3 + 5);
  CHECK(Aligned2M(v.data()));
  v.back() = 42;  // the rounded-up tail of the mapping is usable memory
  CHECK(v.back() == 42);
}

TEST_CASE("a vector keeps its contents growing from heap to mapping", "[huge_pages]") {
  HugeVector<uint64_t> v;
  for (uint64_t i = 0; i < 1'000'000; ++i) v.push_back(i * 7);
  CHECK(Aligned2M(v.data()));
  bool intact = true;
  for (uint64_t i = 0; i < v.size(); ++i) intact = intact && v[i] == i * 7;
  CHECK(intact);
  v.clear();
  v.shrink_to_fit();  // unmapped; a later allocation works as before
  v.assign(16, 3);
  CHECK(v[15] == 3);
}

TEST_CASE("an over-aligned type keeps its alignment on the heap", "[huge_pages]") {
  struct alignas(64) Line {
    uint64_t x[8];
  };
  HugeVector<Line> v(3);
  CHECK(reinterpret_cast<uintptr_t>(v.data()) % 64 == 0);
}

}  // namespace
}  // namespace corpex::test
