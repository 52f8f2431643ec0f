// The retry rule of reconcile: a failed commit waits 1, 2, 4 ... up to 30
// minutes between tries; a new one, or one that did not fail, goes at once.
#include "reconciler/reconcile_retry.hpp"

#include <catch2/catch.hpp>

using namespace skiff;

TEST_CASE("a failed commit is tried again after 1 min doubling to 30 min; a new commit at once", "[reconcile_retry]") {
  CHECK(reconciler::retry_backoff_seconds(1) == 60);
  CHECK(reconciler::retry_backoff_seconds(2) == 120);
  CHECK(reconciler::retry_backoff_seconds(3) == 240);
  CHECK(reconciler::retry_backoff_seconds(5) == 960);
  CHECK(reconciler::retry_backoff_seconds(6) == 1800);
  CHECK(reconciler::retry_backoff_seconds(60) == 1800);

  state::ReconcileRecord r;
  r.attempted_commit = "bad";
  r.attempted_unix = 1000;
  r.attempted_error = "jobs/web.nomad.hcl:3:5: attribute \"count\" has no value";
  r.attempted_failures = 3;
  CHECK(reconciler::next_try_unix("bad", r) == 1240);
  CHECK(reconciler::next_try_unix("newer", r) == 0);
  r.attempted_error.clear();
  r.attempted_failures = 0;
  CHECK(reconciler::next_try_unix("bad", r) == 0);
}
