variable "count" {
  type    = number
  default = 0
  validation {
    condition     = var.count > 0
    error_message = "count must be at least 1."
  }
}
job "web" {
  group "g" {
    count = var.count
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 5:21: error: invalid value for variable "count": count must be at least 1.
