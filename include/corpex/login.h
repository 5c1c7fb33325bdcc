// corpex/login.h — the login signature of SPEC §5, and the digests it rests
// on, shared by corpexd and every client (tools, tests, load).
//
//   sig = hex(HMAC-SHA256(secret, user "\n" ts "\n" nonce))
//
// Hex is lower case. Pure functions over OpenSSL; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace corpex {

std::string HexEncode(std::string_view bytes);
std::string Sha256(std::string_view bytes);  // raw 32 bytes
std::string Sha256Hex(std::string_view bytes);
std::string HmacSha256(std::string_view key, std::string_view message);  // raw 32 bytes
std::string HmacSha256Hex(std::string_view key, std::string_view message);
// user "\n" ts "\n" nonce: what the secret signs.
std::string LoginMessage(std::string_view user, int64_t ts_ms, std::string_view nonce);
std::string LoginSignature(std::string_view secret, std::string_view user, int64_t ts_ms,
                           std::string_view nonce);

}  // namespace corpex
