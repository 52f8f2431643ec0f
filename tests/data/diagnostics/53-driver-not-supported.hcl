job "vm" {
  group "g" {
    task "t" {
      driver = "qemu"
      config {
        image_path = "local/linux.img"
      }
    }
  }
}
# expect: 4:16: error: driver "qemu" in task "t" in group "g" in job "vm" is not supported by skiff, which runs raw_exec, exec, java, docker and podman
