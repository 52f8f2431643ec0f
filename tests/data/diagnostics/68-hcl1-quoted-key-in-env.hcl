job "web" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = "nginx:1"
        labels {
          "com.example.team" = "web"
        }
      }
      env {
        "A.B" = "x"
        C     = "y"
      }
    }
  }
}
# expect: 8:11: error: this looks like HCL1 syntax (a quoted key in a block body): Nomad 1.x and skiff read HCL2, where a map is an argument: write labels = { "com.example.team" = "web" }
# expect: 12:9: error: this looks like HCL1 syntax (a quoted key in a block body): Nomad 1.x and skiff read HCL2, where a map is an argument: write env = { "A.B" = "x" }
