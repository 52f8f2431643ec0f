#include "state/lock_record.hpp"

#include "base/json_reader.hpp"
#include "state/state_json.hpp"

namespace skiff::state {

std::string lock_record_text(const LockInfo& info) {
  return lock_info_to_json(info).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<LockInfo> parse_lock_record(const std::string& bytes, const std::string& name) {
  if (bytes.empty()) return make_error(ErrorCode::kConflict, "its lock file " + name + " is empty");
  Result<nlohmann::json> json = base::parse_json(bytes);
  if (!json.ok()) return json.error().wrap("lock file " + name);
  Result<LockInfo> info = lock_info_from_json(*json);
  if (!info.ok()) return info.error().wrap("lock file " + name);
  return info;
}

}  // namespace skiff::state
