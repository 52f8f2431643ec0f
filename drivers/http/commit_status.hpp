// Commit statuses (`--commit-status github|gitea|gitlab`): the git host shows
// next to each commit whether skiff is applying it (pending), applied it
// (success) or could not (failure), as Flux's notification controller
// does. Pure: the requests are built here and pinned by tests
// (tests/unit/drivers/http/commit_status_test.cpp); CurlNotifier sends them.
//
//   github  POST {api}/repos/{owner}/{repo}/statuses/{sha}
//           {"state":"pending|success|failure","description":...,
//            "context":"skiff/reconcile"}, Authorization: Bearer TOKEN
//   gitea   the same path and body, Authorization: token TOKEN
//   gitlab  POST {api}/projects/{owner%2Frepo}/statuses/{sha}
//           ?state=running|success|failed&name=skiff/reconcile&description=...
//           PRIVATE-TOKEN: TOKEN
//
// The API base comes from the repository's URL (https://host/owner/repo,
// with or without ".git"; ssh://git@host/owner/repo.git;
// git@host:owner/repo.git): https://api.github.com for github.com,
// https://HOST/api/v3 for GitHub Enterprise, https://HOST/api/v1 for Gitea,
// https://HOST/api/v4 for GitLab. A self-hosted server under a sub-path,
// or a test server, names its API base itself.
//
// The token is a secret: no error or message here or from the sender
// shows it.
#pragma once

#include <optional>
#include <string>

#include "base/result.hpp"
#include "drivers/http/outbound_request.hpp"
#include "drivers/notifier.hpp"

namespace skiff::drivers {

enum class Forge { kGithub, kGitea, kGitlab };

// "github", "gitea", "gitlab"; anything else is an error naming them.
Result<Forge> parse_forge(const std::string& name);

// Where a repository lives: its web host and its path on that host.
struct RepoLocation {
  std::string scheme;  // "https", or "http" for an http:// remote
  std::string host;    // with the port of an http(s) URL; an SSH port is not the API's
  std::string path;    // "owner/repo", "group/subgroup/repo" (GitLab); no ".git"
};

// Reads any of the URL forms above (http(s)://, ssh://, git+ssh://, git://
// and scp-like), dropping a user and password. Fails for a local path or a
// URL without at least "owner/repo".
Result<RepoLocation> parse_repo_url(const std::string& url);

// The API base a forge serves for `location`, without a trailing "/".
std::string default_api_base(Forge forge, const RepoLocation& location);

struct CommitStatusTarget {
  Forge forge = Forge::kGithub;
  std::string api_base;  // "https://api.github.com", no trailing "/"
  std::string project;   // "owner/repo"
  std::string token;
  // The status's name on the host: one per skiff that reconciles this
  // repository ("skiff/reconcile/prod" when two environments do).
  std::string context = "skiff/reconcile";
};

// The target for `repo_url` on `forge`, with `token` (surrounding white
// space trimmed, as a token file ends in a newline) and the API base
// `api_base_override` when it is not empty. GitHub and Gitea need exactly
// "owner/repo"; with an override, the last two parts of a longer path.
Result<CommitStatusTarget> commit_status_target(Forge forge, const std::string& repo_url, std::string token,
                                                const std::string& api_base_override = "");

enum class CommitState { kPending, kSuccess, kFailure };

// The status an event sets: started is pending, applied and drift
// corrected are success, failed is failure; a suspended reconcile applied
// nothing and leaves the status as it was (nullopt).
std::optional<CommitState> commit_state(ReconcileEventKind kind);

// The forge's word for `state` ("failure"; GitLab's "failed", and
// "running" for pending, as Flux sends).
std::string forge_state(Forge forge, CommitState state);

// The POST that sets `event`'s commit's status, or nullopt when the event
// sets none or names no commit (40 or 64 hex digits). Its description is
// the event's message on one line, cut to 140 bytes (GitHub refuses more
// than 140 characters).
std::optional<OutboundRequest> commit_status_request(const CommitStatusTarget& target, const ReconcileEvent& event);

}  // namespace skiff::drivers
