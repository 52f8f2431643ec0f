job "web" {
  group "cache" {
    task "a" {
      driver = "docker"
    }
  }
  group "cache" {
    task "b" {
      driver = "docker"
    }
  }
}
# expect: 2:9: error: group "cache" is defined twice in job "web"
