// tools/admin/commands.h — corpex-admin's subcommands: one per operator op of
// SPEC §5, described as data (op name, positional and option parameters) so
// that parsing, --help and the request are built the same way for each.
#pragma once

#include <string>
#include <vector>

namespace corpex::tools {

enum class ParamKind { kString, kInt, kList, kBool };  // kBool: "true" or "false"

struct Param {
  const char* name;    // wire name, e.g. "term_months"
  const char* option;  // command-line name ("term-months"); nullptr for a positional
  ParamKind kind;
  bool required;
  const char* help;
};

struct Command {
  const char* group;  // "member"
  const char* verb;   // "create"
  const char* op;     // "member.create"
  const char* help;
  std::vector<Param> params;
};

const std::vector<Command>& Commands();

}  // namespace corpex::tools
