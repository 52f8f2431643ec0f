job "web" {
  type = "service"
  periodic {
    crons = ["@daily"]
  }
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 3:3: error: periodic jobs must be of type "batch" or "sysbatch", not "service"
