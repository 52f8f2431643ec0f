job "web" {
  group "g" {
    restart {
      mode = "retry"
    }
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 4:14: error: restart mode in group "g" in job "web" must be "fail" or "delay", not "retry"
