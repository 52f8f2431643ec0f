# nginx in front of http-echo. The two tasks share a group, so nginx finds
# the echo server through the NOMAD_ADDR_echo variable that skiff sets for
# every task of the group; its config is rendered from a template.
variable "message" {
  type    = string
  default = "hello from skiff"
}

job "web" {
  datacenters = ["dc1"]

  group "web" {
    count = 1

    network {
      port "http" {
        static = 8080
      }
      port "echo" {}
    }

    service {
      name = "web"
      port = "http"

      check {
        type     = "http"
        path     = "/"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "echo" {
      driver = "docker"

      config {
        image = "hashicorp/http-echo:1.0"
        args  = ["-listen", ":${NOMAD_PORT_echo}", "-text", var.message]
        ports = ["echo"]
      }

      resources {
        cpu    = 50
        memory = 32
      }
    }

    task "nginx" {
      driver = "docker"

      config {
        image   = "nginx:1.27-alpine"
        ports   = ["http"]
        volumes = ["local/default.conf:/etc/nginx/conf.d/default.conf"]
      }

      template {
        destination = "local/default.conf"
        change_mode = "signal"
        change_signal = "SIGHUP"
        data        = <<-EOT
          server {
            listen {{ env "NOMAD_PORT_http" }};
            location / {
              proxy_pass http://{{ env "NOMAD_ADDR_echo" }};
            }
          }
        EOT
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
