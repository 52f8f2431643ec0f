// Small text helpers every room uses.
#pragma once

#include <string>
#include <string_view>

namespace skiff::base {

// `text` without its trailing spaces, tabs and line ends: what a remote
// command printed on stderr, made fit to end a one-line message.
std::string without_trailing_space(std::string text);

// `text` without its leading and trailing spaces, tabs and line ends: a
// token or secret read from a file that ends in a newline.
std::string trimmed(std::string_view text);

// True for a relative path that names a file below the folder it is
// relative to: not empty, not absolute, no ".." part, not ending in "/" or
// "/." (a value from a job file or a state, before it reaches a host's path).
bool is_file_path_below(std::string_view relative);

// True for a relative path that stays inside the folder it is relative to,
// or at most `levels_up` folders above it (a task's folder may reach its
// allocation's: levels_up 1): no absolute path, no ".." past that.
bool stays_inside(std::string_view relative, int levels_up = 0);

// An environment variable's name as Nomad allows it: a letter or "_", then
// letters, digits, "_", "." or "-". A name with "=", a newline or a leading
// "-" would be read otherwise by `env` on a host.
bool is_env_name(std::string_view name);

// `text` with its control characters (C0, DEL) written as \xNN, so that a
// name or a host's output cannot move the cursor or hide a line.
std::string printable(std::string_view text);

// `text` fit for a terminal: control characters other than newline and
// tab (ESC, CR, BEL, C1 controls, DEL) written as \xNN or \u00NN, so that
// what a host printed can never move the cursor or hide a line.
std::string terminal_safe(std::string_view text);

}  // namespace skiff::base
