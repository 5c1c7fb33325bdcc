#include "gateway/params.h"

#include <cstring>

namespace corpex::gw {

namespace dom = simdjson::dom;

namespace {
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
}  // namespace

Params::Params(dom::object o) {
  for (auto [key, value] : o) fields_.push_back(Field{key, value, key == "id" || key == "op"});
}

const Params::Field* Params::Find(std::string_view key) {
  const Field* first = nullptr;
  for (Field& f : fields_) {
    // Keys differ in their first letter or length more often than not.
    if (f.key.size() != key.size()) continue;
    if (!key.empty() && (f.key[0] != key[0] || std::memcmp(f.key.data(), key.data(), key.size()) != 0))
      continue;
    f.known = true;
    if (!first) first = &f;
  }
  return first;
}

bool Params::Has(std::string_view key) { return Find(key) != nullptr; }

Status Params::View(std::string_view key, size_t max_len, std::string_view* out, bool required,
                    bool* present) {
  if (present) *present = false;
  const Field* f = Find(key);
  if (!f) {
    if (required) return BadRequest("missing parameter " + Msg(key, ""));
    return Status::Ok();
  }
  std::string_view s;
  if (f->value.get_string().get(s)) return BadRequest(Msg(key, "must be a string"));
  if (s.size() > max_len)
    return BadRequest(Msg(key, "is longer than " + std::to_string(max_len)));
  if (required && s.empty()) return BadRequest(Msg(key, "must not be empty"));
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
  const Field* f = Find(key);
  if (!f) {
    if (required) return BadRequest("missing parameter " + Msg(key, ""));
    return Status::Ok();
  }
  int64_t v = 0;
  if (!f->value.is_int64() || f->value.get_int64().get(v))
    return BadRequest(Msg(key, "must be an integer"));
  if (v < min || v > max)
    return BadRequest(Msg(key, "must be in " + std::to_string(min) + ".." + std::to_string(max)));
  *out = v;
  if (present) *present = true;
  return Status::Ok();
}

Status Params::Bool(std::string_view key, bool* out) {
  const Field* f = Find(key);
  if (!f) return Status::Ok();
  bool b = false;
  if (f->value.get_bool().get(b)) return BadRequest(Msg(key, "must be true or false"));
  *out = b;
  return Status::Ok();
}

Status Params::StrList(std::string_view key, size_t max_items, size_t max_len,
                       std::vector<std::string>* out, bool required) {
  const Field* f = Find(key);
  if (!f) {
    if (required) return BadRequest("missing parameter " + Msg(key, ""));
    return Status::Ok();
  }
  const dom::element e = f->value;
  std::string_view one;
  if (!e.get_string().get(one)) {  // a single string stands for a list of one
    if (one.empty() || one.size() > max_len) return BadRequest("bad " + Msg(key, ""));
    out->emplace_back(one);
    return Status::Ok();
  }
  dom::array arr;
  if (e.get_array().get(arr))
    return BadRequest(Msg(key, "must be an array of strings"));
  for (dom::element item : arr) {
    std::string_view s;
    if (item.get_string().get(s) || s.empty() || s.size() > max_len)
      return BadRequest(Msg(key, "must be an array of non-empty strings"));
    if (out->size() >= max_items)
      return BadRequest(Msg(key, "has more than " + std::to_string(max_items)));
    out->emplace_back(s);
  }
  return Status::Ok();
}

Status Params::Unknown() const {
  for (const Field& f : fields_)
    if (!f.known) return BadRequest("unknown parameter " + Msg(f.key, ""));
  return Status::Ok();
}

}  // namespace corpex::gw
