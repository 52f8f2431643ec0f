job "web" {
  datacenters = ["dc1]
  group "cache" {
    task "redis" {
      driver = "docker"
    }
  }
}
# expect: 2:18: error: unterminated string: missing closing quote
