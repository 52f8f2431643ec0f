job "web" {
  type = "daemon"
  group "g" {
    task "t" {
      driver = "docker"
    }
  }
}
# expect: 2:10: error: job type in job "web" must be "service", "batch", "system" or "sysbatch", not "daemon"
