job "web" {
  group "g" {
    count = 1,
    task "t" {
      driver = "raw_exec" .
      config {
        command = "true" ]
        args    = ["a" "b"]
      }
    }
  }
}
# expect: 3:14: error: unexpected "," after the value of "count": arguments are separated by newlines, not commas
# expect: 5:28: error: invalid attribute name: a name is required after ".", found end of line
# expect: 7:26: error: unexpected "]" after the value of "command": an argument ends at the end of its line
# expect: 8:24: error: expected "," or "]" after an element of the list, found "b"
