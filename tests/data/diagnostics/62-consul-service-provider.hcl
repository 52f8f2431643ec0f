job "web" {
  group "g" {
    network {
      port "http" {}
    }
    service {
      name     = "web"
      port     = "http"
      provider = "consul"
      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "python3"
        args    = ["-m", "http.server", "${NOMAD_PORT_http}"]
      }
    }
  }
}
# expect: 9:18: warning: provider "consul" in service "web" in group "g" in job "web": skiff is the registry and registers nothing in Consul; the service and its checks are kept in skiff's state (provider = "nomad" says so)
