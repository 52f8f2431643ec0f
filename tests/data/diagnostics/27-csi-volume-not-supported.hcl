job "web" {
  group "g" {
    volume "data" {
      type            = "csi"
      source          = "ebs-vol"
      access_mode     = "single-node-writer"
      attachment_mode = "file-system"
    }
    task "t" {
      driver = "docker"
      config { image = "redis:7" }
    }
  }
}
# expect: 3:5: error: volume "data" in group "g" in job "web" is a CSI volume; CSI volumes are not supported by skiff
# expect: 6:7: warning: attribute "access_mode" in volume "data" in group "g" in job "web" is not supported by skiff and has no effect
# expect: 7:7: warning: attribute "attachment_mode" in volume "data" in group "g" in job "web" is not supported by skiff and has no effect
