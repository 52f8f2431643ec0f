variable "image" {
  default = "redis:7"
}
job "web" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = var.imag
      }
    }
  }
}
# expect: 9:17: error: reference to undeclared input variable "imag"; did you mean "image"?
