#include "drivers/http/http_server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <thread>

namespace skiff::drivers {

namespace {

HttpRequest request_of(const httplib::Request& in) {
  HttpRequest out{in.method, in.path, in.remote_addr, {}, in.body};
  for (const auto& [name, value] : in.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    out.headers.emplace(std::move(lower), value);
  }
  return out;
}

class LibHttpServer : public HttpServer {
 public:
  LibHttpServer(std::string host, HttpServerOptions options) : host_(std::move(host)), routes_(std::move(options.routes)) {
    // SO_REUSEADDR alone: a restarted loop binds again past TIME_WAIT, but a
    // second loop on the same port fails rather than share it (the
    // library's default, SO_REUSEPORT, would split the requests between
    // them).
    server_.set_socket_options([](int sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    server_.set_payload_max_length(options.max_body);
    server_.set_read_timeout(10, 0);
    server_.set_write_timeout(10, 0);
    // One dispatcher for every method: the route table decides, so an
    // unknown method on a known path is 405 rather than 404.
    auto dispatch = [this](const httplib::Request& req, httplib::Response& res) { serve(req, res); };
    server_.Get(".*", dispatch);
    server_.Post(".*", dispatch);
    server_.Put(".*", dispatch);
    server_.Delete(".*", dispatch);
  }

  ~LibHttpServer() override {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  Status listen(int port) {
    port_ = port == 0 ? server_.bind_to_any_port(host_) : (server_.bind_to_port(host_, port) ? port : -1);
    if (port_ <= 0) return make_error(ErrorCode::kUnavailable, "cannot listen on " + shown_host() + ":" + std::to_string(port));
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() does nothing before the accept loop runs: wait for it, so
    // that a server destroyed at once is not left waiting in a join.
    for (int i = 0; i < 1000 && !server_.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return {};
  }

  int port() const override { return port_; }
  std::string address() const override { return shown_host() + ":" + std::to_string(port_); }

 private:
  std::string shown_host() const { return host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_; }

  void serve(const httplib::Request& req, httplib::Response& res) {
    auto route = routes_.find({req.method, req.path});
    if (route == routes_.end()) {
      const bool known_path =
          std::any_of(routes_.begin(), routes_.end(), [&](const auto& r) { return r.first.second == req.path; });
      res.status = known_path ? 405 : 404;
      res.set_content(known_path ? "method not allowed\n" : "not found\n", "text/plain; charset=utf-8");
      return;
    }
    HttpResponse out = route->second(request_of(req));
    res.status = out.status;
    res.set_content(out.body, out.content_type.c_str());
  }

  std::string host_;
  std::map<std::pair<std::string, std::string>, HttpHandler> routes_;
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
};

}  // namespace

Result<std::pair<std::string, int>> split_listen_address(const std::string& address) {
  const size_t colon = address.rfind(':');
  auto bad = [&address] {
    return make_error(ErrorCode::kInvalidArgument,
                      "listen address \"" + address + "\" is not HOST:PORT (e.g. 127.0.0.1:9090, [::1]:9090)");
  };
  if (colon == std::string::npos) return bad();
  std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); }))
    return bad();
  const int number = std::stoi(port);
  if (number > 65535) return bad();
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.find_first_of("[]") != std::string::npos) return bad();
  if (host.empty()) host = "0.0.0.0";
  return std::make_pair(host, number);
}

bool is_loopback_host(const std::string& host) { return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0; }

Result<std::unique_ptr<HttpServer>> HttpServer::start(HttpServerOptions options) {
  Result<std::pair<std::string, int>> where = split_listen_address(options.address);
  if (!where.ok()) return where.error();
  auto server = std::make_unique<LibHttpServer>(where->first, std::move(options));
  if (Status listening = server->listen(where->second); !listening.ok()) return listening.error();
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace skiff::drivers
