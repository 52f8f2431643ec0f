# MySQL on hosts that offer the "mysql-data" host volume (see hosts.hcl),
# pinned to SSD hosts.
job "mysql" {
  datacenters = ["dc1"]

  constraint {
    attribute = "${meta.disk-type}"
    value     = "ssd"
  }

  group "db" {
    count = 1

    volume "data" {
      type      = "host"
      source    = "mysql-data"
      read_only = false
    }

    network {
      port "mysql" {
        static = 3306
      }
    }

    service {
      name = "mysql"
      port = "mysql"

      check {
        type     = "tcp"
        interval = "15s"
        timeout  = "3s"
      }
    }

    task "mysql" {
      driver = "docker"

      volume_mount {
        volume      = "data"
        destination = "/var/lib/mysql"
      }

      config {
        image = "mysql:8.4"
        ports = ["mysql"]
      }

      env {
        MYSQL_ROOT_PASSWORD_FILE = "/secrets/root-password"
      }

      template {
        destination = "secrets/root-password"
        perms       = "0600"
        data        = "change-me-${NOMAD_ALLOC_ID}"
      }

      resources {
        cpu    = 500
        memory = 1024
      }
    }
  }
}
