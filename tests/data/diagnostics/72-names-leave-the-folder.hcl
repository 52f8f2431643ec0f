job "my job" {
  group ".." {
    network {
      port "a/b" {}
    }
    volume "x\\y" {
      type   = "host"
      source = "data"
    }
    task "../../../../tmp/sec/escaped" {
      driver = "raw_exec"
      config {
        command = "true"
      }
      service {
        name = "web/x"
        port = "a/b"
        check {
          name     = "c\u0007"
          type     = "tcp"
          interval = "10s"
          timeout  = "2s"
        }
      }
      service {
        name = "db-${meta["a/b"]}"
        port = "a/b"
      }
    }
  }
  group "${a/b}" {
    task "" {
      driver = "raw_exec"
      config {
        command = "true"
      }
    }
  }
}
# expect: 1:5: error: job ID "my job" may not contain spaces: skiff uses names in paths and variables on the hosts
# expect: 2:9: error: group name ".." may not be "." or "..": skiff uses names in paths and variables on the hosts
# expect: 4:12: error: port label "a/b" may not contain "/": skiff uses names in paths and variables on the hosts
# expect: 6:12: error: volume name "x\y" may not contain "\": skiff uses names in paths and variables on the hosts
# expect: 10:10: error: task name "../../../../tmp/sec/escaped" may not contain "/": skiff uses names in paths and variables on the hosts
# expect: 16:16: error: service name "web/x" may not contain "/": skiff uses names in paths and variables on the hosts
# expect: 19:22: error: check name "c\x07" may not contain control characters: skiff uses names in paths and variables on the hosts
# expect: 31:9: error: group name "${a/b}" may not contain "/": skiff uses names in paths and variables on the hosts
# expect: 32:10: error: task name "" is empty: skiff uses names in paths and variables on the hosts
