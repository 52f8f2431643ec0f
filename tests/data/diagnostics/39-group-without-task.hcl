job "web" {
  group "g" {
    count = 1
  }
}
# expect: 2:3: error: group "g" in job "web" has no task; a group needs at least one task block
