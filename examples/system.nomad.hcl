# A system job: one copy on every eligible Linux host, like a node exporter.
job "node-exporter" {
  type        = "system"
  datacenters = ["*"]

  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }

  group "exporter" {
    network {
      port "metrics" {
        static = 9100
      }
    }

    service {
      name = "node-exporter"
      port = "metrics"

      check {
        type     = "http"
        path     = "/metrics"
        interval = "30s"
        timeout  = "5s"
      }
    }

    task "exporter" {
      driver = "docker"

      config {
        image        = "prom/node-exporter:v1.8.2"
        network_mode = "host"
        args         = ["--web.listen-address=:${NOMAD_PORT_metrics}"]
      }

      resources {
        cpu    = 50
        memory = 64
      }
    }
  }
}
