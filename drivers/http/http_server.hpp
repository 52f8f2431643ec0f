// HttpServer: a small HTTP/1.1 server for the reconcile loop's webhooks,
// metrics and health endpoints, on cpp-httplib (Debian's libcpp-httplib):
// skiff writes no HTTP parsing of its own. Routes are exact paths; the
// handlers run on the server's worker threads, so whatever they share with
// the loop must be guarded by its owner.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "base/result.hpp"

namespace skiff::drivers {

struct HttpRequest {
  std::string method;  // "GET", "POST"
  std::string path;
  std::string remote_address;                  // the peer's IP address
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  std::string address;        // "127.0.0.1:9090", "[::1]:9090", ":9090" (every address), port 0: any free one
  size_t max_body = 1 << 20;  // larger bodies get 413 before any handler runs
  // (method, path) -> handler; other paths get 404, other methods 405.
  std::map<std::pair<std::string, std::string>, HttpHandler> routes;
};

class HttpServer {
 public:
  // Listening when it returns (an address in use or malformed is an error).
  static Result<std::unique_ptr<HttpServer>> start(HttpServerOptions options);
  virtual ~HttpServer() = default;  // stops: no handler runs after it returns

  virtual int port() const = 0;
  // "127.0.0.1:9090", as bound.
  virtual std::string address() const = 0;
};

// Splits "host:port" (host may be [v6], empty for every address) as
// --listen takes it; the host is returned without brackets.
Result<std::pair<std::string, int>> split_listen_address(const std::string& address);

// Whether `host` (from split_listen_address) is a loopback address only.
bool is_loopback_host(const std::string& host);

}  // namespace skiff::drivers
