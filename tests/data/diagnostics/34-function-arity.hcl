job "web" {
  datacenters = [join(",")]
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 2:18: error: Call to function "join" failed: at least one list is required.
