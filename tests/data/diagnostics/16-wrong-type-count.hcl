job "web" {
  group "cache" {
    count = "three"
    task "redis" {
      driver = "docker"
    }
  }
}
# expect: 3:13: error: attribute "count" in group "cache" in job "web" must be a number, not string
