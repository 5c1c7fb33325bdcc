// gateway/json_out.h — a small, allocation-light JSON writer.
//
// Appends to one std::string; commas are placed automatically. Used for every
// response and event the gateway sends. Not thread-safe: one writer per
// message being built.
#pragma once

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace corpex::gw {

class JsonOut {
 public:
  // Most frames (an order result with a fill, an execution event) are
  // 300-500 bytes: one allocation, no regrowth.
  JsonOut() { s_.reserve(512); }

  JsonOut& Begin() { Sep(); s_ += '{'; first_ = true; return *this; }
  JsonOut& End() { s_ += '}'; first_ = false; return *this; }
  JsonOut& BeginArr() { Sep(); s_ += '['; first_ = true; return *this; }
  JsonOut& EndArr() { s_ += ']'; first_ = false; return *this; }

  JsonOut& Key(std::string_view k) {
    Sep();
    Quote(k);
    s_ += ':';
    first_ = true;  // the value follows without a comma
    return *this;
  }
  JsonOut& Str(std::string_view v) { Sep(); Quote(v); return *this; }
  // std::to_chars: no locale, no format parsing (snprintf showed in profiles).
  JsonOut& Int(int64_t v) {
    Sep();
    char buf[24];
    s_.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
    return *this;
  }
  JsonOut& UInt(uint64_t v) {
    Sep();
    char buf[24];
    s_.append(buf, static_cast<size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
    return *this;
  }
  JsonOut& Bool(bool v) { Sep(); s_ += v ? "true" : "false"; return *this; }
  JsonOut& Null() { Sep(); s_ += "null"; return *this; }
  // Already-encoded JSON (e.g. an echoed request id).
  JsonOut& Raw(std::string_view json) { Sep(); s_ += json; return *this; }

  // Shorthands for "key": value.
  JsonOut& KStr(std::string_view k, std::string_view v) { return Key(k).Str(v); }
  JsonOut& KInt(std::string_view k, int64_t v) { return Key(k).Int(v); }
  JsonOut& KUInt(std::string_view k, uint64_t v) { return Key(k).UInt(v); }
  JsonOut& KBool(std::string_view k, bool v) { return Key(k).Bool(v); }

  const std::string& str() const { return s_; }
  std::string Take() { return std::move(s_); }

  // The JSON string literal of `v`, quotes included.
  static std::string Quoted(std::string_view v) {
    JsonOut j;
    j.Str(v);
    return j.Take();
  }

 private:
  void Sep() {
    if (!first_) s_ += ',';
    first_ = false;
  }
  // Copies runs that need no escape in one append (keys and most values are
  // all run).
  void Quote(std::string_view v) {
    s_ += '"';
    size_t run = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      const char c = v[i];
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x20 && c != '"' && c != '\\') continue;
      s_.append(v.data() + run, i - run);
      run = i + 1;
      if (u < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", u);
        s_ += buf;
      } else {
        s_ += '\\';
        s_ += c;
      }
    }
    s_.append(v.data() + run, v.size() - run);
    s_ += '"';
  }

  std::string s_;
  bool first_ = true;
};

}  // namespace corpex::gw
