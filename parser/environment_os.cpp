#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/random_bytes.hpp"
#include "parser/environment.hpp"

extern char** environ;

namespace skiff::parser {

Result<std::string> OsEnvironment::read_file(const std::string& path) const {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, "open " + path + ": no such file or it cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool OsEnvironment::file_exists(const std::string& path) const {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

std::vector<std::string> OsEnvironment::list_files_recursive(const std::string& dir) const {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) out.push_back(std::filesystem::relative(it->path(), dir, ec).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

// The components of `path` after its root, in order.
std::deque<std::string> components(const std::filesystem::path& path) {
  std::deque<std::string> out;
  for (const std::filesystem::path& part : path.relative_path()) out.push_back(part.string());
  return out;
}

}  // namespace

std::optional<std::string> OsEnvironment::real_path(const std::string& path) const {
  namespace fs = std::filesystem;
  // Linux's limit on links followed in one lookup (MAXSYMLINKS).
  constexpr int kMaxLinks = 40;
  std::deque<std::string> rest = components(path);
  fs::path resolved = "/";
  for (int links = 0; !rest.empty();) {
    const std::string part = std::move(rest.front());
    rest.pop_front();
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      resolved = resolved.parent_path();
      continue;
    }
    const fs::path next = resolved / part;
    std::error_code ec;
    const fs::file_status status = fs::symlink_status(next, ec);
    if (ec || !fs::exists(status)) {
      fs::path tail = next;
      for (const std::string& missing : rest) tail /= missing;
      return tail.lexically_normal().string();
    }
    if (!fs::is_symlink(status)) {
      resolved = next;
      continue;
    }
    if (++links > kMaxLinks) return std::nullopt;
    const fs::path target = fs::read_symlink(next, ec);
    if (ec) return std::nullopt;
    if (target.is_absolute()) resolved = "/";
    std::deque<std::string> inner = components(target);
    rest.insert(rest.begin(), inner.begin(), inner.end());
  }
  return resolved.lexically_normal().string();
}

std::optional<std::string> OsEnvironment::getenv(const std::string& name) const {
  const char* value = std::getenv(name.c_str());
  if (!value) return std::nullopt;
  return std::string(value);
}

std::vector<std::string> OsEnvironment::environ() const {
  std::vector<std::string> out;
  for (char** entry = ::environ; entry && *entry; ++entry) out.emplace_back(*entry);
  return out;
}

std::string OsEnvironment::home_dir() const {
  const char* home = std::getenv("HOME");
  return home ? home : "/";
}

std::string OsEnvironment::current_dir() const {
  std::error_code ec;
  return std::filesystem::current_path(ec).string();
}

Result<std::vector<uint8_t>> OsEnvironment::random_bytes(size_t count) const { return base::random_bytes(count); }

}  // namespace skiff::parser
