locals {
  zones = ["a", "b"]
}
job "web" {
  datacenters = ["dc-${local.zones[2]}"]
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 5:36: error: invalid index: 2 is out of range for a tuple of 2 elements
