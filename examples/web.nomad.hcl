# nginx in front of http-echo. The two tasks share a group, so nginx finds
# the echo server through the NOMAD_ADDR_echo variable that skiff sets for
# every task of the group; its config is written by the task's own shell
# at start (skiff does not render templates yet).
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
        command = "/bin/sh"
        args = ["-c", <<-EOT
          printf 'server {\n  listen %s;\n  location / {\n    proxy_pass http://%s;\n  }\n}\n' \
            "$NOMAD_PORT_http" "$NOMAD_ADDR_echo" > /etc/nginx/conf.d/default.conf
          exec nginx -g 'daemon off;'
        EOT
        ]
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
