// gateway/cluster/socket.h — blocking TCP for the replication stream.
//
// The stream is one connection per standby with a thread at each end, so
// plain blocking sockets say it most directly; shutdown() from another
// thread wakes a blocked accept, read or write, which is how both ends stop.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "corpex/status.h"

namespace corpex::cluster {

// "host:port" → parts; kBadRequest naming `what` when malformed.
Status SplitHostPort(std::string_view text, std::string_view what, std::string* host, uint16_t* port);

// A listening socket on host:port (port 0: any); *bound gets the port.
StatusOr<int> ListenTcp(const std::string& host, uint16_t port, uint16_t* bound);
// Connects within `timeout_ms`, TCP_NODELAY set.
StatusOr<int> ConnectTcp(const std::string& host, uint16_t port, int timeout_ms);
// One message (repl_wire.h): its body without the length prefix.
Status ReadMessage(int fd, std::string* body);
Status WriteAll(int fd, std::string_view bytes);
void ShutdownSocket(int fd);  // wakes whoever is blocked on it; the owner closes

}  // namespace corpex::cluster
