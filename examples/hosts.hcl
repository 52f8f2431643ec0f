# An example inventory: three hosts reached over SSH. Values in defaults {}
# apply to every host; a host's own values win and meta maps merge.
defaults {
  user          = "deploy"
  port          = 22
  identity_file = "~/.ssh/id_ed25519"
  datacenter    = "dc1"
  data_dir      = "/var/lib/skiff"

  meta {
    rack = "r1"
  }
}

host "web-1" {
  address = "10.0.0.11"
  meta {
    disk-type = "hdd"
  }
}

host "web-2" {
  address = "10.0.0.12"
  meta {
    disk-type = "hdd"
    rack      = "r2"
  }
}

host "db-1" {
  address    = "10.0.0.21"
  node_class = "database"

  meta {
    disk-type = "ssd"
  }

  host_volume "mysql-data" {
    path      = "/srv/mysql"
    read_only = false
  }

  resources {
    memory = 8192
  }
}
