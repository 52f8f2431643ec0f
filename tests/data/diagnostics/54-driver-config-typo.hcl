job "web" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        comand = "sleep"
        args   = ["60"]
      }
    }
  }
}
# expect: 6:9: error: unknown attribute "comand" in raw_exec config in task "t" in group "g" in job "web"; did you mean "command"?
