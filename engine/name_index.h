// Name -> dense id for reference data (symbols, member ids, attestations,
// programs, groups, domains). Every order command resolves one to three
// names, so this is on the hot path: a flat open-addressing table of
// (hash, id) with the names kept once, by id, for the final comparison.
// Ids are assigned in insertion order and never removed.
//
// Thread: engine thread only.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "corpex/types.h"

namespace corpex {

class NameIndex {
 public:
  NameIndex() { table_.assign(16, Entry{}); }

  uint32_t Find(std::string_view name) const {
    const uint64_t h = Hash(name);
    for (size_t i = h & (table_.size() - 1);; i = (i + 1) & (table_.size() - 1)) {
      const Entry& e = table_[i];
      if (e.id == kNone) return kNone;
      if (e.hash == h && names_[e.id] == name) return e.id;
    }
  }

  // Adds a name that is not present; its id is the count of names before it.
  uint32_t Add(std::string_view name) {
    const auto id = static_cast<uint32_t>(names_.size());
    names_.emplace_back(name);
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
  struct Entry {
    uint64_t hash = 0;
    uint32_t id = kNone;
  };

  // 8 bytes at a time, multiply-xorshift mixing: names are short.
  static uint64_t Hash(std::string_view s) {
    uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
    size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * 0xff51afd7ed558ccdull;
      h ^= h >> 32;
    }
    uint64_t tail = 0;
    if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return h;
  }

  void Place(uint64_t h, uint32_t id) {
    size_t i = h & (table_.size() - 1);
    while (table_[i].id != kNone) i = (i + 1) & (table_.size() - 1);
    table_[i] = Entry{h, id};
  }

  std::vector<std::string> names_;
  std::vector<Entry> table_;
};

}  // namespace corpex
