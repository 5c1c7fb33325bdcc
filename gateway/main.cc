// corpexd — the exchange: engine + gateway + storage (SPEC §6).
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <pthread.h>
#include <unistd.h>
#include <thread>
#include <vector>

#include "gateway/cluster/node.h"
#include "gateway/config.h"
#include "gateway/sequencer/exchange.h"
#include "gateway/net/listener.h"
#include "gateway/metrics.h"
#include "gateway/net/tls.h"

namespace {

constexpr const char* kUsage =
    "usage: corpexd --config FILE\n"
    "Runs the corpex exchange: WebSocket API on ws://HOST:PORT/v1, GET /health and\n"
    "GET /metrics on the same port, the web console at GET / when the config\n"
    "names its built files (web_root), RocksDB data under the config's data_dir.\n"
    "Stops cleanly on SIGINT or SIGTERM.\n";

int Fail(const std::string& why) {
  std::fprintf(stderr, "corpexd: %s\n", why.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace corpex::gw;
  std::string config_path;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (!std::strcmp(argv[i], "--config") && i + 1 < argc) {
      config_path = argv[++i];
    } else {
      return Fail(std::string("unknown argument ") + argv[i] + " (see --help)");
    }
  }
  if (config_path.empty()) return Fail("--config FILE is required (see --help)");
  auto config = LoadConfig(config_path);
  if (!config.ok()) return Fail(config.status().message());
  std::shared_ptr<boost::asio::ssl::context> tls;
  if (!config->tls_cert.empty()) {
    auto ctx = MakeTlsContext(config->tls_cert, config->tls_key);
    if (!ctx.ok()) return Fail(ctx.status().message());
    tls = std::move(ctx.value());
  }

  WebRoot web;
  if (!config->web_root.empty()) {
    corpex::Status loaded = web.Load(config->web_root);
    // The exchange runs without its console: say so and go on.
    if (!loaded.ok()) std::fprintf(stderr, "corpexd: web console not served: %s\n", loaded.message().c_str());
    else if (!web.Find("/")) std::fprintf(stderr, "corpexd: web console not served: no index.html in %s\n", config->web_root.c_str());
  }
  Metrics metrics;
  Exchange exchange(config.value(), &metrics);
  std::unique_ptr<corpex::cluster::Node> node;
  boost::asio::io_context ioc(static_cast<int>(config->io_threads));  // a hint: 1 lets Asio skip waking others
  auto listener = std::make_shared<Listener>(ioc, config->io_threads, exchange, metrics, config->limits, web, tls);
  corpex::Status st = listener->Listen(config->host, config->port);
  if (!st.ok()) return Fail(st.message());
  if (config->clustered) {
    // Re-executes this corpexd: how a fenced leader or a diverged standby
    // starts over. Every inherited descriptor is closed first (sockets,
    // RocksDB's lock), as a fresh start would find them.
    auto restart = [argv] {
      std::fflush(stdout);
      std::fflush(stderr);
      ::close_range(3, ~0U, 0);
      ::execv("/proc/self/exe", argv);
      std::_Exit(75);
    };
    node = std::make_unique<corpex::cluster::Node>(
        config.value(), &exchange, config->host + ":" + std::to_string(listener->port()), restart);
    exchange.set_on_durable([&node] { node->DurableMoved(); });
    exchange.set_cluster_fields([&node](JsonOut& j) { node->WriteFields(j); });
  }
  st = exchange.Start();
  if (!st.ok()) return Fail(st.message());
  listener->Run();
  std::printf("corpexd listening on %s:%u%s\n", config->host.c_str(), listener->port(),
              tls ? " (tls)" : "");
  std::printf("%s\n", exchange.recovery().c_str());  // after: scripts wait for the first line
  std::fflush(stdout);
  if (node) {
    st = node->Start();
    if (!st.ok()) return Fail(st.message());
  }

  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  boost::asio::steady_timer grace(ioc);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    listener->Stop();
    if (node) node->Stop();  // a leader hands over to its successor
    exchange.Stop();  // snapshots, releases what was held, closes sessions
    grace.expires_after(std::chrono::milliseconds(300));
    grace.async_wait([&](const boost::system::error_code&) { ioc.stop(); });
  });

  std::vector<std::thread> threads;
  for (uint32_t i = 0; i < config->io_threads; ++i)
    threads.emplace_back([&ioc] {
      pthread_setname_np(pthread_self(), "cx-io");
      ioc.run();
    });
  for (auto& t : threads) t.join();
  exchange.Stop();
  std::printf("corpexd stopped\n");
  return 0;
}
