variable "replicas" {
  type    = number
  default = "many"
}
job "web" {
  group "g" {
    count = var.replicas
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 1:10: error: invalid value for variable "replicas": a number is required (type number)
