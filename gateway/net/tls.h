// gateway/net/tls.h — the TLS server context when the config names a cert and key.
//
// TLS 1.2+ only; the cert file may hold a chain. Built once at start-up and
// shared (read-only) by every connection.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "corpex/status.h"

namespace corpex::gw {

StatusOr<std::shared_ptr<boost::asio::ssl::context>> MakeTlsContext(const std::string& cert,
                                                                    const std::string& key);

}  // namespace corpex::gw
