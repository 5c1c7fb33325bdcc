#include "gateway/cluster/replicator.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "gateway/cluster/socket.h"

namespace corpex::cluster {

struct Replicator::Peer {
  int fd = -1;
  std::string node;
  std::atomic<Seq> applied{0};
  std::atomic<Seq> durable{0};
  std::atomic<bool> gone{false};
};

Replicator::Replicator(int listen_fd, uint64_t epoch, std::vector<EpochStart> history, Seq last_seq,
                       JournalSource source, std::function<void()> on_ack)
    : listen_fd_(listen_fd),
      epoch_(epoch),
      history_(std::move(history)),
      source_(std::move(source)),
      on_ack_(std::move(on_ack)),
      log_first_(last_seq + 1) {
  accept_thread_ = std::thread([this] { Accept(); });
}

Replicator::~Replicator() { Stop(); }

void Replicator::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !accept_thread_.joinable()) return;
    stopping_ = true;
    for (auto& p : peers_) ShutdownSocket(p->fd);
  }
  cv_.notify_all();
  ShutdownSocket(listen_fd_);
  if (accept_thread_.joinable()) accept_thread_.join();
  ::close(listen_fd_);
}

void Replicator::Publish(Seq seq, std::string command, std::string member_key) {
  {
    std::lock_guard lock(mu_);
    log_.push_back(Record{seq, std::move(command), std::move(member_key)});
    // Trimmed records are far behind storage's queue (max_queued), so the
    // journal has them for a standby that is that far behind.
    while (log_.size() > kKeep) {
      log_.pop_front();
      ++log_first_;
    }
  }
  cv_.notify_all();
}

void Replicator::Designate(const std::string& node) {
  std::lock_guard lock(mu_);
  designated_ = node;
  Seq applied = 0, durable = 0;
  for (auto& p : peers_)
    if (p->node == node && !p->gone) {
      applied = p->applied;
      durable = p->durable;
    }
  designated_applied_ = applied;
  designated_durable_ = durable;
}

bool Replicator::attached(const std::string& node) const {
  std::lock_guard lock(mu_);
  return std::any_of(peers_.begin(), peers_.end(), [&](auto& p) { return p->node == node && !p->gone; });
}

std::vector<StandbyView> Replicator::Standbys() const {
  std::lock_guard lock(mu_);
  std::vector<StandbyView> out;
  for (auto& p : peers_)
    if (!p->gone) out.push_back(StandbyView{p->node, p->applied, p->durable});
  return out;
}

void Replicator::Accept() {
  std::vector<std::thread> threads;
  for (;;) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) break;  // shut down by Stop (or the socket failed: no more standbys)
    auto peer = std::make_shared<Peer>();
    peer->fd = fd;
    std::lock_guard lock(mu_);
    if (stopping_) {
      ::close(fd);
      break;
    }
    threads.emplace_back([this, peer] { Serve(peer); });
  }
  for (auto& t : threads) t.join();
}

void Replicator::Serve(const std::shared_ptr<Peer>& peer) {
  std::string body, out;
  Hello hello;
  Status st = ReadMessage(peer->fd, &body);
  if (st.ok()) st = Decode(body, &hello);
  Seq last = 0;
  {
    std::lock_guard lock(mu_);
    last = log_first_ + log_.size() - 1;
  }
  if (st.ok()) {
    // A prefix of our journal: its last seq was written in the same epoch here.
    if (hello.last_seq > last || EpochOf(history_, hello.last_seq) != hello.last_epoch) {
      Encode(Refuse{"journal diverges at seq " + std::to_string(hello.last_seq) + " (epoch " +
                    std::to_string(hello.last_epoch) + "; the leader's last seq is " + std::to_string(last) +
                    ")"},
             &out);
      (void)WriteAll(peer->fd, out);
      st = Status(ErrorCode::kBadRequest, "refused " + hello.node + ": its journal diverges");
    }
  }
  if (st.ok()) {
    Encode(Welcome{epoch_, history_}, &out);
    st = WriteAll(peer->fd, out);
  }
  if (st.ok()) {
    peer->node = hello.node;
    peer->applied = peer->durable = hello.last_seq;
    std::lock_guard lock(mu_);
    peers_.push_back(peer);
    std::fprintf(stderr, "corpexd: standby %s attached at seq %llu\n", hello.node.c_str(),
                 static_cast<unsigned long long>(hello.last_seq));
  }
  std::thread acks;
  if (st.ok()) acks = std::thread([this, peer] { ReadAcks(peer); });
  Seq next = hello.last_seq + 1;
  while (st.ok()) {
    out.clear();
    bool stopped = false;
    next = NextBatch(next, *peer, &out, &stopped);
    if (stopped || peer->gone) break;
    st = WriteAll(peer->fd, out);
  }
  if (!st.ok() && !peer->node.empty()) std::fprintf(stderr, "corpexd: standby %s: %s\n", peer->node.c_str(), st.message().c_str());
  peer->gone = true;
  ShutdownSocket(peer->fd);
  if (acks.joinable()) acks.join();
  {
    std::lock_guard lock(mu_);
    peers_.erase(std::remove(peers_.begin(), peers_.end(), peer), peers_.end());
    if (peer->node == designated_) designated_applied_ = designated_durable_ = 0;
  }
  ::close(peer->fd);
  if (on_ack_) on_ack_();  // the gate may have lost its standby
}

void Replicator::ReadAcks(const std::shared_ptr<Peer>& peer) {
  std::string body;
  Ack ack;
  while (ReadMessage(peer->fd, &body).ok() && Decode(body, &ack).ok()) {
    peer->applied = ack.applied;
    peer->durable = ack.durable;
    {
      std::lock_guard lock(mu_);
      if (peer->node == designated_) {
        designated_applied_.store(ack.applied, std::memory_order_release);
        designated_durable_.store(ack.durable, std::memory_order_release);
      }
    }
    if (on_ack_) on_ack_();
  }
  peer->gone = true;
  ShutdownSocket(peer->fd);
  cv_.notify_all();
}

Seq Replicator::NextBatch(Seq next, const Peer& peer, std::string* out, bool* stopped) {
  std::vector<const Record*> batch;
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return stopping_ || peer.gone || next < log_first_ + log_.size(); });
  if (stopping_ || peer.gone) {
    *stopped = true;
    return next;
  }
  if (next >= log_first_) {
    size_t bytes = 0;
    for (size_t i = next - log_first_; i < log_.size() && bytes < kBatchBytes; ++i) {
      batch.push_back(&log_[i]);
      bytes += log_[i].command.size() + 16;
    }
    EncodeRecords(epoch_, batch, out);  // under mu_: Publish may trim the deque
    return next + batch.size();
  }
  // Behind memory: read storage's journal up to where memory begins.
  const Seq until = log_first_;
  lock.unlock();
  std::vector<Record> records;
  size_t bytes = 0;
  Status st = source_.read(next - 1, [&](Seq seq, std::string_view command) {
    if (seq >= until || bytes >= kBatchBytes) return false;
    records.push_back(Record{seq, std::string(command), source_.member_key(command)});
    bytes += command.size() + 16;
    return true;
  });
  if (!st.ok() || records.empty()) {
    // The journal's tail is still being written (a fresh leader): try again shortly.
    if (!st.ok()) std::fprintf(stderr, "corpexd: replication catch-up: %s\n", st.message().c_str());
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return next;
  }
  for (const Record& r : records) batch.push_back(&r);
  EncodeRecords(epoch_, batch, out);
  return next + records.size();
}

}  // namespace corpex::cluster
