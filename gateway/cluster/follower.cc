#include "gateway/cluster/follower.h"

#include <unistd.h>

#include "gateway/cluster/socket.h"

namespace corpex::cluster {

Follower::Follower(std::string host, uint16_t port, Hello hello, uint64_t epoch, FollowerHooks hooks)
    : host_(std::move(host)),
      port_(port),
      hello_(std::move(hello)),
      epoch_(epoch),
      hooks_(std::move(hooks)),
      applied_(hello_.last_seq),
      received_(hello_.last_seq) {
  reader_ = std::thread([this] { Read(); });
  acker_ = std::thread([this] { SendAcks(); });
}

Follower::~Follower() { Stop(); }

void Follower::Stop() {
  End(Status(ErrorCode::kInternal, "stopped"));
  if (reader_.joinable()) reader_.join();
  if (acker_.joinable()) acker_.join();
  std::lock_guard lock(mu_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void Follower::End(Status why, bool refused) {
  std::lock_guard lock(mu_);
  if (ended_) return;
  why_ = std::move(why);
  refused_ = refused;
  ended_ = true;
  ShutdownSocket(fd_);
  cv_.notify_all();
}

std::string Follower::why() const {
  std::lock_guard lock(mu_);
  return why_.message();
}

void Follower::DurableMoved() {
  std::lock_guard lock(mu_);
  acks_due_ = true;
  cv_.notify_all();
}

void Follower::Read() {
  auto fd = ConnectTcp(host_, port_, 1000);
  if (!fd.ok()) return End(fd.status());
  {
    std::lock_guard lock(mu_);
    fd_ = fd.value();
    if (ended_) return;
  }
  std::string out, body;
  Encode(hello_, &out);
  Status st = WriteAll(fd_, out);
  if (st.ok()) st = ReadMessage(fd_, &body);
  if (!st.ok()) return End(st);
  if (TypeOf(body) == MsgType::kRefuse) {
    Refuse r;
    (void)Decode(body, &r);
    return End(Status(ErrorCode::kBadRequest, "the leader refused this node: " + r.why), true);
  }
  Welcome w;
  if (!(st = Decode(body, &w)).ok()) return End(st);
  if (w.epoch != epoch_)
    return End(Status(ErrorCode::kBadRequest, "the leader at " + host_ + ":" + std::to_string(port_) + " is epoch " +
                                                  std::to_string(w.epoch) + ", etcd says " + std::to_string(epoch_)));
  if (!(st = hooks_.save_history(w.history)).ok()) return End(st);
  std::vector<Record> records;
  for (;;) {
    uint64_t epoch = 0;
    if (!(st = ReadMessage(fd_, &body)).ok()) return End(st);
    if (!(st = DecodeRecords(body, &epoch, &records)).ok()) return End(st);
    if (epoch != epoch_) return End(Status(ErrorCode::kBadRequest, "records of epoch " + std::to_string(epoch)));
    if (records.empty()) continue;
    Seq expect = received_ + 1;
    for (const Record& r : records)
      if (r.seq != expect++) return End(Status(ErrorCode::kCorruption, "replication skipped to seq " + std::to_string(r.seq)));
    received_ = records.back().seq;
    hooks_.apply(std::move(records), [this](Seq applied, Status status) {
      if (!status.ok()) return End(status);
      applied_.store(applied, std::memory_order_release);
      std::lock_guard lock(mu_);
      acks_due_ = true;
      cv_.notify_all();
    });
    records.clear();
  }
}

void Follower::SendAcks() {
  std::string out;
  Ack sent{~Seq{0}, ~Seq{0}};
  for (;;) {
    int fd;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return ended_ || acks_due_; });
      if (ended_) return;
      acks_due_ = false;
      fd = fd_;
    }
    Ack now{applied(), std::min(applied(), hooks_.durable())};
    if (now.applied == sent.applied && now.durable == sent.durable) continue;
    out.clear();
    Encode(now, &out);
    if (fd < 0 || !WriteAll(fd, out).ok()) return End(Status(ErrorCode::kIOError, "ack write failed"));
    sent = now;
  }
}

}  // namespace corpex::cluster
