job "web" {
  group "g" {
    network { port "db" {} }
    task "t" {
      driver = "raw_exec"
      config { command = "true" }
    }
  }
}
# expect: 3:15: error: invalid single-argument block definition: a single-line block can hold only a single argument; put the nested block "port" on a line of its own within its parent block
