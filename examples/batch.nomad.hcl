# A batch job: runs to completion three times in parallel; completed
# allocations are not restarted.
job "report" {
  type        = "batch"
  datacenters = ["dc1"]

  group "report" {
    count = 3

    task "render" {
      driver = "raw_exec"

      config {
        command = "/bin/sh"
        args    = ["-c", "echo rendering part ${NOMAD_ALLOC_INDEX} && sleep 2 && echo done"]
      }

      resources {
        cpu    = 50
        memory = 32
      }
    }
  }
}
