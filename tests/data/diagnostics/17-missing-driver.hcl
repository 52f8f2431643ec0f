job "web" {
  group "cache" {
    task "redis" {
      config {
        image = "redis:7"
      }
    }
  }
}
# expect: 4:7: error: task "redis" in group "cache" in job "web" is missing the required attribute "driver"
