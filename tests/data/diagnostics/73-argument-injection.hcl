job "web" {
  group "g" {
    task "c" {
      driver      = "docker"
      kill_signal = "SIGTERM; rm -rf /"
      config {
        image = "--privileged"
      }
      env = {
        "-i"        = "x"
        "A=B"       = "y"
        "OK.NAME-1" = "z"
      }
    }
    task "r" {
      driver      = "raw_exec"
      kill_signal = "sigusr1"
      config {
        command = "true"
      }
    }
  }
}
# expect: 5:21: error: kill_signal "SIGTERM; rm -rf /" in task "c" in group "g" in job "web" is not a signal name: write one such as "SIGTERM", "SIGINT" or "SIGHUP"
# expect: 7:17: error: image "--privileged" in docker config in task "c" in group "g" in job "web" is not an image reference such as "redis:7" or "ghcr.io/org/app@sha256:..."
# expect: 9:13: error: "-i" in env of task "c" in group "g" in job "web" is not a variable name: start with a letter or "_", then letters, digits, "_", "." or "-"
# expect: 9:13: error: "A=B" in env of task "c" in group "g" in job "web" is not a variable name: start with a letter or "_", then letters, digits, "_", "." or "-"
