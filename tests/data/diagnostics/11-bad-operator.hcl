job "web" {
  priority = 10 ++ 5
}
# expect: 2:18: error: expected an expression after "+", found "+"
