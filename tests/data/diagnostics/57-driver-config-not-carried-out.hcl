job "web" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image      = "redis:7"
        privileged = true
        mount {
          type   = "bind"
          source = "local"
          target = "/data"
        }
      }
    }
  }
}
# expect: 7:9: error: "privileged" in docker config in task "t" in group "g" in job "web" is not supported by skiff: its docker driver would ignore it
# expect: 8:9: error: "mount" in docker config in task "t" in group "g" in job "web" is not supported by skiff: its docker driver would ignore it
