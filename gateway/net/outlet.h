// gateway/net/outlet.h — how the sequencer reaches a session.
//
// A session implements Outlet; the exchange holds it by weak_ptr and calls it
// from whichever thread holds the turn (docs/ARCHITECTURE.md). Every method only posts to the session's strand,
// so it is safe from any thread and never blocks.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace corpex::gw {

using Frame = std::shared_ptr<const std::string>;  // null in SendAll: close here
using Frames = std::vector<Frame>;

// What a SendAll carries for the stage histograms (metrics.h): how many order
// acks are among its frames, and when the oldest of them became durable.
struct Released {
  int64_t durable_ns = 0;  // steady-clock ns
  uint32_t acks = 0;
};

class Outlet {
 public:
  virtual ~Outlet() = default;
  // Queues text frames in order, in one hop to the session's strand; frames
  // shared by many sessions are one buffer. A null frame closes the session
  // once the frames before it are written.
  virtual void SendAll(Frames frames, Released released) = 0;
  void Send(Frame frame) { SendAll(Frames{std::move(frame)}, Released{}); }
  // Closes once the frames queued before it are written.
  virtual void Close() = 0;
  // The login succeeded: the login deadline no longer applies.
  virtual void LoggedIn() = 0;
};

}  // namespace corpex::gw
