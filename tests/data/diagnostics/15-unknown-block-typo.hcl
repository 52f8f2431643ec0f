job "web" {
  group "cache" {
    tsak "redis" {
      driver = "docker"
    }
  }
}
# expect: 2:3: error: group "cache" in job "web" has no task; a group needs at least one task block
# expect: 3:5: error: unknown block "tsak" in group "cache" in job "web"; did you mean "task"?
