#include "reconciler/scheduler/cluster.hpp"

namespace skiff::reconciler {

bool is_terminal(AllocationStatus status) {
  return status == AllocationStatus::kComplete || status == AllocationStatus::kFailed || status == AllocationStatus::kLost;
}

std::string to_string(AllocationStatus status) {
  switch (status) {
    case AllocationStatus::kPending: return "pending";
    case AllocationStatus::kRunning: return "running";
    case AllocationStatus::kComplete: return "complete";
    case AllocationStatus::kFailed: return "failed";
    case AllocationStatus::kLost: return "lost";
  }
  return "unknown";
}

}  // namespace skiff::reconciler
