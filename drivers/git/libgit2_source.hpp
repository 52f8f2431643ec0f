// The GitSource of libgit2: a bare clone of the remote kept in a cache
// directory, fetched into (branches and tags, as `git fetch` with a mirror
// refspec would), and commits read from their trees in memory.
//
// Remotes: file:// URLs, local paths and https:// (certificates checked
// against the system's CAs). SSH remotes are refused until host keys are
// checked against known_hosts as the transport checks them: a git fetch
// must never trust a key the SSH transport would not.
//
// Not thread-safe: one source per thread.
#pragma once

#include <memory>
#include <string>

#include "drivers/git_source.hpp"

namespace skiff::drivers {

struct GitSourceOptions {
  std::string url;
  // A branch, a tag, a full ref name ("refs/heads/main") or a commit's 40
  // hex digits; empty: the remote's HEAD.
  std::string ref;
  // Where the bare clone lives: a folder of its own below this one, named
  // after the URL, made 0700 when new.
  std::string cache_dir;
  // read_tree fails past this many bytes of files in all.
  uint64_t max_tree_bytes = 256ull << 20;
};

// A source for `options`; fails for a URL it does not take, or a cache that
// cannot be made or opened. Nothing is fetched yet.
Result<std::unique_ptr<GitSource>> open_libgit2_source(const GitSourceOptions& options);

// Whether `url` names a remote over SSH (ssh://, git+ssh://, or the
// scp-like "user@host:path").
bool is_ssh_git_url(const std::string& url);

}  // namespace skiff::drivers
