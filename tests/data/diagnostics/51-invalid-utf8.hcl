job "café" {
  group "g" {
    task "t" {
      driver = "exec"
    }
  }
}
# expect: 1:9: error: invalid UTF-8 at this byte: HCL files must be UTF-8 text
