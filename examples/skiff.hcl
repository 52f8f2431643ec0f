# skiff's project file: where the job files and the inventory are, how
# state is kept, and how hosts are reached.
jobs      = ["."]
inventory = "hosts.hcl"

state {
  backend = "local"
  path    = ".skiff/state.json"
}

ssh {
  strict_host_key_checking = "yes"
  connect_timeout          = "10s"
  parallelism              = 64
}
