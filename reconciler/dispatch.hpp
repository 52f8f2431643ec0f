// `skiff job dispatch`: a run of a parameterized job, as Nomad makes one.
// The run is a child job of its own, `PARENT/dispatch-<unix>-<8 hex>`,
// carrying the parent's spec with the dispatch's meta merged in and no
// `parameterized` block (so the plan places it like any batch job). The
// parent's `parameterized { meta_required, meta_optional, payload }` is
// enforced here, before anything is recorded. Pure: time and the id's
// random part are arguments.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "parser/spec/job.hpp"

namespace skiff::reconciler {

struct DispatchRequest {
  std::map<std::string, std::string> meta;  // -meta k=v
  std::optional<std::string> payload;       // the PAYLOAD_FILE's bytes, when one was given
  int64_t now_unix = 0;
  std::string suffix;  // 8 hex characters, random
};

// "web/dispatch-1700000000-0a1b2c3d".
std::string dispatch_child_id(const std::string& parent, int64_t now_unix, const std::string& suffix);

// The parent's id when `job_id` names a dispatched run ("web" for
// "web/dispatch-1700000000-0a1b2c3d"); nullopt for any other id.
std::optional<std::string> dispatch_parent(const std::string& job_id);

// The child job, or an error (kInvalid) naming every problem: the parent
// is not parameterized, a required meta key is missing, a key is neither
// required nor optional (with a did-you-mean), a payload is given to a job
// that forbids one or missing for one that requires one, a payload is over
// kPayloadLimitBytes, or no task has a dispatch_payload block to receive it.
// The child carries the payload (spec::Job::payload); each task with a
// dispatch_payload block finds it in its local/ folder.
Result<spec::Job> dispatch_child(const spec::Job& parent, const DispatchRequest& request);

// 16 KiB, as Nomad's dispatch.
constexpr size_t kPayloadLimitBytes = 16 * 1024;

}  // namespace skiff::reconciler
