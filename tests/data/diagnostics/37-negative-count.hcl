job "web" {
  group "g" {
    count = -1
    task "t" {
      driver = "docker"
    }
  }
}
# expect: 3:13: error: count in group "g" in job "web" must not be negative
