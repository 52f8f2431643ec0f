job "web" {
  group "cache" {
    network {
      port "db" {
        to = 6379
      }
    }
    service {
      name = "redis"
      port = "dbb"
    }
    task "redis" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 10:14: error: service "redis" in group "cache" uses port "dbb", which the group's network does not declare; did you mean "db"?
