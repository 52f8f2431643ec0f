job "web" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = "nginx:1"
      }
      template {
        data        = "listen 80;"
        destination = "local/nginx.conf"
      }
    }
  }
}
# expect: 8:7: error: template in task "t" in group "g" in job "web" is not supported by skiff yet: it does not render templates, so the file would never be written
