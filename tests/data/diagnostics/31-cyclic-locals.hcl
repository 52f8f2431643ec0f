locals {
  a = "${local.b}-x"
  b = local.c
  c = local.a
}
job "web" {
  meta {
    name = local.a
  }
  group "g" {
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 2:3: error: cycle in local values: local.a -> local.b -> local.c -> local.a
