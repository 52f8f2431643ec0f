// Commit statuses as each forge takes them: the repository URL's forms read
// into a host and owner/repo, the API base derived or given, the exact
// request for GitHub, Gitea and GitLab, which events set which state, and
// that no error or request name ever shows the token.
#include "drivers/http/commit_status.hpp"

#include <catch2/catch.hpp>

using namespace skiff::drivers;

namespace {

const std::string kCommit = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";
const std::string kToken = "ghp_SECRETSECRET";

ReconcileEvent event(ReconcileEventKind kind, const std::string& message = "3 jobs updated") {
  ReconcileEvent e;
  e.kind = kind;
  e.commit = kCommit;
  e.message = message;
  e.time_unix = 1796083200;
  return e;
}

CommitStatusTarget target(Forge forge, const std::string& url, const std::string& api = "") {
  auto t = commit_status_target(forge, url, kToken + "\n", api);
  if (!t.ok()) FAIL(t.error().message);
  return *t;
}

std::string location(const std::string& url) {
  auto l = parse_repo_url(url);
  if (!l.ok()) return "error: " + l.error().message;
  return l->scheme + " " + l->host + " " + l->path;
}

}  // namespace

TEST_CASE("commit status: a repository URL in each form gives host and path", "[notify]") {
  CHECK(location("https://github.com/acme/deploy") == "https github.com acme/deploy");
  CHECK(location("https://github.com/acme/deploy.git") == "https github.com acme/deploy");
  CHECK(location("https://github.com/acme/deploy/") == "https github.com acme/deploy");
  CHECK(location("https://x-access-token:ghp_1@github.com/acme/deploy.git") == "https github.com acme/deploy");
  CHECK(location("http://gitea.lan:3000/acme/deploy.git") == "http gitea.lan:3000 acme/deploy");
  CHECK(location("ssh://git@gitea.lan:2222/acme/deploy.git") == "https gitea.lan acme/deploy");
  CHECK(location("git+ssh://git@github.com/acme/deploy.git") == "https github.com acme/deploy");
  CHECK(location("git@github.com:acme/deploy.git") == "https github.com acme/deploy");
  CHECK(location("gitlab.com:group/sub/deploy") == "https gitlab.com group/sub/deploy");
  CHECK(location("https://gitlab.com/group/sub/deploy.git") == "https gitlab.com group/sub/deploy");
}

TEST_CASE("commit status: what is not a repository on a git host is refused by name", "[notify]") {
  CHECK(location("/srv/git/deploy") ==
        "error: commit status: repository URL \"/srv/git/deploy\" is not the URL of a repository on a git host");
  CHECK(location("file:///srv/git/deploy") ==
        "error: commit status: repository URL \"file:///srv/git/deploy\" is not an http(s), ssh or git URL");
  CHECK(location("https:///acme/deploy") == "error: commit status: repository URL \"https:///acme/deploy\" has no host");
  CHECK(location("https://github.com/acme") ==
        "error: commit status: repository URL \"https://github.com/acme\" does not name owner/repo (letters, digits, \".\", "
        "\"_\", \"-\")");
  CHECK(location("https://github.com/acme/../x").rfind("error: ", 0) == 0);
  CHECK(location("https://github.com/acme/de%20ploy").rfind("error: ", 0) == 0);
  // A password in the URL stays out of the message.
  const std::string with_password = location("https://bob:hunter2@github.com/acme");
  CHECK(with_password.find("hunter2") == std::string::npos);
  CHECK(with_password.find("https://github.com/acme") != std::string::npos);
}

TEST_CASE("commit status: each forge's API base", "[notify]") {
  CHECK(target(Forge::kGithub, "git@github.com:acme/deploy.git").api_base == "https://api.github.com");
  CHECK(target(Forge::kGithub, "https://ghe.example.com/acme/deploy").api_base == "https://ghe.example.com/api/v3");
  CHECK(target(Forge::kGitea, "ssh://git@gitea.lan:2222/acme/deploy.git").api_base == "https://gitea.lan/api/v1");
  CHECK(target(Forge::kGitea, "http://gitea.lan:3000/acme/deploy").api_base == "http://gitea.lan:3000/api/v1");
  CHECK(target(Forge::kGitlab, "https://gitlab.com/group/sub/deploy.git").api_base == "https://gitlab.com/api/v4");
  CHECK(target(Forge::kGitea, "https://git.lan/acme/deploy", "http://127.0.0.1:8080/api/v1/").api_base ==
        "http://127.0.0.1:8080/api/v1");
}

TEST_CASE("commit status: the project, and a sub-path needs the API base given", "[notify]") {
  CHECK(target(Forge::kGitlab, "https://gitlab.com/group/sub/deploy").project == "group/sub/deploy");
  CHECK(target(Forge::kGithub, "https://github.com/acme/deploy").project == "acme/deploy");
  CHECK(target(Forge::kGitea, "https://lan/gitea/acme/deploy", "https://lan/gitea/api/v1").project == "acme/deploy");
  auto sub = commit_status_target(Forge::kGitea, "https://lan/gitea/acme/deploy", kToken);
  REQUIRE_FALSE(sub.ok());
  CHECK(sub.error().message ==
        "commit status: repository URL \"https://lan/gitea/acme/deploy\" must name owner/repo on gitea (for a server below a "
        "sub-path, give its API base)");
}

TEST_CASE("commit status: the token is trimmed, and never in an error", "[notify]") {
  CHECK(target(Forge::kGithub, "https://github.com/a/b").token == kToken);
  auto empty = commit_status_target(Forge::kGithub, "https://github.com/a/b", " \n");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message == "commit status: the token is empty");
  auto broken = commit_status_target(Forge::kGithub, "https://github.com/a/b", "abc\r\nX-Evil: 1");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().message == "commit status: the token holds a control character");
  auto bad_api = commit_status_target(Forge::kGithub, "https://github.com/a/b", kToken, "ftp://x");
  REQUIRE_FALSE(bad_api.ok());
  CHECK(bad_api.error().message == "commit status: API base \"ftp://x\" is not an http(s) URL");
  CHECK(bad_api.error().message.find(kToken) == std::string::npos);
  CHECK(parse_forge("bitbucket").error().message == "--commit-status \"bitbucket\" is not one of github, gitea, gitlab");
}

TEST_CASE("commit status: GitHub's request", "[notify]") {
  std::optional<OutboundRequest> r =
      commit_status_request(target(Forge::kGithub, "git@github.com:acme/deploy.git"), event(ReconcileEventKind::kStarted, ""));
  REQUIRE(r);
  CHECK(r->url == "https://api.github.com/repos/acme/deploy/statuses/" + kCommit);
  CHECK(r->headers ==
        std::vector<std::string>{"Content-Type: application/json", "Accept: application/vnd.github+json",
                                 "X-GitHub-Api-Version: 2022-11-28", "Authorization: Bearer " + kToken});
  CHECK(r->body == R"({"state":"pending","description":"skiff is applying this commit","context":"skiff/reconcile"})");
  CHECK(r->what == "github commit status of acme/deploy at 1a2b3c4d5e6f");
  CHECK(r->secrets == std::vector<std::string>{kToken});
}

TEST_CASE("commit status: Gitea's request", "[notify]") {
  CommitStatusTarget t = target(Forge::kGitea, "https://gitea.lan/acme/deploy.git");
  t.context = "skiff/reconcile/prod";
  std::optional<OutboundRequest> r = commit_status_request(t, event(ReconcileEventKind::kFailed, "web: image not found"));
  REQUIRE(r);
  CHECK(r->url == "https://gitea.lan/api/v1/repos/acme/deploy/statuses/" + kCommit);
  CHECK(r->headers ==
        std::vector<std::string>{"Content-Type: application/json", "Accept: application/json", "Authorization: token " + kToken});
  CHECK(r->body == R"({"state":"failure","description":"web: image not found","context":"skiff/reconcile/prod"})");
}

TEST_CASE("commit status: GitLab's request", "[notify]") {
  CommitStatusTarget t = target(Forge::kGitlab, "git@gitlab.com:group/sub/deploy.git");
  std::optional<OutboundRequest> r = commit_status_request(t, event(ReconcileEventKind::kApplied, "3 jobs updated & more"));
  REQUIRE(r);
  CHECK(r->url ==
        "https://gitlab.com/api/v4/projects/group%2Fsub%2Fdeploy/statuses/" + kCommit +
            "?state=success&name=skiff/reconcile&description=3%20jobs%20updated%20%26%20more");
  CHECK(r->headers == std::vector<std::string>{"Accept: application/json", "PRIVATE-TOKEN: " + kToken});
  CHECK(r->body.empty());
  r = commit_status_request(t, event(ReconcileEventKind::kStarted));
  REQUIRE(r);
  CHECK(r->url.find("?state=running&") != std::string::npos);
  r = commit_status_request(t, event(ReconcileEventKind::kFailed));
  REQUIRE(r);
  CHECK(r->url.find("?state=failed&") != std::string::npos);
}

TEST_CASE("commit status: which events set a state, and on which commit", "[notify]") {
  CHECK(commit_state(ReconcileEventKind::kStarted) == CommitState::kPending);
  CHECK(commit_state(ReconcileEventKind::kApplied) == CommitState::kSuccess);
  CHECK(commit_state(ReconcileEventKind::kDriftCorrected) == CommitState::kSuccess);
  CHECK(commit_state(ReconcileEventKind::kFailed) == CommitState::kFailure);
  CHECK_FALSE(commit_state(ReconcileEventKind::kSuspended));
  const CommitStatusTarget t = target(Forge::kGithub, "https://github.com/a/b");
  CHECK_FALSE(commit_status_request(t, event(ReconcileEventKind::kSuspended)));
  ReconcileEvent no_commit = event(ReconcileEventKind::kFailed);
  no_commit.commit.clear();
  CHECK_FALSE(commit_status_request(t, no_commit));
  no_commit.commit = "main";
  CHECK_FALSE(commit_status_request(t, no_commit));
  no_commit.commit = std::string(64, 'a');  // a SHA-256 repository's id
  CHECK(commit_status_request(t, no_commit));
}

TEST_CASE("commit status: the description is one line of at most 140 bytes", "[notify]") {
  const CommitStatusTarget t = target(Forge::kGithub, "https://github.com/a/b");
  std::optional<OutboundRequest> r =
      commit_status_request(t, event(ReconcileEventKind::kFailed, "line one\nline two " + std::string(300, 'x')));
  REQUIRE(r);
  const std::string description = nlohmann::json::parse(r->body)["description"];
  CHECK(description.size() <= 140);
  CHECK(description.rfind("line one line two xxx", 0) == 0);
  CHECK(description.substr(description.size() - 3) == "…");
}
