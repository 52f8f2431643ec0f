# A redis cache: one group, a port labelled "db" mapped to the container's
# 6379, and a TCP health check on it.
job "cache" {
  datacenters = ["dc1"]
  type        = "service"

  update {
    max_parallel     = 1
    min_healthy_time = "10s"
    healthy_deadline = "3m"
    auto_revert      = true
  }

  group "cache" {
    count = 2

    network {
      mode = "bridge"
      port "db" {
        to = 6379
      }
    }

    service {
      name = "redis"
      port = "db"

      check {
        name     = "redis-tcp"
        type     = "tcp"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "redis" {
      driver = "docker"

      config {
        image = "redis:7-alpine"
        ports = ["db"]
        args  = ["--maxmemory", "200mb", "--maxmemory-policy", "allkeys-lru"]
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }
  }
}
