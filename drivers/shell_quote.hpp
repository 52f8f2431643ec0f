// Quoting for a POSIX shell: the one builder every remote command goes through.
//
// No value from a job file, inventory or state may reach a shell unquoted
// (see DESIGN.md), so every argument piece is single-quoted here. Inside
// single quotes a POSIX shell interprets nothing, so any byte sequence
// (newlines, `$()`, backticks, UTF-8, invalid UTF-8) survives byte-exact;
// the one byte that cannot appear inside is `'` itself, which is written as
// `'\''` (close, escaped quote, reopen). NUL bytes cannot be passed to a
// program as an argument by any shell; they are the caller's problem.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace skiff::drivers {

// Returns `s` quoted so that a POSIX shell reads it back as exactly one word
// equal to `s`. The empty string becomes ''.
std::string shell_quote(std::string_view s);

// Quotes each piece and joins them with single spaces: the command line a
// shell turns back into exactly `argv`.
std::string shell_join(const std::vector<std::string>& argv);

// A printf FORMAT (POSIX printf(1), to be passed quoted) that prints exactly
// `bytes`, NUL bytes included: `%` doubled, `\` doubled, and every byte
// outside printable ASCII (and a leading `-`) as a three-digit octal escape.
std::string printf_literal(std::string_view bytes);

}  // namespace skiff::drivers
