// CurlNotifier against real HTTP servers on the loopback (cpp-httplib, an
// ephemeral port): an event arrives with its body and headers; a server
// that answers 500 twice gets a third try; one that never answers holds up
// neither notify() nor shutdown(); a commit status reaches the forge's path
// with its token; and no problem line shows a webhook's secret path.
#include "drivers/http/curl_notifier.hpp"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

using namespace skiff::drivers;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kCommit = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

struct Received {
  std::string target;  // the path and query as sent, still encoded
  std::string path;
  httplib::Headers headers;
  httplib::Params params;
  std::string body;
  Clock::time_point time;
};

// A server on 127.0.0.1 that records every POST and answers with the
// statuses `answers` (one per request, then 200), or never (`hang`) until
// it is torn down. The guard stops it and joins its thread.
class TestServer {
 public:
  explicit TestServer(std::vector<int> answers = {}, bool hang = false) : answers_(std::move(answers)), hang_(hang) {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // httplib 0.11's stop() does nothing until the thread is running (it
    // has no wait_until_ready): a guard torn down sooner would hang.
    for (int i = 0; i < 500 && !server_.is_running(); ++i) std::this_thread::sleep_for(10ms);
  }
  ~TestServer() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      released_ = true;
      changed_.notify_all();
    }
    server_.stop();
    thread_.join();
  }

  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

  // The requests so far, once there are `n` of them (or 5 s passed).
  std::vector<Received> wait_for(size_t n) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, 5s, [&] { return received_.size() >= n; });
    return received_;
  }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    std::unique_lock<std::mutex> lock(mutex_);
    received_.push_back({req.target, req.path, req.headers, req.params, req.body, Clock::now()});
    changed_.notify_all();
    if (hang_) changed_.wait_for(lock, 30s, [this] { return released_; });
    const size_t i = received_.size() - 1;
    res.status = i < answers_.size() ? answers_[i] : 200;
    res.set_content("{}", "application/json");
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::vector<int> answers_;
  bool hang_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Received> received_;
  bool released_ = false;
};

// The value of header `name` (any case), "" when absent.
std::string header(const Received& r, const std::string& name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? "" : it->second;
}

struct Lines {
  std::mutex mutex;
  std::vector<std::string> lines;
  ProblemSink sink() {
    return [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(mutex);
      lines.push_back(line);
    };
  }
  std::vector<std::string> get() {
    std::lock_guard<std::mutex> lock(mutex);
    return lines;
  }
};

ReconcileEvent applied() {
  ReconcileEvent event;
  event.kind = ReconcileEventKind::kApplied;
  event.commit = kCommit;
  event.source = "https://git.example.com/ops/deploy ref main path prod";
  event.message = "3 jobs updated";
  event.time_unix = 1796083200;
  event.details = {{"steps", 3}};
  return event;
}

std::unique_ptr<Notifier> make(CurlNotifierOptions options) {
  options.retry.first_backoff = 100ms;  // the default's 1 s and 2 s, shortened
  auto notifier = make_curl_notifier(std::move(options));
  if (!notifier.ok()) FAIL(notifier.error().message);
  return std::move(*notifier);
}

}  // namespace

TEST_CASE("notify: an event arrives as JSON with its headers", "[notify]") {
  TestServer server;
  auto notifier = make({.webhooks = {{server.url("/hooks/deploy")}}, .user_agent = "skiff/test"});
  notifier->notify(applied());
  const NotifierStats stats = notifier->shutdown(5s);
  const std::vector<Received> got = server.wait_for(1);
  REQUIRE(got.size() == 1);
  CHECK(got[0].path == "/hooks/deploy");
  CHECK(got[0].body == event_json(applied()).dump());
  CHECK(nlohmann::json::parse(got[0].body)["event"] == "applied");
  CHECK(header(got[0], "Content-Type") == "application/json");
  CHECK(header(got[0], "User-Agent") == "skiff/test");
  CHECK(got[0].headers.count("Expect") == 0);
  CHECK(stats.delivered == 1);
  CHECK(stats.failed == 0);
}

TEST_CASE("notify: Slack's format, and a started event that webhooks are not sent", "[notify]") {
  TestServer server;
  auto notifier = make({.webhooks = {{server.url("/services/T0/B0/x"), NotifyFormat::kSlack}}});
  ReconcileEvent started = applied();
  started.kind = ReconcileEventKind::kStarted;
  notifier->notify(started);
  notifier->notify(applied());
  CHECK(notifier->shutdown(5s).delivered == 1);
  const std::vector<Received> got = server.wait_for(1);
  REQUIRE(got.size() == 1);
  CHECK(got[0].body == slack_message(applied(), NotifyFormat::kSlack).dump());
}

TEST_CASE("notify: a server answering 500 twice then 200 gets three tries", "[notify]") {
  TestServer server({500, 500});
  Lines lines;
  auto notifier = make({.webhooks = {{server.url("/hook")}}, .on_problem = lines.sink()});
  notifier->notify(applied());
  const NotifierStats stats = notifier->shutdown(10s);
  const std::vector<Received> got = server.wait_for(3);
  REQUIRE(got.size() == 3);
  CHECK(got[1].time - got[0].time >= 100ms);
  CHECK(got[2].time - got[1].time >= 200ms);
  CHECK(got[2].body == got[0].body);
  CHECK(stats.delivered == 1);
  CHECK(lines.get().empty());
}

TEST_CASE("notify: a refusal is not tried again, and the line shows no secret", "[notify]") {
  TestServer server({404, 500, 500, 500});
  Lines lines;
  auto notifier = make({.webhooks = {{server.url("/services/T000/B000/TOPSECRET")}}, .on_problem = lines.sink()});
  notifier->notify(applied());
  notifier->notify(applied());
  const NotifierStats stats = notifier->shutdown(10s);
  CHECK(server.wait_for(4).size() == 4);
  CHECK(stats.failed == 2);
  const std::string host = "webhook http://127.0.0.1:" + server.url("").substr(std::string("http://127.0.0.1:").size()) + "/…";
  CHECK(lines.get() ==
        std::vector<std::string>{host + ": HTTP 404 (gave up after 1 try)", host + ": HTTP 500 (gave up after 3 tries)"});
}

TEST_CASE("notify: a receiver that is not there is told without its path", "[notify]") {
  std::string url;
  {
    TestServer gone;  // a port that was free a moment ago, and is closed now
    url = gone.url("/services/T000/B000/TOPSECRET");
  }
  Lines lines;
  auto notifier = make({.webhooks = {{url}}, .retry = {1, 100ms, 2000ms}, .on_problem = lines.sink()});
  notifier->notify(applied());
  CHECK(notifier->shutdown(5s).failed == 1);
  const std::vector<std::string> got = lines.get();
  REQUIRE(got.size() == 1);
  CHECK(got[0].find("TOPSECRET") == std::string::npos);
  CHECK(got[0].find("(gave up after 1 try)") != std::string::npos);
}

TEST_CASE("notify: a server that never answers holds up neither notify nor shutdown", "[notify]") {
  TestServer server({}, /*hang=*/true);
  Lines lines;
  auto notifier = make({.webhooks = {{server.url("/hook")}}, .on_problem = lines.sink()});
  Clock::time_point began = Clock::now();
  for (int i = 0; i < 5; ++i) notifier->notify(applied());
  CHECK(Clock::now() - began < 100ms);
  REQUIRE(server.wait_for(1).size() == 1);  // the first is in flight, and hangs
  began = Clock::now();
  for (int i = 0; i < 5; ++i) notifier->notify(applied());
  CHECK(Clock::now() - began < 100ms);

  began = Clock::now();
  const NotifierStats stats = notifier->shutdown(300ms);
  const auto took = Clock::now() - began;
  CHECK(took >= 290ms);
  CHECK(took < 1s);
  CHECK(stats.abandoned == 10);
  CHECK(stats.delivered == 0);
  notifier.reset();
  CHECK(lines.get().empty());
}

TEST_CASE("notify: a GitHub commit status posts to the repository's path with the token", "[notify]") {
  TestServer server;
  auto target = commit_status_target(Forge::kGithub, "git@github.com:acme/deploy.git", "ghp_TOKEN\n", server.url("/api/"));
  REQUIRE(target.ok());
  auto notifier = make({.commit_status = *target});
  ReconcileEvent started = applied();
  started.kind = ReconcileEventKind::kStarted;
  ReconcileEvent suspended = applied();
  suspended.kind = ReconcileEventKind::kSuspended;
  notifier->notify(started);
  notifier->notify(suspended);  // sets no status
  notifier->notify(applied());
  CHECK(notifier->shutdown(5s).delivered == 2);
  const std::vector<Received> got = server.wait_for(2);
  REQUIRE(got.size() == 2);
  CHECK(got[0].path == "/api/repos/acme/deploy/statuses/" + kCommit);
  CHECK(header(got[0], "Authorization") == "Bearer ghp_TOKEN");
  CHECK(nlohmann::json::parse(got[0].body) ==
        nlohmann::json{{"state", "pending"}, {"description", "3 jobs updated"}, {"context", "skiff/reconcile"}});
  CHECK(nlohmann::json::parse(got[1].body)["state"] == "success");
}

TEST_CASE("notify: Gitea's and GitLab's commit statuses", "[notify]") {
  TestServer server;
  auto gitea = commit_status_target(Forge::kGitea, "https://gitea.lan/acme/deploy.git", "tok1", server.url("/api/v1"));
  auto gitlab = commit_status_target(Forge::kGitlab, "git@gitlab.lan:group/sub/deploy.git", "tok2", server.url("/api/v4"));
  REQUIRE(gitea.ok());
  REQUIRE(gitlab.ok());
  ReconcileEvent failed = applied();
  failed.kind = ReconcileEventKind::kFailed;
  failed.message = "web: image not found";
  auto to_gitea = make({.commit_status = *gitea});
  to_gitea->notify(failed);
  CHECK(to_gitea->shutdown(5s).delivered == 1);
  auto to_gitlab = make({.commit_status = *gitlab});
  to_gitlab->notify(failed);
  CHECK(to_gitlab->shutdown(5s).delivered == 1);

  const std::vector<Received> got = server.wait_for(2);
  REQUIRE(got.size() == 2);
  CHECK(got[0].path == "/api/v1/repos/acme/deploy/statuses/" + kCommit);
  CHECK(header(got[0], "Authorization") == "token tok1");
  CHECK(nlohmann::json::parse(got[0].body)["state"] == "failure");
  CHECK(got[1].target.rfind("/api/v4/projects/group%2Fsub%2Fdeploy/statuses/" + kCommit + "?state=failed&name=skiff/reconcile&",
                            0) == 0);
  CHECK(header(got[1], "PRIVATE-TOKEN") == "tok2");
  CHECK(got[1].params.find("description")->second == "web: image not found");
}

TEST_CASE("notify: what make_curl_notifier refuses", "[notify]") {
  auto bad = make_curl_notifier({.webhooks = {{"ftp://hooks.example.com/services/SECRET"}}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "--notify ftp://hooks.example.com/… is not an http:// or https:// URL");
  auto none = make_curl_notifier({});
  REQUIRE(none.ok());
  (*none)->notify(applied());
  CHECK((*none)->shutdown(1s).delivered == 0);
}
