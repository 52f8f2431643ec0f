job "web" {
  group "cache" {
    count =
    task "redis" {
      driver = "docker"
    }
  }
}
# expect: 3:11: error: attribute "count" has no value
