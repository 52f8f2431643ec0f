// The rooms and who may include whom (shared/DESIGN.md): the pure core
// (parser/, state/, reconciler/) never includes an I/O library's header or
// a file under drivers/ssh/, and base/ includes nothing of skiff's but
// itself. A source file that breaks a rule fails here with its line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Include {
  std::string file;  // relative to the source tree
  int line = 0;
  std::string target;
};

// Every #include in every C++ file below `room`.
std::vector<Include> includes_below(const std::string& room) {
  static const std::regex kInclude(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::vector<Include> found;
  const fs::path top(SKIFF_SOURCE_DIR);
  for (const auto& entry : fs::recursive_directory_iterator(top / room)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp" && ext != ".h")) continue;
    std::ifstream in(entry.path());
    std::string text;
    for (int line = 1; std::getline(in, text); ++line) {
      std::smatch m;
      if (std::regex_search(text, m, kInclude)) {
        found.push_back({fs::relative(entry.path(), top).string(), line, m[1]});
      }
    }
  }
  return found;
}

bool is_io_library(const std::string& target) {
  static const std::regex kForbidden(R"(^(libssh2.*|git2\.h|git2/.*|curl/.*|httplib\.h|drivers/ssh/.*)$)");
  return std::regex_match(target, kForbidden);
}

}  // namespace

TEST_CASE("the pure core includes no I/O library and nothing of drivers/ssh", "[layering]") {
  for (const char* room : {"parser", "state", "reconciler"}) {
    const std::vector<Include> found = includes_below(room);
    CHECK(found.size() > 10);  // the walk really read the room
    for (const Include& inc : found) {
      INFO(inc.file << ":" << inc.line << ": #include " << inc.target);
      CHECK_FALSE(is_io_library(inc.target));
    }
  }
}

TEST_CASE("base/ depends on nothing of skiff's but itself", "[layering]") {
  for (const Include& inc : includes_below("base")) {
    INFO(inc.file << ":" << inc.line << ": #include " << inc.target);
    // OpenSSL's hashes and the header-only nlohmann/json (base's JSON
    // reader) are the libraries base may use; POSIX's <sys/...> headers
    // (stat, types) are the system's, as <fcntl.h> and <unistd.h> are.
    const bool library =
        inc.target.rfind("openssl/", 0) == 0 || inc.target.rfind("nlohmann/", 0) == 0 || inc.target.rfind("sys/", 0) == 0;
    const bool skiff_file = inc.target.find('/') != std::string::npos && !library;
    CHECK((!skiff_file || inc.target.rfind("base/", 0) == 0));
  }
}

TEST_CASE("the rule itself tells the forbidden headers from the allowed", "[layering]") {
  CHECK(is_io_library("libssh2.h"));
  CHECK(is_io_library("libssh2_sftp.h"));
  CHECK(is_io_library("git2.h"));
  CHECK(is_io_library("curl/curl.h"));
  CHECK(is_io_library("httplib.h"));
  CHECK(is_io_library("drivers/ssh/ssh_pool.hpp"));
  CHECK_FALSE(is_io_library("drivers/transport.hpp"));
  CHECK_FALSE(is_io_library("drivers/host/observe.hpp"));
  CHECK_FALSE(is_io_library("nlohmann/json.hpp"));
}
