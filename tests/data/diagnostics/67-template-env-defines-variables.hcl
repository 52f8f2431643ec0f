job "web" {
  group "g" {
    task "app" {
      driver = "docker"
      config {
        image = "app:1"
        args  = ["--db", "${DB_HOST}:${DB_PORT}", "--key", "${API_KEY}", "${DB_HOTS}"]
      }
      template {
        data        = <<-EOT
          # comment = not a key
          DB_HOST={{ with service "db" }}{{ .Address }}{{ end }}
          export DB_PORT = 5432
          {{ with secret "kv/app" }}API_KEY={{ .Data.key }}{{ end }}
          EOT
        destination = "secrets/app.env"
        env         = true
      }
    }
    task "other" {
      driver = "docker"
      config {
        image = "other:1"
        args  = ["${DB_HOST}"]
      }
    }
    task "dynamic" {
      driver = "docker"
      config {
        image = "dyn:1"
        args  = ["${ANYTHING}"]
      }
      template {
        data        = "{{ range ls \"app\" }}{{ .Key }}={{ .Value }}\n{{ end }}"
        destination = "local/env"
        env         = true
      }
    }
  }
}
# expect: 7:77: warning: unknown runtime variable "DB_HOTS": skiff fills NOMAD_*, attr.*, node.*, meta.*, env, the task's env and the keys of its env templates at run time
# expect: 9:7: error: template in task "app" in group "g" in job "web" is not supported by skiff yet: it does not render templates, so the file would never be written
# expect: 24:21: warning: unknown runtime variable "DB_HOST": skiff fills NOMAD_*, attr.*, node.*, meta.*, env, the task's env and the keys of its env templates at run time
# expect: 33:7: error: template in task "dynamic" in group "g" in job "web" is not supported by skiff yet: it does not render templates, so the file would never be written
