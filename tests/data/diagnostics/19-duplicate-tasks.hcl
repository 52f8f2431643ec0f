job "web" {
  group "cache" {
    task "redis" {
      driver = "docker"
      config { image = "redis:7" }
    }
    task "redis" {
      driver = "exec"
      config { command = "true" }
    }
  }
}
# expect: 3:10: error: task "redis" is defined twice in group "cache"
