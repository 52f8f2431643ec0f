job "web" {
  group "g" {
    task "t" {
      driver = "rawexec"
      config {
        command = "sleep"
      }
    }
  }
}
# expect: 4:16: error: driver "rawexec" in task "t" in group "g" in job "web" is not one skiff knows (it runs raw_exec, exec, java, docker and podman); did you mean "raw_exec"?
