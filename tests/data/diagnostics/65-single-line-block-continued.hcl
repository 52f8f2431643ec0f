job "web" { datacenters = ["dc1"]
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "true"
      }
    }
  }
}
# expect: 1:34: error: invalid single-argument block definition: an argument on the same line as its block's opening brace makes a single-line block, which must also be closed on that line; put the closing brace right after the argument, or the argument on a line of its own
