# A periodic batch job: every 15 minutes, never two runs at once.
job "cleanup" {
  type        = "batch"
  datacenters = ["dc1"]

  periodic {
    crons            = ["*/15 * * * *"]
    prohibit_overlap = true
    time_zone        = "UTC"
  }

  group "cleanup" {
    task "prune" {
      driver = "exec"

      config {
        command = "/bin/sh"
        args    = ["-c", "find /tmp -name 'skiff-scratch-*' -mmin +60 -delete; echo pruned"]
      }

      resources {
        cpu    = 20
        memory = 16
      }
    }
  }
}
