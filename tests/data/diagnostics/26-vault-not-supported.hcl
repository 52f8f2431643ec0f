job "web" {
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
      vault {
        policies = ["read-secrets"]
      }
    }
  }
}
# expect: 6:7: error: block "vault" in task "t" in group "g" in job "web" is not supported by skiff
