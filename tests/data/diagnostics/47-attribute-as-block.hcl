job "web" {
  group "g" {
    count {
      value = 2
    }
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 3:5: error: unknown block "count" in group "g" in job "web"; "count" is an attribute here: count = ...
