job "web" {
  group "cache" {
    task "redis" {
      driver = "docker"
    }
    task "redis" {
      driver = "exec"
    }
  }
}
# expect: 3:10: error: task "redis" is defined twice in group "cache"
