job "web" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image      = "redis:7"
        privileged = true
        shm_size   = 1024
        port_map {
          db = 6379
        }
        mount {
          type   = "bind"
          source = "local"
          target = "/data"
          bind_options {
            propagation = "rshared"
          }
        }
        mount {
          type   = "nfs"
          target = "/nfs"
        }
      }
    }
  }
}
# expect: 8:9: error: "shm_size" in docker config in task "t" in group "g" in job "web" is not supported by skiff: its docker driver would ignore it
# expect: 9:9: error: "port_map" in docker config in task "t" in group "g" in job "web" is not supported by skiff: its docker driver would ignore it
# expect: 16:11: error: block "bind_options" in mount in docker config in task "t" in group "g" in job "web" is not supported by skiff
# expect: 21:20: error: mount type in docker config in task "t" in group "g" in job "web" must be "bind", "volume" or "tmpfs", not "nfs"
