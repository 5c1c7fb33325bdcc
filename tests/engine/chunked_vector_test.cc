// ChunkedVector: appends past a chunk allocate the next one and move
// nothing, so an element's address outlives any number of later appends.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "engine/chunked_vector.h"

namespace corpex::test {
namespace {

struct Row {
  uint32_t a = 0;
  uint64_t b = 0;
};

TEST_CASE("rows keep their values and their addresses across chunks", "[chunked_vector]") {
  ChunkedVector<Row, 3> v;  // 8 rows a chunk
  CHECK(v.empty());
  CHECK(v.MemoryBytes() == 0);
  std::vector<const Row*> at;
  for (uint32_t i = 0; i < 1000; ++i) {
    const Row& r = v.push_back(Row{i, uint64_t{i} * 3 + 1});
    at.push_back(&r);
  }
  REQUIRE(v.size() == 1000);
  CHECK(v.MemoryBytes() == 125 * 8 * sizeof(Row));
  for (uint32_t i = 0; i < 1000; ++i) {
    INFO("row " << i);
    REQUIRE(&v[i] == at[i]);  // never moved
    REQUIRE(v[i].a == i);
    REQUIRE(v[i].b == uint64_t{i} * 3 + 1);
  }
  v[999].b = 7;
  CHECK(at[999]->b == 7);
}

}  // namespace
}  // namespace corpex::test
