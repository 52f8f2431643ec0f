job "web" {
  group "g" {
    count = -1
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 3:13: error: count in group "g" in job "web" must not be negative
