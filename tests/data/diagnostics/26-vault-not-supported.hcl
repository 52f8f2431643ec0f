job "web" {
  group "g" {
    task "t" {
      driver = "docker"
      vault {
        policies = ["read-secrets"]
      }
    }
  }
}
# expect: 5:7: error: block "vault" in task "t" in group "g" in job "web" is not supported by skiff
