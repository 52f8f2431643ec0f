job "web" {
  priorty = 50
  group "g" {
    count = true
    task "t" {
      driver  = "docker"
      config { image = "redis:7" }
      kill_timeout = "soon"
      resources {
        memory = 4
      }
    }
  }
}
# expect: 2:3: error: unknown attribute "priorty" in job "web"; did you mean "priority"?
# expect: 4:13: error: attribute "count" in group "g" in job "web" must be a number, not bool
# expect: 8:22: error: attribute "kill_timeout" in task "t" in group "g" in job "web" is not a valid duration: "soon" (use units ns, us, ms, s, m, h, e.g. "1m30s")
# expect: 9:7: error: resources in task "t" in group "g" in job "web": memory must be at least 10 MB
