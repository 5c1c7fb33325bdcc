// gateway/protocol/op_table.h — every op of the protocol, in one table.
//
// An op is its name, its kind (engine command or gateway query), the roles
// that may send it, the parameters it takes, the decoder that turns them into
// a Request, the echo that writes them back and, for engine commands, the
// encoder of the result. Adding an op is adding a row here (and its
// handler in the sequencer); nothing else lists op names.
#pragma once

#include <span>
#include <string_view>

#include "corpex/engine.h"
#include "gateway/protocol/json_out.h"
#include "gateway/protocol/params.h"
#include "gateway/protocol/request.h"

namespace corpex::gw {

// What an engine command's result is written from.
struct CommandResult {
  const Engine& engine;
  const Command& command;
  const Events& events;
  std::string_view secret;  // member.create: the new member's secret, shown once
};

struct OpSpec {
  std::string_view name;
  OpKind kind;
  uint8_t roles;  // RoleBit()s; 0 for login (before any role)
  // Every parameter the op takes: any other key is refused, named, before
  // the values are looked at.
  std::span<const std::string_view> params;
  Status (*decode)(Params& p, Request* r);
  void (*echo)(const Request& r, JsonOut& j);  // the object's members, no braces
  // Engine commands (kind kCommand): the result object of an accepted
  // command. Null for the gateway's own ops, which the sequencer answers.
  void (*result)(const CommandResult& c, JsonOut& j);
};

std::span<const OpSpec> Ops();
// The op named `name`, or null.
const OpSpec* FindOp(std::string_view name);

}  // namespace corpex::gw
