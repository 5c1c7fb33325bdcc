// tests/gateway/echo_check.h — the decoder invents nothing.
//
// For a frame the decoder accepted, EchoParams() (what the server will act
// on) must hold exactly the frame's parameters with the frame's values: no
// key added or dropped, no value defaulted, clamped or case-folded. Lists of
// enumerated values (roles, licences) are sets, so their order may differ.
// Used by the unit tests and by the libFuzzer target.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "gateway/protocol/request.h"

namespace corpex::test {

// "" when the echo matches the frame, else what differs.
inline std::string EchoMismatch(std::string_view frame, const gw::Request& r) {
  namespace dom = simdjson::dom;
  const std::string echo = gw::EchoParams(r);
  dom::parser pf, pe;
  dom::object f, e;
  if (pf.parse(frame.data(), frame.size(), true).get_object().get(f)) return "frame is not an object";
  if (pe.parse(echo).get_object().get(e)) return "echo is not an object: " + echo;
  size_t frame_params = 0;
  for (auto [key, value] : f) {
    if (key == "id" || key == "op") continue;
    ++frame_params;
    dom::element got;
    if (e.at_key(key).get(got)) return "echo lacks \"" + std::string(key) + "\": " + echo;
    if (value.type() != got.type()) return "\"" + std::string(key) + "\" changed type: " + echo;
    if (value.is<dom::array>()) {
      std::vector<std::string> a, b;
      dom::array va, vb;
      if (value.get_array().get(va) || got.get_array().get(vb)) return "not an array";
      for (dom::element x : va) a.push_back(simdjson::minify(x));
      for (dom::element x : vb) b.push_back(simdjson::minify(x));
      if (key == "roles" || key == "licences") {
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
      }
      if (a != b) return "\"" + std::string(key) + "\" changed: " + echo;
    } else if (value.is<dom::object>()) {  // a nested object: its members, in any order
      std::vector<std::string> a, b;
      for (auto [k, v] : value.get_object()) a.push_back(std::string(k) + "=" + simdjson::minify(v));
      for (auto [k, v] : got.get_object()) b.push_back(std::string(k) + "=" + simdjson::minify(v));
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      if (a != b) return "\"" + std::string(key) + "\" changed: " + echo;
    } else if (simdjson::minify(value) != simdjson::minify(got)) {
      return "\"" + std::string(key) + "\" changed: " + echo;
    }
  }
  size_t echo_params = 0;
  for (auto field : e) {
    (void)field;
    ++echo_params;
  }
  if (echo_params != frame_params) return "echo has keys the frame did not give: " + echo;
  return "";
}

}  // namespace corpex::test
