// gateway/protocol/params.h — strict, typed access to one request's parameters.
//
// Every getter marks its key as known, so Unknown() can name the first
// parameter the op does not take. Getters fail with BAD_REQUEST naming the
// parameter. The rules hold for every op, so no op can be lenient by
// accident:
//   - a key appears once (Duplicate()): a repeated key is refused, since
//     parsers disagree on which copy counts;
//   - `null` is never "absent": a present key must hold a value of its type;
//   - a string, when given, is non-empty (absent is how "none" is said);
//   - numbers are JSON integers in [min, max] (no fractions, exponents or
//     strings);
//   - a list is a JSON array of one or more distinct non-empty strings.
//
// Thread: a Params lives for one decode, on the thread that decodes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/container/small_vector.hpp>
#include <simdjson.h>

#include "corpex/status.h"
#include "corpex/types.h"

namespace corpex::gw {

class Params {
 public:
  // Whether the object is a request, whose "id" and "op" are the
  // envelope's (no op's parameters), or an object nested in one, where
  // they are keys like any other: a nested "op" is unknown, not skipped.
  enum class Envelope : bool { kNone, kIdAndOp };
  explicit Params(simdjson::dom::object o, Envelope envelope = Envelope::kNone);

  // BAD_REQUEST when a key appears twice (naming it) or the object has more
  // keys than any op takes; checked before any getter.
  Status Shape() const;
  // The key Shape() found repeated, or "".
  std::string_view duplicate() const { return duplicate_; }

  // Whether the key is there (and marks it known).
  bool Has(std::string_view key) { return Find(key) != nullptr; }
  // `present` (optional) tells whether the key was there.
  Status View(std::string_view key, size_t max_len, std::string_view* out, bool required,
              bool* present = nullptr);
  Status Str(std::string_view key, size_t max_len, std::string* out, bool required);
  template <size_t N>
  Status Fixed(std::string_view key, FixedStr<N>* out, bool required) {
    std::string_view s;
    Status st = View(key, N, &s, required);
    if (st.ok()) out->assign(s);
    return st;
  }
  Status Int(std::string_view key, int64_t min, int64_t max, int64_t* out, bool required,
             bool* present = nullptr);
  Status Bool(std::string_view key, bool* out, bool* present);
  Status StrList(std::string_view key, size_t max_items, size_t max_len,
                 std::vector<std::string>* out, bool required);
  // A nested object, read with a Params of its own (the same rules).
  Status Object(std::string_view key, simdjson::dom::object* out, bool required, bool* present);
  // BAD_REQUEST naming the first key not in `allowed` (a request's envelope
  // excepted).
  Status Unknown(std::span<const std::string_view> allowed) const;
  // BAD_REQUEST naming the first key no getter asked for (a request's
  // envelope excepted): after a decode, a key the op lists but its decoder
  // did not read.
  Status Unread() const;

 private:
  // The object's fields, read once: a getter scans these few entries instead
  // of simdjson's tape (at_key per getter, and a scan of every getter's key
  // per field for Unknown(), were a third of decoding an order).
  struct Field {
    std::string_view key;
    simdjson::dom::element value;
    bool known;
  };
  bool IsEnvelope(std::string_view key) const {
    return envelope_ == Envelope::kIdAndOp && (key == "id" || key == "op");
  }
  Field* Find(std::string_view key);
  // The field, or null when absent; BAD_REQUEST when absent and required.
  Status Lookup(std::string_view key, bool required, const Field** f);
  // Inline: no op takes more, so decoding a request allocates nothing here.
  boost::container::small_vector<Field, 24> fields_;
  std::string_view duplicate_;
  bool too_many_ = false;
  Envelope envelope_;
};

inline Status BadRequest(std::string msg) { return Status(ErrorCode::kBadRequest, std::move(msg)); }

}  // namespace corpex::gw

#define CPX_TRY(expr)                 \
  do {                                \
    ::corpex::Status _st = (expr);    \
    if (!_st.ok()) return _st;        \
  } while (0)
