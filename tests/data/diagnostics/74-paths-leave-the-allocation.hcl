job "web" {
  group "g" {
    task "c" {
      driver = "docker"
      config {
        image   = "alpine:3"
        volumes = ["../../../../etc:/hostetc", "../alloc/data:/data", "/srv/x:/x"]
        mount {
          type   = "bind"
          source = "../../secret"
          target = "/s"
        }
      }
      artifact {
        source      = "https://example.com/a.tgz"
        destination = "../../../tmp/a"
      }
      template {
        data        = "x"
        destination = "/../../etc/cron.d/x"
      }
    }
    task "j" {
      driver = "java"
      config {
        jar_path   = "../../../../opt/other.jar"
        class_path = "local/a.jar:../../b.jar"
      }
    }
  }
}
# expect: 7:19: error: volume source "../../../../etc" in docker config in task "c" in group "g" in job "web" leaves the allocation's folder: a relative path is taken from the task's folder
# expect: 10:20: error: bind source "../../secret" in mount in docker config in task "c" in group "g" in job "web" leaves the allocation's folder: a relative path is taken from the task's folder
# expect: 14:7: error: artifact in task "c" in group "g" in job "web" is not supported by skiff yet: it does not fetch artifacts, so the task would start without them
# expect: 16:23: error: destination "../../../tmp/a" in artifact in task "c" in group "g" in job "web" leaves the allocation's folder: it is taken from the task's folder
# expect: 18:7: error: template in task "c" in group "g" in job "web" is not supported by skiff yet: it does not render templates, so the file would never be written
# expect: 20:23: error: destination "/../../etc/cron.d/x" in template in task "c" in group "g" in job "web" leaves the allocation's folder: it is taken from the task's folder
# expect: 26:22: error: jar_path "../../../../opt/other.jar" in java config in task "j" in group "g" in job "web" leaves the allocation's folder: a relative path is taken from the task's folder
# expect: 27:22: error: class_path "../../b.jar" in java config in task "j" in group "g" in job "web" leaves the allocation's folder: a relative path is taken from the task's folder
