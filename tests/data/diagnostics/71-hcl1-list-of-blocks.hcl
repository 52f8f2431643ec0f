job "web" {
  constraint = [{
    attribute = "${attr.kernel.name}"
    value     = "linux"
  }]
  group "g" {
    task "t" {
      driver = "raw_exec"
      config {
        command = "true"
      }
    }
  }
}
# expect: 2:3: error: unknown attribute "constraint" in job "web"; this looks like HCL1 syntax (a list of blocks written as [{ ... }]): Nomad 1.x and skiff read HCL2, where each is a block of its own: constraint { ... }
