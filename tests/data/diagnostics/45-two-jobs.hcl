job "a" {
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
job "b" {
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 9:1: error: a job file holds one job block; this is a second one (the first is at line 1)
