job "web" {
  meta {
    owner = "caf\u00zz"
  }
}
# expect: 3:17: error: invalid escape sequence: \u must be followed by 4 hexadecimal digits
