// A vector that grows a chunk at a time and never moves what it holds.
//
// For state that only grows for the life of the exchange (the delivery row
// of every trade, 20 bytes each): std::vector's doubling copies all of it
// inside the one command that happens to append past capacity, and the
// copy grows with the exchange (a year of trades: hundreds of MB, a stall
// of a large part of a second between two commands). Here an append past a
// chunk allocates the next one and nothing moves; an element's address
// stays valid until the vector goes.
//
// Thread: the Engine's caller, one at a time (the turn holder: docs/ARCHITECTURE.md).
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace corpex {

template <typename T, unsigned kChunkBits = 16>
class ChunkedVector {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "rows are dropped with their chunk, never destroyed one by one");

 public:
  using value_type = T;
  static constexpr size_t kChunk = size_t{1} << kChunkBits;

  ChunkedVector() = default;
  ChunkedVector(const ChunkedVector&) = delete;
  ChunkedVector& operator=(const ChunkedVector&) = delete;
  ~ChunkedVector() {
    for (T* c : chunks_) std::allocator<T>().deallocate(c, kChunk);
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }
  const T& operator[](size_t i) const { return chunks_[i >> kChunkBits][i & (kChunk - 1)]; }

  T& push_back(const T& v) {
    if (next_ == chunk_end_) [[unlikely]] AddChunk();
    T* const p = ::new (static_cast<void*>(next_)) T(v);
    ++next_;
    ++size_;
    return *p;
  }

  // Bytes held, chunks' unused tails included.
  size_t MemoryBytes() const { return chunks_.size() * kChunk * sizeof(T); }

 private:
  // Out of line: once every kChunk appends. The chunk is only allocated,
  // not written, so its pages arrive as rows fill them.
  [[gnu::noinline, gnu::cold]] void AddChunk() {
    // Room first, so that nothing leaks if the push would throw.
    if (chunks_.size() == chunks_.capacity()) chunks_.reserve(chunks_.size() * 2 + 8);
    T* const c = std::allocator<T>().allocate(kChunk);
    chunks_.push_back(c);
    next_ = c;
    chunk_end_ = c + kChunk;
  }

  std::vector<T*> chunks_;
  T* next_ = nullptr;
  T* chunk_end_ = nullptr;
  size_t size_ = 0;
};

}  // namespace corpex
