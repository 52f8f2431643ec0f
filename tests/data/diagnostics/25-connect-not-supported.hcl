job "web" {
  group "api" {
    network {
      mode = "bridge"
    }
    service {
      name = "api"
      port = "9001"
      connect {
        sidecar_service {}
      }
    }
    task "api" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 9:7: error: block "connect" in service "api" in group "api" in job "web" is not supported by skiff
