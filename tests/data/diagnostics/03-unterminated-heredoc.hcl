job "web" {
  group "cache" {
    task "redis" {
      driver = "docker"
      template {
        data = <<EOT
port 6379
        destination = "local/redis.conf"
      }
    }
  }
}
# expect: 6:16: error: unterminated heredoc: no line holds only its closing marker "EOT"
