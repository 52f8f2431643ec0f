job "web" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image      = "redis:7"
        args       = "--appendonly yes"
        force_pull = "always"
        labels     = ["a"]
      }
    }
  }
}
# expect: 7:22: error: attribute "args" in docker config in task "t" in group "g" in job "web" must be a list of strings, not string
# expect: 8:22: error: attribute "force_pull" in docker config in task "t" in group "g" in job "web" must be a bool, not string
# expect: 9:22: error: attribute "labels" in docker config in task "t" in group "g" in job "web" must be a map of strings, not tuple
