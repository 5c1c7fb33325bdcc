// gateway/outlet.h — how the engine thread reaches a session.
//
// A session implements Outlet; the exchange holds it by weak_ptr and calls it
// from the engine thread. Every method only posts to the session's strand,
// so it is safe from any thread and never blocks.
#pragma once

#include <memory>
#include <string>

namespace corpex::gw {

class Outlet {
 public:
  virtual ~Outlet() = default;
  // Queues one text frame; frames shared by many sessions are one buffer.
  virtual void Send(std::shared_ptr<const std::string> frame) = 0;
  // Closes once the frames queued before it are written.
  virtual void Close() = 0;
  // The login succeeded: the login deadline no longer applies.
  virtual void LoggedIn() = 0;
};

}  // namespace corpex::gw
