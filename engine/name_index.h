// Name -> dense id for reference data (symbols, member ids, attestations,
// programs, groups, domains). Every order command resolves one to three
// names, so this is on the hot path: a flat open-addressing table of
// (hash, id) with the names kept once, by id, for the final comparison.
// Ids are assigned in insertion order and never removed.
//
// Thread: the Engine's caller, one at a time (the turn holder: docs/ARCHITECTURE.md).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "corpex/types.h"
#include "engine/bytes.h"

namespace corpex {

class NameIndex {
 public:
  NameIndex() { table_.assign(16, Entry{}); }

  uint32_t Find(std::string_view name) const {
    const uint64_t h = Hash(name);
    for (size_t i = h & (table_.size() - 1);; i = (i + 1) & (table_.size() - 1)) {
      const Entry& e = table_[i];
      if (e.id == kNone) return kNone;
      if (e.hash == h && Equal(e, name)) return e.id;
    }
  }

  // `hint` when that is the id of `name`, else Find(name): checking a hint
  // reads one entry and compares, without hashing.
  [[gnu::always_inline]] uint32_t Resolve(uint32_t hint, std::string_view name) const {
    if (hint < entry_of_.size() && Equal(table_[entry_of_[hint]], name)) [[likely]]
      return hint;
    return Find(name);
  }

  // Adds a name that is not present; its id is the count of names before it.
  uint32_t Add(std::string_view name) {
    const auto id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(name);
    entry_of_.push_back(0);
    if (names_.size() * 2 > table_.size()) {
      table_.assign(table_.size() * 2, Entry{});
      for (uint32_t k = 0; k < names_.size(); ++k) Place(Hash(names_[k]), k);
    } else {
      Place(Hash(name), id);
    }
    return id;
  }

  uint32_t Intern(std::string_view name) {
    const uint32_t id = Find(name);
    return id != kNone ? id : Add(name);
  }

  size_t size() const { return names_.size(); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  // A name of up to kInline bytes is kept in its entry, so a lookup reads one
  // cache line: with a million orders in memory the names_ strings are
  // seldom cached, and most commands resolve two or three names.
  static constexpr size_t kInline = 51;
  struct alignas(64) Entry {
    uint64_t hash = 0;
    uint32_t id = kNone;
    uint8_t len = 0;  // inline length; kInline + 1: compare with names_[id]
    char name[kInline] = {};
  };
  static_assert(sizeof(Entry) == 64);

  bool Equal(const Entry& e, std::string_view name) const {
    if (e.len > kInline) return names_[e.id] == name;
    return e.len == name.size() && EqualBytes(e.name, name.data(), name.size());
  }

  static uint64_t Hash(std::string_view s) { return HashBytes(0x9E3779B97F4A7C15ull, s); }

  void Place(uint64_t h, uint32_t id) {
    size_t i = h & (table_.size() - 1);
    while (table_[i].id != kNone) i = (i + 1) & (table_.size() - 1);
    entry_of_[id] = static_cast<uint32_t>(i);
    Entry& e = table_[i];
    e.hash = h;
    e.id = id;
    const std::string& name = names_[id];
    e.len = name.size() <= kInline ? static_cast<uint8_t>(name.size()) : kInline + 1;
    if (name.size() <= kInline) std::memcpy(e.name, name.data(), name.size());
  }

  std::vector<std::string> names_;
  std::vector<Entry> table_;
  std::vector<uint32_t> entry_of_;  // by id: its entry in table_
};

}  // namespace corpex
