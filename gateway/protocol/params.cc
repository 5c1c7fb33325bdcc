#include "gateway/protocol/params.h"

#include <cstring>

namespace corpex::gw {

namespace dom = simdjson::dom;

namespace {
// No op takes more than a dozen; the duplicate check is quadratic, so a frame
// of thousands of keys is refused before it is looked at twice.
constexpr size_t kMaxFields = 32;

// "\"key\" rest", built by appends (GCC 12 misreads chained operator+ here).
std::string Msg(std::string_view key, std::string_view rest) {
  std::string m;
  m.reserve(key.size() + rest.size() + 3);
  m += '"';
  m.append(key);
  m += "\" ";
  m.append(rest);
  return m;
}

bool Same(std::string_view a, std::string_view b) {
  // Keys differ in their first letter or length more often than not.
  return a.size() == b.size() && (a.empty() || (a[0] == b[0] && std::memcmp(a.data(), b.data(), a.size()) == 0));
}
}  // namespace

Params::Params(dom::object o, Envelope envelope) : envelope_(envelope) {
  for (auto [key, value] : o) {
    if (fields_.size() == kMaxFields) {
      too_many_ = true;
      break;
    }
    if (duplicate_.empty())
      for (const Field& f : fields_)
        if (Same(f.key, key)) duplicate_ = f.key;
    fields_.push_back(Field{key, value, IsEnvelope(key)});
  }
}

Status Params::Shape() const {
  if (too_many_) return BadRequest("a request has at most " + std::to_string(kMaxFields) + " parameters");
  if (!duplicate_.empty()) return BadRequest(Msg(duplicate_, "is given more than once"));
  return Status::Ok();
}

Params::Field* Params::Find(std::string_view key) {
  for (Field& f : fields_) {
    if (Same(f.key, key)) {
      f.known = true;
      return &f;  // keys are unique once Shape() passed
    }
  }
  return nullptr;
}

Status Params::Lookup(std::string_view key, bool required, const Field** f) {
  *f = Find(key);
  if (!*f && required) return BadRequest("missing parameter " + Msg(key, ""));
  return Status::Ok();
}

Status Params::View(std::string_view key, size_t max_len, std::string_view* out, bool required,
                    bool* present) {
  if (present) *present = false;
  const Field* f = nullptr;
  CPX_TRY(Lookup(key, required, &f));
  if (!f) return Status::Ok();
  std::string_view s;
  if (f->value.get_string().get(s)) return BadRequest(Msg(key, "must be a string"));
  if (s.empty()) return BadRequest(Msg(key, "must not be empty (leave it out instead)"));
  if (s.size() > max_len)
    return BadRequest(Msg(key, "is longer than " + std::to_string(max_len)));
  *out = s;
  if (present) *present = true;
  return Status::Ok();
}

Status Params::Str(std::string_view key, size_t max_len, std::string* out, bool required) {
  std::string_view s;
  bool present = false;
  CPX_TRY(View(key, max_len, &s, required, &present));
  if (present) out->assign(s);
  return Status::Ok();
}

Status Params::Int(std::string_view key, int64_t min, int64_t max, int64_t* out, bool required,
                   bool* present) {
  if (present) *present = false;
  const Field* f = nullptr;
  CPX_TRY(Lookup(key, required, &f));
  if (!f) return Status::Ok();
  int64_t v = 0;
  if (!f->value.is_int64() || f->value.get_int64().get(v) || v < min || v > max)
    return BadRequest(Msg(key, "must be an integer in " + std::to_string(min) + ".." + std::to_string(max)));
  *out = v;
  if (present) *present = true;
  return Status::Ok();
}

Status Params::Bool(std::string_view key, bool* out, bool* present) {
  *present = false;
  const Field* f = Find(key);
  if (!f) return Status::Ok();
  bool b = false;
  if (f->value.get_bool().get(b)) return BadRequest(Msg(key, "must be true or false"));
  *out = b;
  *present = true;
  return Status::Ok();
}

Status Params::StrList(std::string_view key, size_t max_items, size_t max_len,
                       std::vector<std::string>* out, bool required) {
  const Field* f = nullptr;
  CPX_TRY(Lookup(key, required, &f));
  if (!f) return Status::Ok();
  dom::array arr;
  if (f->value.get_array().get(arr))
    return BadRequest(Msg(key, "must be an array of strings"));
  for (dom::element item : arr) {
    std::string_view s;
    if (item.get_string().get(s) || s.empty() || s.size() > max_len)
      return BadRequest(Msg(key, "must be an array of non-empty strings of at most " +
                                     std::to_string(max_len) + " characters"));
    if (out->size() >= max_items)
      return BadRequest(Msg(key, "has more than " + std::to_string(max_items) + " items"));
    for (const std::string& seen : *out)
      if (seen == s) return BadRequest(Msg(key, "lists \"" + seen + "\" twice"));
    out->emplace_back(s);
  }
  if (out->empty())
    return BadRequest(Msg(key, required ? "must list at least one value"
                                        : "must not be empty (leave it out instead)"));
  return Status::Ok();
}

Status Params::Object(std::string_view key, dom::object* out, bool required, bool* present) {
  *present = false;
  const Field* f = nullptr;
  CPX_TRY(Lookup(key, required, &f));
  if (!f) return Status::Ok();
  if (f->value.get_object().get(*out)) return BadRequest(Msg(key, "must be an object"));
  *present = true;
  return Status::Ok();
}

Status Params::Unknown(std::span<const std::string_view> allowed) const {
  for (const Field& f : fields_) {
    if (IsEnvelope(f.key)) continue;
    bool listed = false;
    for (std::string_view a : allowed) listed = listed || Same(a, f.key);
    if (!listed) return BadRequest("unknown parameter " + Msg(f.key, ""));
  }
  return Status::Ok();
}

Status Params::Unread() const {
  for (const Field& f : fields_)
    if (!f.known) return BadRequest("unknown parameter " + Msg(f.key, ""));
  return Status::Ok();
}

}  // namespace corpex::gw
