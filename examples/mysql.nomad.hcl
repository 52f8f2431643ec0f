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

      # skiff does not render templates yet: the image makes a random root
      # password and prints it once in the task's log (skiff alloc logs).
      env {
        MYSQL_RANDOM_ROOT_PASSWORD = "yes"
      }

      resources {
        cpu    = 500
        memory = 1024
      }
    }
  }
}
