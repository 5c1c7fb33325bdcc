// Appending to the vectors a command fills (its events, the delivery rows)
// without std::vector's grow path inlined at every call: GCC inlines
// _M_realloc_insert into push_back, and the registers it needs make the
// caller save six of them on every call, growing or not (EmitLevel spent 18
// of its 47 instructions a call on that; callgrind, tiny book). The vectors
// are reserved at start and almost never grow, so growth goes out of line,
// as a whole append the fast path can jump to.
#pragma once

#include <memory>
#include <utility>

namespace corpex {

template <typename V, typename... Args>
[[gnu::noinline, gnu::cold]] typename V::value_type& AppendGrowing(V& v, Args&&... args) {
  v.reserve(v.capacity() < 8 ? 16 : v.capacity() * 2);
  return v.emplace_back(std::forward<Args>(args)...);
}

// Constructs an element at the back from args and returns it. (Aggregates
// go through AppendBuilt: clang 14, the fuzz build's, has no C++20
// parenthesized aggregate initialization.)
template <typename V, typename... Args>
inline typename V::value_type& Append(V& v, Args&&... args) {
  if (std::to_address(v.end()) == v.data() + v.capacity()) [[unlikely]]
    return AppendGrowing(v, std::forward<Args>(args)...);
  // Said as emplace_back's own test (end against end of storage), so the
  // compiler drops its grow path here as dead code.
  if (std::to_address(v.end()) == v.data() + v.capacity()) __builtin_unreachable();
  return v.emplace_back(std::forward<Args>(args)...);
}

// Appends the value f() returns, made in the vector's storage: the element
// is initialized by f's return (copy elision through the conversion), not
// value-initialized (zeroed) first and then assigned.
template <typename V, typename F>
inline typename V::value_type& AppendBuilt(V& v, F&& f) {
  struct Made {
    F& f;
    operator typename V::value_type() const { return f(); }
  };
  return Append(v, Made{f});
}

}  // namespace corpex
