// gateway/protocol/json_out.h — a small, allocation-light JSON writer.
//
// Appends to one std::string; commas are placed automatically. Used for every
// response and event the gateway sends. Not thread-safe: one writer per
// message being built.
//
// Each piece is written through one check for room and plain stores (the
// string's size runs ahead of the text; Take() trims it), and keys are
// string literals checked at compile time to need no escaping, so a key is
// one copy rather than a scan: the text of an order's response and its
// execution events was ~10 % of corpexd's CPU per order (perf/wire_bench).
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace corpex::gw {

// A key as written: a string literal that needs no escaping (checked when
// compiling; a key that does fails to compile).
class JsonKey {
 public:
  template <size_t N>
  consteval JsonKey(const char (&k)[N]) : data_(k), size_(N - 1) {  // NOLINT: implicit by design
    for (size_t i = 0; i + 1 < N; ++i) {
      const auto u = static_cast<unsigned char>(k[i]);
      if (u < 0x20 || k[i] == '"' || k[i] == '\\') throw "a JSON key must need no escaping";
    }
  }
  const char* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  const char* data_;
  size_t size_;
};

class JsonOut {
 public:
  // Most frames (an order result with a fill, an execution event) are
  // 300-500 bytes: one allocation, no regrowth.
  JsonOut() { s_.resize(512); }

  JsonOut& Begin() { return Open('{'); }
  JsonOut& End() { return Close('}'); }
  JsonOut& BeginArr() { return Open('['); }
  JsonOut& EndArr() { return Close(']'); }

  JsonOut& Key(JsonKey k) {
    char* p = Sep(k.size() + 3);
    *p++ = '"';
    std::memcpy(p, k.data(), k.size());
    p += k.size();
    *p++ = '"';
    *p++ = ':';
    len_ = static_cast<size_t>(p - s_.data());
    first_ = true;  // the value follows without a comma
    return *this;
  }
  JsonOut& Str(std::string_view v);
  // std::to_chars: no locale, no format parsing (snprintf showed in profiles).
  JsonOut& Int(int64_t v) { return Number(v); }
  JsonOut& UInt(uint64_t v) { return Number(v); }
  JsonOut& Bool(bool v) { return Raw(v ? "true" : "false"); }
  JsonOut& Null() { return Raw("null"); }
  // Already-encoded JSON (e.g. an echoed request id).
  JsonOut& Raw(std::string_view json) {
    char* p = Sep(json.size());
    std::memcpy(p, json.data(), json.size());
    len_ = static_cast<size_t>(p + json.size() - s_.data());
    return *this;
  }

  // Shorthands for "key": value.
  JsonOut& KStr(JsonKey k, std::string_view v) { return Key(k).Str(v); }
  JsonOut& KInt(JsonKey k, int64_t v) { return Key(k).Int(v); }
  JsonOut& KUInt(JsonKey k, uint64_t v) { return Key(k).UInt(v); }
  JsonOut& KBool(JsonKey k, bool v) { return Key(k).Bool(v); }

  std::string_view str() const { return {s_.data(), len_}; }
  std::string Take() {
    s_.resize(len_);
    len_ = 0;
    return std::move(s_);
  }

  // The JSON string literal of `v`, quotes included.
  static std::string Quoted(std::string_view v) {
    JsonOut j;
    j.Str(v);
    return j.Take();
  }

 private:
  // Room for n more bytes; returns where they go.
  char* Room(size_t n) {
    if (len_ + n > s_.size()) s_.resize(std::max(2 * s_.size(), len_ + n));
    return s_.data() + len_;
  }
  // Room for a comma (unless first) and n bytes; returns where the n go, the
  // comma written.
  char* Sep(size_t n) {
    char* p = Room(n + 1);
    if (!first_) *p++ = ',';
    first_ = false;
    return p;
  }
  JsonOut& Open(char c) {
    char* p = Sep(1);
    *p = c;
    len_ = static_cast<size_t>(p + 1 - s_.data());
    first_ = true;
    return *this;
  }
  JsonOut& Close(char c) {
    *Room(1) = c;
    ++len_;
    first_ = false;
    return *this;
  }
  template <typename T>
  JsonOut& Number(T v) {
    char* p = Sep(20);  // INT64_MIN and UINT64_MAX are 20 characters
    len_ = static_cast<size_t>(std::to_chars(p, p + 20, v).ptr - s_.data());
    return *this;
  }

  std::string s_;   // its size is room; the text is its first len_ bytes
  size_t len_ = 0;
  bool first_ = true;
};

// Copies runs that need no escape in one go (most values are all run).
inline JsonOut& JsonOut::Str(std::string_view v) {
  // Every byte may become \u00XX: room for the worst case, checked once.
  char* p = Sep(2 + 6 * v.size());
  *p++ = '"';
  size_t run = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && c != '"' && c != '\\') continue;
    std::memcpy(p, v.data() + run, i - run);
    p += i - run;
    run = i + 1;
    *p++ = '\\';
    if (u < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      *p++ = 'u';
      *p++ = '0';
      *p++ = '0';
      *p++ = kHex[u >> 4];
      *p++ = kHex[u & 15];
    } else {
      *p++ = c;
    }
  }
  std::memcpy(p, v.data() + run, v.size() - run);
  p += v.size() - run;
  *p++ = '"';
  len_ = static_cast<size_t>(p - s_.data());
  return *this;
}

}  // namespace corpex::gw
