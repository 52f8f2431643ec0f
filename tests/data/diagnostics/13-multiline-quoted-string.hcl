job "web" {
  meta {
    note = "first line
second line"
  }
}
# expect: 3:12: error: unterminated string: missing closing quote
