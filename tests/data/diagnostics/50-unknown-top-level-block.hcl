jobs "web" {
  group "g" {
    task "t" {
      driver = "docker"
    }
  }
}
# expect: 1:1: error: unknown block "jobs" in the file; did you mean "job"?
# expect: 1:1: error: no job block: a job file holds one job "name" { ... } block
