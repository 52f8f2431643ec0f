job "web" {
  group "g" {
    task "migrate" {
      lifecycle {
        hook = "prestart"
      }
      driver = "raw_exec"
      config {
        command = "/usr/local/bin/migrate"
      }
    }
    task "web" {
      driver = "docker"
      config {
        image = "nginx:1.25"
      }
    }
  }
}
# expect: 4:7: error: lifecycle hooks beside a container task are not supported: skiff runs hooks in groups of raw_exec, exec and java tasks, and task "web" in group "g" uses driver "docker"; run the hook's work in the container's entrypoint, or run the hook and its main tasks as raw_exec or exec tasks
