job "web" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name = "web"
      port = "http"
      check {
        type     = "http"
        port     = "admin"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }
    task "app" {
      driver = "raw_exec"
      config { command = "true" }
    }
  }
}
# expect: 11:20: error: check of service "web" in group "web" uses port "admin", which the group's network does not declare
