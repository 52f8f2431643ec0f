job "web" {
  group "g" {
    restart {
      attempts = 2
      delay    = "15x"
    }
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 5:18: error: attribute "delay" in restart in group "g" in job "web" is not a valid duration: "15x" (use units ns, us, ms, s, m, h, e.g. "1m30s")
