variable "region" {
  type = string
}
job "web" {
  region = var.region
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 1:10: error: variable "region" has no value: give it a default, or set it with -var region=..., a -var-file, or NOMAD_VAR_region
