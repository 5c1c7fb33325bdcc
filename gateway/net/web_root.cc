#include "gateway/net/web_root.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace corpex::gw {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxTotalBytes = 64u << 20;

std::string_view ContentType(const fs::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

Status WebRoot::Load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Status(ErrorCode::kBadRequest, "web_root " + dir + " is not a directory");
  size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const fs::path& p = it->path();
    std::ifstream in(p, std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
      return Status(ErrorCode::kInternal, "web_root: cannot read " + p.string());
    total += body.size();
    if (total > kMaxTotalBytes)
      return Status(ErrorCode::kTooLarge, "web_root " + dir + " holds over 64 MiB");
    std::string key = "/" + fs::relative(p, dir).generic_string();
    bool immutable = key.rfind("/assets/", 0) == 0;  // the bundler names these by content hash
    files_[key] = WebFile{std::move(body), ContentType(p), immutable};
  }
  if (ec) return Status(ErrorCode::kInternal, "web_root " + dir + ": " + ec.message());
  return Status::Ok();
}

const WebFile* WebRoot::Find(std::string_view target) const {
  target = target.substr(0, target.find_first_of("?#"));
  if (target == "/") target = "/index.html";
  auto it = files_.find(std::string(target));
  return it == files_.end() ? nullptr : &it->second;
}

}  // namespace corpex::gw
