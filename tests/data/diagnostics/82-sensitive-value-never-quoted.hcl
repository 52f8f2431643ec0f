variable "registry_token" {
  default   = "tok3n with spaces"
  sensitive = true
}

job "web" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = "registry/${var.registry_token}"
      }
    }
  }
}
# expect: 11:17: error: image "(sensitive)" in docker config in task "t" in group "g" in job "web" is not an image reference such as "redis:7" or "ghcr.io/org/app@sha256:..."
