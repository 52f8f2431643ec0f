#include "reconciler/reconcile_retry.hpp"

#include <algorithm>

namespace skiff::reconciler {

int64_t retry_backoff_seconds(int failures) {
  constexpr int64_t kFirst = 60, kMost = 1800;
  int64_t wait = kFirst;
  for (int i = 1; i < failures && wait < kMost; ++i) wait *= 2;
  return std::min(wait, kMost);
}

int64_t next_try_unix(const std::string& head, const state::ReconcileRecord& record) {
  if (head != record.attempted_commit || record.attempted_error.empty() || record.attempted_failures < 1) return 0;
  return record.attempted_unix + retry_backoff_seconds(record.attempted_failures);
}

}  // namespace skiff::reconciler
