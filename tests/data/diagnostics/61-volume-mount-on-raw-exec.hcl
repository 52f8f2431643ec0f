job "db" {
  group "db" {
    volume "data" {
      type   = "host"
      source = "pg-data"
    }
    task "pg" {
      driver = "raw_exec"
      config {
        command = "postgres"
      }
      volume_mount {
        volume      = "data"
        destination = "/var/lib/postgresql"
      }
    }
  }
}
# expect: 12:7: error: volume_mount in task "pg" in group "db" in job "db" is not supported with driver "raw_exec": the task runs on the host's own filesystem and nothing is mounted; use the host_volume's path directly (the inventory names it), or run the task with driver "docker" or "podman"
