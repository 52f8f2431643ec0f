job "a" {
  group "g" {
    task "t" {
      driver = "docker"
    }
  }
}
job "b" {
  group "g" {
    task "t" {
      driver = "docker"
    }
  }
}
# expect: 8:1: error: a job file holds one job block; this is a second one (the first is at line 1)
