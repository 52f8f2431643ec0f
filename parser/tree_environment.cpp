#include "parser/tree_environment.hpp"

#include <vector>

namespace skiff::parser {

TreeEnvironment::TreeEnvironment(std::map<std::string, std::string> files, std::string what, const Environment& outside)
    : files_(std::move(files)), what_(std::move(what)), outside_(outside) {}

std::optional<std::string> TreeEnvironment::key_of(const std::string& path) const {
  // Component by component: "." goes, ".." takes the one before it back,
  // and one that would climb above the root leaves the tree.
  std::vector<std::string> parts;
  std::string part;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '/') {
      part += path[i];
      continue;
    }
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    part.clear();
  }
  std::string key;
  for (const std::string& p : parts) key += (key.empty() ? "" : "/") + p;
  return key;
}

Result<std::string> TreeEnvironment::read_file(const std::string& path) const {
  const std::optional<std::string> key = key_of(path);
  auto it = key ? files_.find(*key) : files_.end();
  if (it == files_.end()) return make_error(ErrorCode::kNotFound, "open " + path + ": no such file in " + what_);
  return it->second;
}

bool TreeEnvironment::file_exists(const std::string& path) const {
  const std::optional<std::string> key = key_of(path);
  return key && files_.count(*key) > 0;
}

std::vector<std::string> TreeEnvironment::list_files_recursive(const std::string& dir) const {
  std::vector<std::string> out;
  const std::optional<std::string> key = key_of(dir);
  if (!key) return out;
  const std::string prefix = key->empty() ? "" : *key + "/";
  for (auto it = files_.lower_bound(prefix); it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
    out.push_back(it->first.substr(prefix.size()));
  return out;  // sorted: a map's keys with one prefix are
}

std::optional<std::string> TreeEnvironment::real_path(const std::string& path) const {
  const std::optional<std::string> key = key_of(path);
  if (!key) return std::nullopt;
  return "/" + *key;
}

std::optional<std::string> TreeEnvironment::getenv(const std::string& name) const { return outside_.getenv(name); }
std::vector<std::string> TreeEnvironment::environ() const { return outside_.environ(); }
std::string TreeEnvironment::home_dir() const { return outside_.home_dir(); }
std::string TreeEnvironment::current_dir() const { return "/"; }
Result<std::vector<uint8_t>> TreeEnvironment::random_bytes(size_t count) const { return outside_.random_bytes(count); }

}  // namespace skiff::parser
