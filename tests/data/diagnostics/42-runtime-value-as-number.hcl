job "web" {
  group "g" {
    count = "${meta.replicas}"
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 3:13: error: attribute "count" in group "g" in job "web" must be a number, not "${meta.replicas}", which is only known at run time
