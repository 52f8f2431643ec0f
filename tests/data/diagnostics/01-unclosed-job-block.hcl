job "web" {
  group "cache" {
    task "redis" {
      driver = "docker"
    }
  }

# expect: 1:1: error: unclosed block "job": missing "}"
