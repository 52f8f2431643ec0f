variable "image" {
  default = "redis:7"
}
job "web" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = var.image
      }
    }
  }
}
# var: imgae=redis:8
# expect: error: -var imgae=...: no variable "imgae" is declared; did you mean "image"?
