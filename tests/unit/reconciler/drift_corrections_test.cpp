// Drift as the reconcile loop reports it: one line per action that
// changes an allocation, with its kind and the plan's reason.
#include "reconciler/drift_corrections.hpp"

#include <catch2/catch.hpp>

using namespace skiff::reconciler;

TEST_CASE("drift corrections: every action but ignore, with host, kind and reason", "[drift_corrections]") {
  Plan plan;
  Action lost{ActionKind::kReschedule, "web", "app", 1, "a1", "node-2", "node-3"};
  lost.reason = "lost on node-2: task \"app\": the supervisor is gone";
  Action missing{ActionKind::kPlace, "web", "app", 2};
  missing.to_node = "node-1";
  missing.reason = "missing copy";
  Action kept{ActionKind::kIgnore, "web", "app", 0, "a0", "node-1"};
  Action stray{ActionKind::kStop, "api", "g", 0, "a9", "node-4"};
  plan.actions = {kept, lost, missing, stray};

  const std::vector<DriftCorrection> found = drift_corrections(plan);
  REQUIRE(found.size() == 3);
  CHECK(found[0].kind == "reschedule");
  CHECK(found[0].line == "web.app[1] on node-2: reschedule (lost on node-2: task \"app\": the supervisor is gone)");
  CHECK(found[1].kind == "place");
  CHECK(found[1].line == "web.app[2] on node-1: place (missing copy)");
  CHECK(found[2].kind == "stop");
  CHECK(found[2].line == "api.g[0] on node-4: stop");
  CHECK(drift_corrections(Plan{}).empty());
}
