job "web" {
  priority = 10 ++ 5
}
# expect: 2:18: error: syntax error: unexpected "+" in attribute "priority"
