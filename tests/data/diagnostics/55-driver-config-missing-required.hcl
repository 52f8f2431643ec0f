job "web" {
  group "g" {
    task "db" {
      driver = "docker"
      config {
        command = "redis-server"
      }
    }
    task "app" {
      driver = "java"
      config {
        jvm_options = ["-Xmx256m"]
      }
    }
    task "sh" {
      driver = "exec"
    }
  }
}
# expect: 6:9: error: docker config in task "db" in group "g" in job "web" is missing the required attribute "image"
# expect: 12:9: error: java config in task "app" in group "g" in job "web" needs "jar_path" or "class"
# expect: 15:5: error: task "sh" in group "g" in job "web" has no config block; driver "exec" needs config { command = ... }
