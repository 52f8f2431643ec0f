#include "drivers/http/commit_status.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "drivers/http/notify_payload.hpp"

namespace skiff::drivers {

namespace {

// GitHub refuses a longer description (422); 140 bytes are at most 140
// characters.
constexpr size_t kMaxDescriptionBytes = 140;

const char* forge_name(Forge forge) {
  switch (forge) {
    case Forge::kGithub: return "github";
    case Forge::kGitea: return "gitea";
    case Forge::kGitlab: return "gitlab";
  }
  return "";
}

Error url_error(const std::string& url, const std::string& problem) {
  return make_error(ErrorCode::kInvalidArgument,
                    "commit status: repository URL \"" + base::printable(without_userinfo(url)) + "\" " + problem);
}

// A path's parts, as git hosts name owners, groups and repositories.
bool is_name(const std::string& part) {
  if (part.empty() || part == "." || part == "..") return false;
  return std::all_of(part.begin(), part.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'; });
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', start)) {
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  parts.push_back(path.substr(start));
  return parts;
}

// "/owner/repo.git/" is "owner/repo".
std::string clean_path(std::string path) {
  if (const size_t end = path.find_first_of("?#"); end != std::string::npos) path.resize(end);
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".git") == 0) path.resize(path.size() - 4);
  return path;
}

// "host:22" and "[::1]:22" without their SSH port.
std::string without_port(const std::string& authority) {
  if (!authority.empty() && authority.front() == '[') return authority.substr(0, authority.find(']') + 1);
  return authority.substr(0, authority.find(':'));
}

// A URL with a scheme: its host, and the API's scheme (https for git's
// own protocols, whose port is not the API's).
Result<RepoLocation> location_of_url(const std::string& url) {
  static const std::vector<std::string> kSchemes = {"https", "http", "ssh", "git+ssh", "ssh+git", "git"};
  std::string scheme = url.substr(0, url.find("://"));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (std::find(kSchemes.begin(), kSchemes.end(), scheme) == kSchemes.end())
    return url_error(url, "is not an http(s), ssh or git URL");
  std::optional<UrlParts> parts = split_url(url);
  if (!parts) return url_error(url, "has no host");
  const bool web = scheme == "https" || scheme == "http";
  return RepoLocation{web ? scheme : "https", web ? parts->authority : without_port(parts->authority), clean_path(parts->rest)};
}

// "[user@]host:owner/repo.git", git's scp-like form: the colon before any
// slash.
std::optional<RepoLocation> location_of_scp_like(const std::string& url) {
  const size_t colon = url.find(':');
  if (colon == std::string::npos || colon == 0 || url.find('/') < colon) return std::nullopt;
  const size_t at = url.rfind('@', colon);
  const std::string host = at == std::string::npos ? url.substr(0, colon) : url.substr(at + 1, colon - at - 1);
  return RepoLocation{"https", host, clean_path(url.substr(colon + 1))};
}

std::string trimmed(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// GitLab takes a group's whole path; GitHub and Gitea take owner/repo, the
// last two parts when an API base was given for a server below a sub-path.
// REQUIRES: `path` has two parts or more (parse_repo_url's promise).
Result<std::string> project_of(Forge forge, const std::string& url, const std::string& path, bool has_override) {
  if (forge == Forge::kGitlab) return path;
  const std::vector<std::string> parts = split_path(path);
  if (parts.size() == 2) return path;
  if (has_override) return parts[parts.size() - 2] + "/" + parts.back();
  return url_error(
      url, std::string("must name owner/repo on ") + forge_name(forge) + " (for a server below a sub-path, give its API base)");
}

bool is_commit_id(const std::string& id) {
  if (id.size() != 40 && id.size() != 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

const char* default_description(CommitState state) {
  switch (state) {
    case CommitState::kPending: return "skiff is applying this commit";
    case CommitState::kSuccess: return "skiff applied this commit";
    case CommitState::kFailure: return "skiff could not apply this commit";
  }
  return "";
}

OutboundRequest repos_status_request(const CommitStatusTarget& target, const std::string& sha, CommitState state,
                                     const std::string& description) {
  const nlohmann::ordered_json body = {
      {"state", forge_state(target.forge, state)}, {"description", description}, {"context", target.context}};
  OutboundRequest request;
  request.url = target.api_base + "/repos/" + target.project + "/statuses/" + sha;
  request.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  request.headers = {"Content-Type: application/json"};
  if (target.forge == Forge::kGithub) {
    request.headers.push_back("Accept: application/vnd.github+json");
    request.headers.push_back("X-GitHub-Api-Version: 2022-11-28");
    request.headers.push_back("Authorization: Bearer " + target.token);
  } else {
    request.headers.push_back("Accept: application/json");
    request.headers.push_back("Authorization: token " + target.token);
  }
  return request;
}

// GitLab takes the status as query parameters, the project as its path
// with "/" encoded.
OutboundRequest gitlab_status_request(const CommitStatusTarget& target, const std::string& sha, CommitState state,
                                      const std::string& description) {
  OutboundRequest request;
  request.url = target.api_base + "/projects/" + percent_encoded(target.project) + "/statuses/" + sha +
      "?state=" + forge_state(target.forge, state) + "&name=" + percent_encoded(target.context, "/") +
      "&description=" + percent_encoded(description);
  request.headers = {"Accept: application/json", "PRIVATE-TOKEN: " + target.token};
  return request;
}

}  // namespace

Result<Forge> parse_forge(const std::string& name) {
  if (name == "github") return Forge::kGithub;
  if (name == "gitea") return Forge::kGitea;
  if (name == "gitlab") return Forge::kGitlab;
  return make_error(ErrorCode::kInvalidArgument,
                    "--commit-status \"" + base::printable(name) + "\" is not one of github, gitea, gitlab");
}

Result<RepoLocation> parse_repo_url(const std::string& url) {
  std::optional<RepoLocation> location;
  if (url.find("://") != std::string::npos) {
    Result<RepoLocation> read = location_of_url(url);
    if (!read.ok()) return read.error();
    location = std::move(read.value());
  } else {
    location = location_of_scp_like(url);
  }
  if (!location) return url_error(url, "is not the URL of a repository on a git host");
  const bool host_ok = !location->host.empty() && std::all_of(location->host.begin(), location->host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
  });
  if (!host_ok) return url_error(url, "has no host name a URL can carry");
  const std::vector<std::string> parts = split_path(location->path);
  if (parts.size() < 2 || !std::all_of(parts.begin(), parts.end(), is_name))
    return url_error(url, "does not name owner/repo (letters, digits, \".\", \"_\", \"-\")");
  return std::move(*location);
}

std::string default_api_base(Forge forge, const RepoLocation& location) {
  const std::string site = location.scheme + "://" + location.host;
  switch (forge) {
    case Forge::kGithub: return location.host == "github.com" ? "https://api.github.com" : site + "/api/v3";
    case Forge::kGitea: return site + "/api/v1";
    case Forge::kGitlab: return site + "/api/v4";
  }
  return site;
}

Result<CommitStatusTarget> commit_status_target(Forge forge, const std::string& repo_url, std::string token,
                                                const std::string& api_base_override) {
  token = trimmed(token);
  if (token.empty()) return make_error(ErrorCode::kInvalidArgument, "commit status: the token is empty");
  if (std::any_of(token.begin(), token.end(), [](char c) { return static_cast<unsigned char>(c) < ' ' || c == '\x7f'; }))
    return make_error(ErrorCode::kInvalidArgument, "commit status: the token holds a control character");
  Result<RepoLocation> location = parse_repo_url(repo_url);
  if (!location.ok()) return location.error();
  Result<std::string> project = project_of(forge, repo_url, location->path, !api_base_override.empty());
  if (!project.ok()) return project.error();
  std::string api = api_base_override.empty() ? default_api_base(forge, *location) : api_base_override;
  while (!api.empty() && api.back() == '/') api.pop_back();
  if (!is_http_url(api))
    return make_error(ErrorCode::kInvalidArgument,
                      "commit status: API base \"" + base::printable(without_userinfo(api)) + "\" is not an http(s) URL");
  return CommitStatusTarget{forge, api, std::move(project.value()), std::move(token)};
}

std::optional<CommitState> commit_state(ReconcileEventKind kind) {
  switch (kind) {
    case ReconcileEventKind::kStarted: return CommitState::kPending;
    case ReconcileEventKind::kApplied:
    case ReconcileEventKind::kDriftCorrected: return CommitState::kSuccess;
    case ReconcileEventKind::kFailed: return CommitState::kFailure;
    case ReconcileEventKind::kSuspended: return std::nullopt;
  }
  return std::nullopt;
}

std::string forge_state(Forge forge, CommitState state) {
  const bool gitlab = forge == Forge::kGitlab;
  switch (state) {
    case CommitState::kPending: return gitlab ? "running" : "pending";
    case CommitState::kSuccess: return "success";
    case CommitState::kFailure: return gitlab ? "failed" : "failure";
  }
  return "";
}

std::optional<OutboundRequest> commit_status_request(const CommitStatusTarget& target, const ReconcileEvent& event) {
  const std::optional<CommitState> state = commit_state(event.kind);
  if (!state || !is_commit_id(event.commit)) return std::nullopt;
  const std::string message = one_line(event.message);
  const std::string description = shortened(message.empty() ? default_description(*state) : message, kMaxDescriptionBytes);
  OutboundRequest request = target.forge == Forge::kGitlab ? gitlab_status_request(target, event.commit, *state, description)
                                                           : repos_status_request(target, event.commit, *state, description);
  request.what =
      std::string(forge_name(target.forge)) + " commit status of " + target.project + " at " + event.commit.substr(0, 12);
  request.secrets = {target.token};
  return request;
}

}  // namespace skiff::drivers
