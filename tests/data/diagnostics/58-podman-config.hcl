job "web" {
  group "g" {
    task "t" {
      driver = "podman"
      config {
        image              = "docker.io/library/redis:7"
        working_dir        = "/data"
        memory_reservation = "128m"
        entrypoint         = "/bin/sh"
        tty                = true
        logging {
          type = "journald"
        }
      }
    }
  }
}
# expect: 10:9: error: "tty" in podman config in task "t" in group "g" in job "web" is not supported by skiff: its podman driver would ignore it
# expect: 12:11: error: "type" in logging in podman config in task "t" in group "g" in job "web": the podman driver's logging takes "driver" and "options"
