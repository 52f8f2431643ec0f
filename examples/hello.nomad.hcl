# skiff's main job: a raw_exec service that runs on the built-in `local`
# host, no SSH and no containers needed. It writes a heartbeat file into its
# task directory every few seconds.

variable "interval" {
  type        = number
  default     = 5
  description = "Seconds between heartbeats."
}

job "hello" {
  type        = "service"
  datacenters = ["dc1"]

  group "hello" {
    count = 1

    restart {
      attempts = 3
      interval = "5m"
      delay    = "5s"
      mode     = "delay"
    }

    task "heartbeat" {
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        args = [
          "-c",
          "while true; do date -u +%FT%TZ > \"$NOMAD_TASK_DIR/heartbeat\"; echo \"alive ${NOMAD_ALLOC_ID}\"; sleep ${var.interval}; done",
        ]
      }

      env {
        GREETING = "hello from ${NOMAD_JOB_NAME}"
      }

      resources {
        cpu    = 20
        memory = 16
      }

      logs {
        max_files     = 2
        max_file_size = 1
      }
    }
  }
}
