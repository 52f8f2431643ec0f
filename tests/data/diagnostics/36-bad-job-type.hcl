job "web" {
  type = "daemon"
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 2:10: error: job type in job "web" must be "service", "batch", "system" or "sysbatch", not "daemon"
