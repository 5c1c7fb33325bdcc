// storage/wire.h — explicit byte order, one field at a time.
//
// ByteWriter appends little-endian values (the codec) or big-endian ones
// (keys, whose byte order must be numeric order). ByteReader reads them back
// and remembers the first underflow instead of throwing: decode everything,
// then check ok() once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace corpex::wire {

class ByteWriter {
 public:
  explicit ByteWriter(std::string* out) : out_(out) {}

  void u8(uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void u16(uint16_t v) { le(v, 2); }
  void u32(uint32_t v) { le(v, 4); }
  void u64(uint64_t v) { le(v, 8); }
  void i32(int32_t v) { le(static_cast<uint32_t>(v), 4); }
  void i64(int64_t v) { le(static_cast<uint64_t>(v), 8); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  // A bounded name: one-byte length.
  void str8(std::string_view s) {
    u8(static_cast<uint8_t>(s.size()));
    out_->append(s);
  }
  // A free string: two-byte length; longer input is cut at 65535 bytes.
  void str16(std::string_view s) {
    if (s.size() > 0xFFFF) s = s.substr(0, 0xFFFF);
    u16(static_cast<uint16_t>(s.size()));
    out_->append(s);
  }
  void be32(uint32_t v) { be(v, 4); }
  void be64(uint64_t v) { be(v, 8); }
  void raw(std::string_view s) { out_->append(s); }
  // LEB128: small deltas in one or two bytes.
  void varint(uint64_t v) {
    char b[10];
    int n = 0;
    for (; v >= 0x80; v >>= 7) b[n++] = static_cast<char>((v & 0x7F) | 0x80);
    b[n++] = static_cast<char>(v);
    out_->append(b, static_cast<size_t>(n));
  }

 private:
  // One append per field, not one push_back (and capacity check) per byte.
  void le(uint64_t v, int n) {
    char b[8];
    for (int i = 0; i < n; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    out_->append(b, static_cast<size_t>(n));
  }
  void be(uint64_t v, int n) {
    char b[8];
    for (int i = 0; i < n; ++i) b[i] = static_cast<char>((v >> (8 * (n - 1 - i))) & 0xFF);
    out_->append(b, static_cast<size_t>(n));
  }
  std::string* out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  uint8_t u8() { return static_cast<uint8_t>(le(1)); }
  uint16_t u16() { return static_cast<uint16_t>(le(2)); }
  uint32_t u32() { return static_cast<uint32_t>(le(4)); }
  uint64_t u64() { return le(8); }
  int32_t i32() { return static_cast<int32_t>(static_cast<uint32_t>(le(4))); }
  int64_t i64() { return static_cast<int64_t>(le(8)); }
  uint32_t be32() { return static_cast<uint32_t>(be(4)); }
  uint64_t be64() { return be(8); }
  bool boolean() {
    uint8_t v = u8();
    if (v > 1) ok_ = false;
    return v == 1;
  }
  std::string_view str8() { return bytes(u8()); }
  std::string_view str16() { return bytes(u16()); }
  std::string_view bytes(size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return {};
    }
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64 && ok_; shift += 7) {
      const uint8_t b = u8();
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    fail();  // past the input, or longer than 64 bits
    return 0;
  }
  void fail() { ok_ = false; }

  bool ok() const { return ok_; }
  bool done() const { return ok_ && pos_ == in_.size(); }  // all read, nothing left

 private:
  uint64_t le(int n) {
    std::string_view b = bytes(static_cast<size_t>(n));
    uint64_t v = 0;
    for (int i = 0; i < static_cast<int>(b.size()); ++i) {
      v |= static_cast<uint64_t>(static_cast<uint8_t>(b[i])) << (8 * i);
    }
    return v;
  }
  uint64_t be(int n) {
    std::string_view b = bytes(static_cast<size_t>(n));
    uint64_t v = 0;
    for (char c : b) v = (v << 8) | static_cast<uint8_t>(c);
    return v;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace corpex::wire
