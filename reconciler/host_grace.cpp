#include "reconciler/host_grace.hpp"

#include <algorithm>

#include "parser/spec/duration.hpp"

namespace skiff::reconciler {

void judge_unreachable(Node& node, std::optional<int64_t> since_unix, int64_t now_unix, int64_t down_after_seconds) {
  const int64_t since = std::min(since_unix.value_or(now_unix), now_unix);
  const int64_t gone = now_unix - since;
  const std::string for_how_long =
      gone > 0 ? "unreachable for " + spec::format_duration(spec::Duration::seconds(gone)) : "unreachable";
  if (gone >= std::max<int64_t>(0, down_after_seconds)) {
    node.status = NodeStatus::kDown;
    node.status_reason = for_how_long;
    return;
  }
  node.status = NodeStatus::kUnreachable;
  node.status_reason = for_how_long + "; down after " + spec::format_duration(spec::Duration::seconds(down_after_seconds));
}

}  // namespace skiff::reconciler
