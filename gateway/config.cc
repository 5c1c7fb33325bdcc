#include "gateway/config.h"

#include <simdjson.h>

#include <fstream>
#include <sstream>

namespace corpex::gw {
namespace {

namespace dom = simdjson::dom;

Status Bad(std::string msg) { return Status(ErrorCode::kBadRequest, std::move(msg)); }

Status GetString(dom::element v, std::string_view key, std::string* out) {
  std::string_view s;
  if (v.get_string().get(s)) return Bad("config: \"" + std::string(key) + "\" must be a string");
  *out = std::string(s);
  return Status::Ok();
}

// Every numeric key is a uint32_t field; `out` is written only when valid.
Status GetUint(dom::element v, std::string_view key, uint32_t max, uint32_t* out,
               int64_t min = 1) {
  int64_t i = 0;
  if (v.get_int64().get(i) || i < min || static_cast<uint64_t>(i) > max)
    return Bad("config: \"" + std::string(key) + "\" must be an integer in " + std::to_string(min) +
               ".." + std::to_string(max));
  *out = static_cast<uint32_t>(i);
  return Status::Ok();
}

Status ParseListen(std::string_view s, Config* c) {
  auto colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return Bad("config: \"listen\" must be HOST:PORT");
  c->host = std::string(s.substr(0, colon));
  std::string port(s.substr(colon + 1));
  char* end = nullptr;
  long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p < 0 || p > 65535)
    return Bad("config: \"listen\" port must be 0..65535");
  c->port = static_cast<uint16_t>(p);
  return Status::Ok();
}

Status ParseAccount(dom::element e, Config* c) {
  dom::object o;
  if (e.get_object().get(o)) return Bad("config: each account must be an object");
  Account a;
  std::string role;
  for (auto [key, value] : o) {
    Status st;
    if (key == "user") st = GetString(value, key, &a.user);
    else if (key == "role") st = GetString(value, key, &role);
    else if (key == "secret") st = GetString(value, key, &a.secret);
    else return Bad("config: unknown key \"accounts[]." + std::string(key) + "\"");
    if (!st.ok()) return st;
  }
  if (role == "operator") a.role = Role::kOperator;
  else if (role == "regulator") a.role = Role::kRegulator;
  else return Bad("config: account role must be \"operator\" or \"regulator\"");
  if (a.user.empty() || a.user.size() > 32) return Bad("config: account user must be 1..32 chars");
  if (a.secret.empty()) return Bad("config: account \"" + a.user + "\" needs a secret");
  for (const Account& other : c->accounts)
    if (other.user == a.user) return Bad("config: account \"" + a.user + "\" listed twice");
  c->accounts.push_back(std::move(a));
  return Status::Ok();
}

Status ParseLimits(dom::element e, Limits* l) {
  dom::object o;
  if (e.get_object().get(o)) return Bad("config: \"limits\" must be an object");
  for (auto [key, value] : o) {
    Status st;
    if (key == "orders_per_second") {
      st = GetUint(value, key, 10'000'000, &l->orders_per_second);
    } else if (key == "max_frame_bytes") {
      st = GetUint(value, key, 16u << 20, &l->max_frame_bytes);
    } else if (key == "max_open_orders") {
      st = GetUint(value, key, 100'000'000, &l->max_open_orders);
    } else if (key == "send_queue") {
      st = GetUint(value, key, 1'000'000, &l->send_queue);
    } else if (key == "idle_timeout_s") {
      st = GetUint(value, key, 86'400, &l->idle_timeout_s);
    } else {
      return Bad("config: unknown key \"limits." + std::string(key) + "\"");
    }
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

Status ParseTls(dom::element e, Config* c) {
  dom::object o;
  if (e.get_object().get(o)) return Bad("config: \"tls\" must be an object");
  for (auto [key, value] : o) {
    Status st;
    if (key == "cert") st = GetString(value, key, &c->tls_cert);
    else if (key == "key") st = GetString(value, key, &c->tls_key);
    else return Bad("config: unknown key \"tls." + std::string(key) + "\"");
    if (!st.ok()) return st;
  }
  if (c->tls_cert.empty() || c->tls_key.empty()) return Bad("config: \"tls\" needs cert and key");
  return Status::Ok();
}

Status ParseCluster(dom::element e, ClusterConfig* c) {
  dom::object o;
  if (e.get_object().get(o)) return Bad("config: \"cluster\" must be an object");
  for (auto [key, value] : o) {
    Status st;
    if (key == "name") st = GetString(value, key, &c->name);
    else if (key == "etcd") st = GetString(value, key, &c->etcd);
    else if (key == "replication_listen") st = GetString(value, key, &c->replication_listen);
    else if (key == "id") st = GetString(value, key, &c->id);
    else if (key == "lease_ttl_ms") st = GetUint(value, key, 60'000, &c->lease_ttl_ms, 1000);
    else return Bad("config: unknown key \"cluster." + std::string(key) + "\"");
    if (!st.ok()) return st;
  }
  auto plain = [](const std::string& s) {
    return !s.empty() && s.size() <= 64 &&
           s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
               std::string::npos;
  };
  if (!plain(c->name)) return Bad("config: \"cluster.name\" must be 1..64 of A-Z a-z 0-9 - _ .");
  if (!plain(c->id)) return Bad("config: \"cluster.id\" must be 1..64 of A-Z a-z 0-9 - _ .");
  if (c->etcd.empty()) return Bad("config: \"cluster.etcd\" is required (HOST:PORT)");
  if (c->replication_listen.empty()) return Bad("config: \"cluster.replication_listen\" is required (HOST:PORT)");
  return Status::Ok();
}

}  // namespace

std::string_view DurabilityName(Durability d) {
  switch (d) {
    case Durability::kReplicated: return "replicated";
    case Durability::kReplicatedSync: return "replicated_sync";
    default: return "local";
  }
}

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kMember: return "member";
    case Role::kOperator: return "operator";
    case Role::kRegulator: return "regulator";
    default: return "none";
  }
}

StatusOr<Config> ParseConfig(std::string_view json) {
  dom::parser parser;
  simdjson::padded_string padded(json);
  dom::element root;
  if (parser.parse(padded).get(root)) return Bad("config: not valid JSON");
  dom::object o;
  if (root.get_object().get(o)) return Bad("config: must be a JSON object");
  Config c;
  bool have_listen = false;
  for (auto [key, value] : o) {
    Status st;
    if (key == "listen") {
      std::string s;
      st = GetString(value, key, &s);
      if (st.ok()) st = ParseListen(s, &c);
      have_listen = true;
    } else if (key == "data_dir") {
      st = GetString(value, key, &c.data_dir);
    } else if (key == "tls") {
      st = ParseTls(value, &c);
    } else if (key == "web_root") {
      st = GetString(value, key, &c.web_root);
    } else if (key == "accounts") {
      dom::array arr;
      if (value.get_array().get(arr)) return Bad("config: \"accounts\" must be an array");
      for (dom::element a : arr) {
        st = ParseAccount(a, &c);
        if (!st.ok()) return st;
      }
    } else if (key == "limits") {
      st = ParseLimits(value, &c.limits);
    } else if (key == "io_threads") {
      st = GetUint(value, key, 64, &c.io_threads);
    } else if (key == "commit_interval_us") {
      st = GetUint(value, key, 100'000, &c.commit_interval_us, 0);
    } else if (key == "snapshot_every") {
      st = GetUint(value, key, 1'000'000'000, &c.snapshot_every, 100);
    } else if (key == "durability") {
      std::string d;
      st = GetString(value, key, &d);
      if (d == "local") c.durability = Durability::kLocal;
      else if (d == "replicated") c.durability = Durability::kReplicated;
      else if (d == "replicated_sync") c.durability = Durability::kReplicatedSync;
      else if (st.ok()) st = Bad("config: \"durability\" must be \"local\", \"replicated\" or \"replicated_sync\"");
    } else if (key == "cluster") {
      st = ParseCluster(value, &c.cluster);
      c.clustered = true;
    } else {
      return Bad("config: unknown key \"" + std::string(key) + "\"");
    }
    if (!st.ok()) return st;
  }
  // A standby that takes over must hold every acknowledged fill: only the
  // replicated modes promise that, so a cluster needs one and they need a cluster.
  if (c.clustered && c.durability == Durability::kLocal)
    return Bad("config: \"cluster\" needs \"durability\": \"replicated\" or \"replicated_sync\" "
               "(with local, a standby taking over could miss acknowledged fills)");
  if (!c.clustered && c.durability != Durability::kLocal)
    return Bad("config: \"durability\": \"" + std::string(DurabilityName(c.durability)) + "\" needs \"cluster\"");
  if (!have_listen) return Bad("config: \"listen\" is required");
  if (c.data_dir.empty()) return Bad("config: \"data_dir\" is required");
  return c;
}

StatusOr<Config> LoadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Bad("config: cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseConfig(ss.str());
}

}  // namespace corpex::gw
