variable "pw" {
  default   = "x"
  sensitive = "yes"
}

job "web" {
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
# expect: 3:15: error: sensitive must be true or false, not string
