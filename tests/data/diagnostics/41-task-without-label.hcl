job "web" {
  group "g" {
    task {
      driver = "docker"
    }
  }
}
# expect: 3:5: error: block "task" in group "g" in job "web" needs exactly one label, its name
