// An allocator for the engine's large arrays (order records, levels, the id
// indexes) that asks the kernel to back them with 2 MiB pages.
//
// Why: a book of a million orders is ~280 MiB touched at random. With 4 KiB
// pages nearly every order command misses the TLB several times over, and on
// a virtual machine each of those page walks costs about as much as the cache
// miss itself. Transparent huge pages are commonly in `madvise` mode (Debian's
// default), so they must be asked for per mapping.
//
// Arrays below 2 MiB gain nothing and use the ordinary heap. A refused
// madvise (kernel without THP) leaves plain pages: only slower.
//
// Thread: any; it holds no state.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

namespace corpex {

namespace huge_pages {

inline constexpr size_t kHugePage = size_t{2} << 20;

inline size_t Rounded(size_t bytes) { return (bytes + kHugePage - 1) & ~(kHugePage - 1); }

// A mapping of Rounded(bytes), aligned to 2 MiB so that every page of it can
// be a huge one.
inline void* Map(size_t bytes) {
  const size_t size = Rounded(bytes);
  const size_t span = size + kHugePage;
  void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = (start + kHugePage - 1) & ~(uintptr_t{kHugePage} - 1);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t end = start + span;
  if (end > aligned + size) munmap(reinterpret_cast<void*>(aligned + size), end - aligned - size);
  void* p = reinterpret_cast<void*>(aligned);
  madvise(p, size, MADV_HUGEPAGE);
  return p;
}

inline void Unmap(void* p, size_t bytes) { munmap(p, Rounded(bytes)); }

}  // namespace huge_pages

template <typename T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: rebinding

  T* allocate(size_t n) {
    if (n > SIZE_MAX / sizeof(T)) throw std::bad_array_new_length();
    const size_t bytes = n * sizeof(T);
    if (bytes < huge_pages::kHugePage) {
      return static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T)}));
    }
    return static_cast<T*>(huge_pages::Map(bytes));
  }
  void deallocate(T* p, size_t n) noexcept {
    const size_t bytes = n * sizeof(T);
    if (bytes < huge_pages::kHugePage) {
      ::operator delete(p, std::align_val_t{alignof(T)});
    } else {
      huge_pages::Unmap(p, bytes);
    }
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }
};

template <typename T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace corpex
