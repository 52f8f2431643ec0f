job "web" {
  group "g" {
    constraint {
      attribute = "${meta.rack}"
      operator  = "regex"
      value     = "r[12]"
    }
    task "t" {
      driver = "exec"
      config { command = "true" }
    }
  }
}
# expect: 5:19: error: unknown constraint operator "regex" in constraint in group "g" in job "web"; did you mean "regexp"?
