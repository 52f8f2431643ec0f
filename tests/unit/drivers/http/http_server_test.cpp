// The HTTP server the reconcile loop serves with, on loopback: routes by
// method and path, 404 and 405, bodies past the limit refused before any
// handler runs, headers lower-cased; and --listen's address forms.
#include "drivers/http/http_server.hpp"

#include <httplib.h>

#include <atomic>
#include <catch2/catch.hpp>

using namespace skiff::drivers;

TEST_CASE("http server: routes, 404, 405, body limit, headers, peer address", "[http_server]") {
  std::atomic<int> calls{0};
  HttpServerOptions options;
  options.address = "127.0.0.1:0";
  options.max_body = 100;
  options.routes[{"POST", "/hooks/github"}] = [&calls](const HttpRequest& r) {
    ++calls;
    return HttpResponse{202, "text/plain",
                        r.method + " " + r.path + " " + r.remote_address + " " + r.headers.at("x-github-event") + " " + r.body};
  };
  options.routes[{"GET", "/healthz"}] = [](const HttpRequest&) { return HttpResponse{200, "text/plain", "ok"}; };
  auto started = HttpServer::start(options);
  REQUIRE(started.ok());
  std::unique_ptr<HttpServer> server = std::move(*started);
  CHECK(server->port() > 0);
  CHECK(server->address() == "127.0.0.1:" + std::to_string(server->port()));

  httplib::Client client("127.0.0.1", server->port());
  auto posted = client.Post("/hooks/github", httplib::Headers{{"X-GitHub-Event", "push"}}, "{}", "application/json");
  REQUIRE(posted);
  CHECK(posted->status == 202);
  CHECK(posted->body == "POST /hooks/github 127.0.0.1 push {}");
  CHECK(client.Get("/healthz")->body == "ok");
  CHECK(client.Get("/metrics")->status == 404);
  CHECK(client.Get("/hooks/github")->status == 405);
  auto large = client.Post("/hooks/github", httplib::Headers{{"X-GitHub-Event", "push"}}, std::string(101, 'x'), "text/plain");
  REQUIRE(large);
  CHECK(large->status == 413);
  CHECK(calls == 1);

  // A second server cannot take the same port.
  HttpServerOptions again;
  again.address = server->address();
  auto taken = HttpServer::start(again);
  REQUIRE_FALSE(taken.ok());
  CHECK_THAT(taken.error().message, Catch::Contains("cannot listen on 127.0.0.1:"));
}

TEST_CASE("--listen addresses: host and port, v6 in brackets, every address, loopback or not", "[http_server]") {
  CHECK(split_listen_address("127.0.0.1:9090").value() == std::make_pair(std::string("127.0.0.1"), 9090));
  CHECK(split_listen_address("[::1]:9090").value() == std::make_pair(std::string("::1"), 9090));
  CHECK(split_listen_address(":9090").value() == std::make_pair(std::string("0.0.0.0"), 9090));
  CHECK_FALSE(split_listen_address("127.0.0.1").ok());
  CHECK_FALSE(split_listen_address("127.0.0.1:").ok());
  CHECK_FALSE(split_listen_address("127.0.0.1:70000").ok());
  CHECK_FALSE(split_listen_address("127.0.0.1:http").ok());
  CHECK_FALSE(split_listen_address("[::1:9090").ok());
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.1.2.3"));
  CHECK(is_loopback_host("::1"));
  CHECK(is_loopback_host("localhost"));
  CHECK_FALSE(is_loopback_host("0.0.0.0"));
  CHECK_FALSE(is_loopback_host("10.0.0.1"));
  CHECK_FALSE(is_loopback_host("::"));
}
