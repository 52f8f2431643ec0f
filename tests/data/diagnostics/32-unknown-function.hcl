job "web" {
  datacenters = [lowercase("DC1")]
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 2:18: error: call to unknown function "lowercase"
