job "web" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "local/app"
      }
      artifact {
        source = "https://example.com/app.tar.gz"
      }
    }
  }
}
# expect: 8:7: error: artifact in task "t" in group "g" in job "web" is not supported by skiff yet: it does not fetch artifacts, so the task would start without them
