job "web" {
  group "cache" {
    count = "three"
    task "redis" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 3:13: error: attribute "count" in group "cache" in job "web" must be a number, not string
