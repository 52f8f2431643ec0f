// Version constraints for the `version` and `semver` constraint operators:
// "1.2.3" checked against ">= 1.2, < 2.0" (comma-separated, every part must
// hold; operators = != > >= < <= ~>, a part without an operator means =).
//
// Versions: an optional "v", dot-separated numeric segments (any number for
// `version`, at most three for `semver`), an optional "-prerelease" of
// dot-separated identifiers and an optional "+metadata", which is ignored.
// Missing segments count as zero, so "1.2" = "1.2.0".
//
// Ordering follows SemVer 2.0: segments numerically, then a prerelease sorts
// before the release, identifiers compare numerically when both are numbers,
// a number sorts before a word, and a shorter list of identifiers sorts first.
//
// Prereleases differ between the two operators, as in Nomad:
// - `version` (hashicorp/go-version): a prerelease version only matches a
//   part that names a prerelease of the very same segments, so ">= 1.0"
//   does not match "1.5.0-beta1", and ">= 1.5.0-alpha" matches
//   "1.5.0-beta1" but not "1.6.0-beta1".
// - `semver`: plain SemVer ordering, so ">= 1.0" matches "1.5.0-beta1".
//
// "~> 1.2" means >= 1.2 and < 2; "~> 1.2.3" means >= 1.2.3 and < 1.3:
// every segment the part names but the last must be equal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::reconciler::scheduler {

struct Version {
  std::vector<int64_t> segments;
  std::vector<std::string> prerelease;  // identifiers; empty for a release
};

enum class VersionFlavor { kVersion, kSemver };

std::optional<Version> parse_version(std::string_view text, VersionFlavor flavor);

// <0, 0, >0 as a is older, the same, newer than b.
int compare_versions(const Version& a, const Version& b);

// Whether `version` satisfies every part of `constraint`; false when either
// does not parse (Nomad treats an unparsable version as not matching).
bool version_matches(std::string_view version, std::string_view constraint, VersionFlavor flavor);

}  // namespace skiff::reconciler::scheduler
