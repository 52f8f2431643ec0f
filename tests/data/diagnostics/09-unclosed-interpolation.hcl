job "web" {
  group "cache" {
    task "redis" {
      driver = "docker"
      env {
        ADDR = "${NOMAD_ADDR_db"
      }
    }
  }
}
# expect: 6:17: error: unclosed interpolation: missing "}" after "${"
