job "web" {
  group "cache" {
    task "a" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
  group "cache" {
    task "b" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 2:9: error: group "cache" is defined twice in job "web"
