job "web" {
  datacenters = ["dc1"]
}
# expect: 1:1: error: job "web" has no group; a job needs at least one group block
