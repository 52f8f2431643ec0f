job "web" {
  type = "service" priority = 50
  group "cache" {
    task "redis" {
      driver = "docker"
    }
  }
}
# expect: 2:20: error: missing newline after argument: each argument and block must end its line
