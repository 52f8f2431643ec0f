job "web" {
  group "cache" {
    count = 1
    count = 2
    task "redis" {
      driver = "docker"
    }
  }
}
# expect: 4:5: error: attribute "count" was already set at line 3
