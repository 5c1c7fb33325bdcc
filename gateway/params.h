// gateway/params.h — strict, typed access to one request's parameters.
//
// Every getter marks its key as known, so Unknown() can name the first
// parameter the op does not take. Getters fail with BAD_REQUEST naming the
// parameter; numbers must be JSON integers in [min, max].
//
// Thread: a Params lives for one decode on one session's strand.
#pragma once

#include <cstdint>
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
  explicit Params(simdjson::dom::object o);

  bool Has(std::string_view key);
  Status Str(std::string_view key, size_t max_len, std::string* out, bool required);
  // The string in place, valid while the parsed frame lives (no copy).
  Status View(std::string_view key, size_t max_len, std::string_view* out, bool required,
              bool* present = nullptr);
  template <size_t N>
  Status Fixed(std::string_view key, FixedStr<N>* out, bool required) {
    std::string_view s;
    Status st = View(key, N, &s, required);
    if (st.ok()) out->assign(s);
    return st;
  }
  // present (optional) tells whether the key was there.
  Status Int(std::string_view key, int64_t min, int64_t max, int64_t* out, bool required,
             bool* present = nullptr);
  Status Bool(std::string_view key, bool* out);
  Status StrList(std::string_view key, size_t max_items, size_t max_len,
                 std::vector<std::string>* out, bool required);
  // BAD_REQUEST naming the first key no getter asked for ("id"/"op" excepted).
  Status Unknown() const;

 private:
  // The object's fields, read once: a getter scans these few entries instead
  // of simdjson's tape (at_key per getter, and a scan of every getter's key
  // per field for Unknown(), were a third of decoding an order).
  struct Field {
    std::string_view key;
    simdjson::dom::element value;
    bool known;
  };
  // The first field named `key` (every field of that name becomes known: a
  // repeated key is not an unknown one), or null.
  const Field* Find(std::string_view key);
  // Inline: no op takes more, so decoding a request allocates nothing here.
  boost::container::small_vector<Field, 24> fields_;
};

inline Status BadRequest(std::string msg) { return Status(ErrorCode::kBadRequest, std::move(msg)); }

}  // namespace corpex::gw

#define CPX_TRY(expr)                 \
  do {                                \
    ::corpex::Status _st = (expr);    \
    if (!_st.ok()) return _st;        \
  } while (0)
