// gateway/net/web_root.h — the web console's static files, served on corpexd's port.
//
// The files under the config's `web_root` are read once at start-up and kept
// in memory: the console is small, a lookup is exact (no path ever reaches
// the file system, so no traversal), and any I/O thread may read it without
// locks because it never changes after Load.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "corpex/status.h"

namespace corpex::gw {

struct WebFile {
  std::string body;
  std::string_view content_type;
  bool immutable = false;  // content-hashed asset: may be cached for good
};

class WebRoot {
 public:
  // Reads every regular file under `dir`. Refuses a tree over 64 MiB.
  Status Load(const std::string& dir);
  // `target` is the request target ("/", "/assets/x.js?v=1"); null if absent.
  const WebFile* Find(std::string_view target) const;
  bool empty() const { return files_.empty(); }
  size_t size() const { return files_.size(); }

 private:
  std::unordered_map<std::string, WebFile> files_;  // by "/path"
};

}  // namespace corpex::gw
