// The GitSource of libgit2: a bare clone of the remote kept in a cache
// directory, fetched into (branches and tags, as `git fetch` with a mirror
// refspec would), and commits read from their trees in memory.
//
// Remotes: file:// URLs, local paths, https:// (certificates checked
// against the system's CAs; an access token if given) and SSH (ssh:// or
// user@host:path), reached as the SSH transport reaches hosts: the same
// ~/.ssh/config, ssh-agent and key files, and the server's key checked
// strictly against known_hosts (drivers/git/ssh_remote.hpp).
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
  // The fields below have initializers so that {url, ref, cache_dir} still
  // initializes the options without clang's missing-field warning.
  //
  // Over SSH: the home directory that ~ and the default ~/.ssh files
  // (config, identity files, known_hosts) stand for; empty: $HOME. Tests
  // point it at a folder of their own.
  std::string home_dir{};
  // Over SSH: the client config read for the remote's host (HostName, User,
  // Port, IdentityFile, UserKnownHostsFile); empty: <home>/.ssh/config.
  std::string ssh_config_file{};
  // Over https: an access token, sent as the password with the URL's user
  // or "x-access-token" (GitHub, GitLab and Gitea take tokens so). Empty:
  // none. Never part of a message.
  std::string https_token{};
};

// A source for `options`; fails for a URL it does not take, or a cache that
// cannot be made or opened. Nothing is fetched yet.
Result<std::unique_ptr<GitSource>> open_libgit2_source(const GitSourceOptions& options);

// Whether `url` names a remote over SSH (ssh://, git+ssh://, or the
// scp-like "user@host:path").
bool is_ssh_git_url(const std::string& url);

}  // namespace skiff::drivers
