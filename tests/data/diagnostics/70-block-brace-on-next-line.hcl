job "web" {
  group "g"
  {
    task "t" {
      driver = "raw_exec"
      config {
        command = "true"
      }
    }
  }
  meta {
    owner "me"
  }
}
# expect: 2:12: error: block "group" needs its opening "{" on the same line as its type and labels
# expect: 12:15: error: block "owner" needs its opening "{" on the same line as its type and labels
