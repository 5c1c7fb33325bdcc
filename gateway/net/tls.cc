#include "gateway/net/tls.h"

namespace corpex::gw {

namespace ssl = boost::asio::ssl;

StatusOr<std::shared_ptr<ssl::context>> MakeTlsContext(const std::string& cert,
                                                       const std::string& key) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                   ec);
  if (!ec) ctx->use_certificate_chain_file(cert, ec);
  if (ec) return Status(ErrorCode::kBadRequest, "tls cert " + cert + ": " + ec.message());
  ctx->use_private_key_file(key, ssl::context::pem, ec);
  if (ec) return Status(ErrorCode::kBadRequest, "tls key " + key + ": " + ec.message());
  return ctx;
}

}  // namespace corpex::gw
