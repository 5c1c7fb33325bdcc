#include "gateway/protocol/request.h"

#include "gateway/protocol/json_out.h"
#include "gateway/protocol/op_table.h"
#include "gateway/protocol/params.h"

namespace corpex::gw {

namespace dom = simdjson::dom;

Request RequestDecoder::Decode(std::string_view frame) {
  Request r;
  r.frame_bytes = frame.size();
  if (frame.size() > max_frame_bytes_) {
    r.error = Status(ErrorCode::kTooLarge,
                     "frame of " + std::to_string(frame.size()) + " bytes is over the limit of " +
                         std::to_string(max_frame_bytes_));
    return r;
  }
  dom::element root;
  if (auto err = parser_.parse(frame.data(), frame.size(), true).get(root)) {
    // simdjson keeps integers to 64 bits: a larger one is refused whole, as
    // the malformed numbers are, before any id could be read.
    r.error = Status(ErrorCode::kBadJson, err == simdjson::NUMBER_ERROR
                                              ? "a number is malformed or beyond 64 bits"
                                              : "the frame is not valid JSON");
    return r;
  }
  dom::object o;
  if (root.get_object().get(o)) {
    r.error = BadRequest("a request must be a JSON object");
    return r;
  }
  Params p(o, Params::Envelope::kIdAndOp);
  dom::element id;
  if (p.duplicate() != "id" && !o.at_key("id").get(id)) {
    std::string_view s;
    int64_t i = 0;
    if (id.is_int64() && !id.get_int64().get(i)) {
      r.id = std::to_string(i);
    } else if (!id.get_string().get(s) && s.size() <= 64) {
      r.id = JsonOut::Quoted(s);
    } else {
      r.error = BadRequest("\"id\" must be an integer or a string of at most 64 characters");
      return r;
    }
  }
  std::string_view op;
  dom::element ope;
  if (p.duplicate() == "op" || o.at_key("op").get(ope) || ope.get_string().get(op)) {
    r.error = p.duplicate() == "op" ? p.Shape() : BadRequest("missing \"op\"");
    r.id = "null";
    return r;
  }
  r.op = std::string(op);
  const OpSpec* spec = FindOp(op);
  if (!spec) {
    r.error = Status(ErrorCode::kUnknownOp, "unknown op \"" + r.op + "\"");
    return r;
  }
  r.spec = spec;
  r.kind = spec->kind;
  r.known_op = true;
  r.roles = spec->roles;
  r.error = p.Shape();
  if (!r.error.ok()) return r;
  r.error = spec->decode(p, &r);
  // A decoder stops at the first bad value, so keys after it were never read:
  // the op table says which of them are strays (naming a stray key helps more
  // than "missing x"). On success every key was read or is a stray.
  Status stray = r.error.ok() ? p.Unread() : p.Unknown(spec->params);
  if (!stray.ok()) r.error = stray;
  return r;
}

std::string EchoParams(const Request& r) {
  JsonOut j;
  j.Begin();
  if (const OpSpec* spec = FindOp(r.op)) spec->echo(r, j);
  j.End();
  return j.Take();
}

}  // namespace corpex::gw
