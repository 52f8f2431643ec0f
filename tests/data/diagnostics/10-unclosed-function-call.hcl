job "web" {
  datacenters = concat(["dc1"], ["dc2"]
}
# expect: 2:23: error: unclosed "(": missing ")"
