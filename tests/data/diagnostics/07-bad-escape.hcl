job "web" {
  group "cache" {
    task "redis" {
      driver = "docker"
      env {
        PATTERN = "C:\data"
      }
    }
  }
}
# expect: 6:22: error: invalid escape sequence "\d": only \n \r \t \" \\ \uNNNN and \UNNNNNNNN are allowed
