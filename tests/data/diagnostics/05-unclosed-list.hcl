job "web" {
  datacenters = ["dc1", "dc2"
  group "cache" {
    task "redis" {
      driver = "docker"
    }
  }
}
# expect: 2:17: error: unclosed list: missing "]"
