job "db" {
  group "db" {
    volume "data" {
      type   = "host"
      source = "mysql-data"
    }
    task "mysql" {
      driver = "docker"
      config { image = "redis:7" }
      volume_mount {
        volume      = "dta"
        destination = "/var/lib/mysql"
      }
    }
  }
}
# expect: 11:23: error: volume_mount in task "mysql" in group "db" names volume "dta", which group "db" does not declare; did you mean "data"?
