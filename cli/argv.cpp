#include "cli/argv.hpp"

#include <cctype>

namespace skiff::cli {

namespace {

bool is_one_dash_long_flag(const std::string& arg) {
  if (arg.size() < 3 || arg[0] != '-' || arg[1] == '-') return false;
  if (!std::isalpha(static_cast<unsigned char>(arg[1]))) return false;  // -1, -.5: numbers
  size_t name_end = arg.find('=');
  std::string name = arg.substr(1, name_end == std::string::npos ? std::string::npos : name_end - 1);
  return name.size() >= 2;
}

}  // namespace

std::vector<std::string> normalize_argv(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  bool rest_are_positional = false;
  for (const std::string& arg : args) {
    if (rest_are_positional) {
      out.push_back(arg);
      continue;
    }
    if (arg == "--") rest_are_positional = true;
    out.push_back(is_one_dash_long_flag(arg) ? "-" + arg : arg);
  }
  return out;
}

}  // namespace skiff::cli
