job "web" {
  constraint {
    attribute = "${attr.kernel.name}"
    operator  = "~="
    value     = "linux"
  }
  group "g" {
    task "t" {
      driver = "exec"
      config { command = "true" }
    }
  }
}
# expect: 4:17: error: unknown constraint operator "~=" in constraint in job "web"; did you mean "="?
