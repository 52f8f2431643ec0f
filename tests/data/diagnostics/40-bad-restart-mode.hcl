job "web" {
  group "g" {
    restart {
      mode = "retry"
    }
    task "t" {
      driver = "docker"
    }
  }
}
# expect: 4:14: error: restart mode in group "g" in job "web" must be "fail" or "delay", not "retry"
