// Nomad and Terraform users type long flags with one dash (-json, -var k=v,
// -var-file F, -auto-approve); CLI11 only takes them with two. normalize_argv
// rewrites `-name` and `-name=value` to `--name` forms before CLI11 parses,
// leaving single-letter flags, `-`, negative numbers and everything after
// `--` untouched.
#pragma once

#include <string>
#include <vector>

namespace skiff::cli {

std::vector<std::string> normalize_argv(const std::vector<std::string>& args);

}  // namespace skiff::cli
