// Path arithmetic in the manner of Go's path/filepath on Unix, and the glob
// matching of github.com/bmatcuk/doublestar (v1), which fileset() uses.
// Internal to the function table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::parser {

// filepath.Clean: "", ".", ".." and duplicate slashes resolved lexically.
std::string clean_path(std::string_view path);
// filepath.Join of two elements (cleaned).
std::string join_path(std::string_view a, std::string_view b);
// filepath.Base and filepath.Dir.
std::string base_name(std::string_view path);
std::string dir_name(std::string_view path);
bool is_absolute(std::string_view path);
// True when `path` is `root` or lies below it; both clean and absolute.
bool path_within(std::string_view path, std::string_view root);
// The relative path from `from` to `to` (both clean and absolute).
std::string relative_path(std::string_view from, std::string_view to);

// Expands {a,b} alternatives (nested too) into plain glob patterns.
std::vector<std::string> expand_braces(std::string_view pattern);
// The leading components of a (brace-free) pattern that hold no glob
// metacharacters, e.g. "/jobs/templates" for "/jobs/templates/**/*.tpl".
std::string literal_prefix(std::string_view pattern);
// Matches a '/'-separated path against a brace-free pattern where "**" as a
// whole component matches any number of directories, and "*", "?", "[...]"
// and "\x" work within one component. nullopt when the pattern is malformed.
std::optional<bool> glob_match(std::string_view pattern, std::string_view path);

}  // namespace skiff::parser
