job "web" {
  group "g" {
    count = parseint("12abc", 10)
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 3:22: error: in call to parseint: Invalid value for "number" parameter: cannot parse "12abc" as a base 10 integer.
