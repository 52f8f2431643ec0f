#include "base/signals.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace skiff::base {

std::optional<std::string> signal_name(std::string_view name) {
  static constexpr std::array<std::string_view, 31> kNames = {"HUP",  "INT",    "QUIT", "ILL",   "TRAP", "ABRT", "BUS",  "FPE",
                                                              "KILL", "USR1",   "SEGV", "USR2",  "PIPE", "ALRM", "TERM", "STKFLT",
                                                              "CHLD", "CONT",   "STOP", "TSTP",  "TTIN", "TTOU", "URG",  "XCPU",
                                                              "XFSZ", "VTALRM", "PROF", "WINCH", "IO",   "PWR",  "SYS"};
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper.rfind("SIG", 0) == 0) upper.erase(0, 3);
  if (std::find(kNames.begin(), kNames.end(), upper) == kNames.end()) return std::nullopt;
  return upper;
}

}  // namespace skiff::base
