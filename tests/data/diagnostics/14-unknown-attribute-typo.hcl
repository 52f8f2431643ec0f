job "web" {
  group "cache" {
    cout = 3
    task "redis" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 3:5: error: unknown attribute "cout" in group "cache" in job "web"; did you mean "count"?
