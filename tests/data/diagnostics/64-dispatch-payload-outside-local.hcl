job "report" {
  type = "batch"
  parameterized {
    payload = "required"
  }
  group "run" {
    task "main" {
      driver = "raw_exec"
      config {
        command = "/usr/local/bin/report"
      }
      dispatch_payload {
        file = "../../alloc.json"
      }
    }
  }
}
# expect: 13:16: error: file in dispatch_payload of task "main" in group "run" in job "report" must name a file inside the task's local/ folder (a relative path without ".."), not "../../alloc.json"
