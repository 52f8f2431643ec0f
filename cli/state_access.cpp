#include "cli/state_access.hpp"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "state/local_store.hpp"
#include "state/uuid.hpp"

namespace skiff::cli {

Result<std::unique_ptr<state::StateStore>> open_state_store(const Workspace& workspace) {
  const spec::StateSettings& settings = workspace.project.state;
  if (settings.backend == spec::StateBackend::kSsh)
    return make_error(ErrorCode::kUnsupported, "the ssh state backend is not available yet");
  // A default Project (no skiff.hcl) carries no path; the default then sits
  // in the current directory, where skiff.hcl would be.
  std::string path = settings.path.empty() ? std::string(spec::kDefaultLocalStatePath) : settings.path;
  return std::unique_ptr<state::StateStore>(new state::LocalStateStore(path));
}

namespace {

std::string user_name() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const passwd* entry = ::getpwuid(::getuid()); entry && entry->pw_name) return entry->pw_name;
  return "uid" + std::to_string(::getuid());
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

}  // namespace

state::LockInfo make_lock_info(const std::string& operation) {
  state::LockInfo info;
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  Result<std::string> id = state::new_uuid();
  // Without /dev/urandom the id only has to tell this holder from the next.
  info.id = id.ok() ? *id : "pid-" + std::to_string(::getpid()) + "-" + std::to_string(now);
  info.who = user_name() + "@" + host_name();
  info.operation = operation;
  info.pid = ::getpid();
  info.created_unix = now;
  std::string version = version_text();  // "skiff 0.1.0"
  info.version = version.rfind("skiff ", 0) == 0 ? version.substr(6) : version;
  return info;
}

}  // namespace skiff::cli
