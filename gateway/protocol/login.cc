#include "corpex/login.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace corpex {

std::string HexEncode(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string Sha256(std::string_view bytes) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), md);
  return std::string(reinterpret_cast<char*>(md), sizeof md);
}

std::string Sha256Hex(std::string_view bytes) { return HexEncode(Sha256(bytes)); }

std::string HmacSha256(std::string_view key, std::string_view message) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  return HexEncode(HmacSha256(key, message));
}

std::string LoginMessage(std::string_view user, int64_t ts_ms, std::string_view nonce) {
  std::string message;
  message.reserve(user.size() + nonce.size() + 22);
  message.append(user).append("\n").append(std::to_string(ts_ms)).append("\n").append(nonce);
  return message;
}

std::string LoginSignature(std::string_view secret, std::string_view user, int64_t ts_ms,
                           std::string_view nonce) {
  return HmacSha256Hex(secret, LoginMessage(user, ts_ms, nonce));
}

}  // namespace corpex
