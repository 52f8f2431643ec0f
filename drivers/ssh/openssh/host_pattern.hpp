// OpenSSH host patterns, shared by ssh_config `Host` lines and known_hosts
// host lists: `*` matches any run of bytes, `?` exactly one, and a pattern
// starting with `!` negates. Matching is case-insensitive (OpenSSH lowercases
// host names before matching).
#pragma once

#include <string_view>
#include <vector>

namespace skiff::drivers {

enum class PatternMatch { kNoMatch, kMatch, kNegated };

// One pattern without `!`.
bool match_pattern(std::string_view text, std::string_view pattern);

// A list of patterns, some maybe negated. As in OpenSSH's
// match_pattern_list(): a matching negated pattern wins over everything
// (kNegated), else any matching positive pattern gives kMatch.
PatternMatch match_pattern_list(std::string_view text, const std::vector<std::string_view>& patterns);

// Splits "a,b,!c" on commas (known_hosts host fields).
std::vector<std::string_view> split_commas(std::string_view list);

}  // namespace skiff::drivers
