// Internal to the apply executor (apply.cpp, apply_steps.cpp): the remote
// commands of one step, and how their outcomes are recorded.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "reconciler/apply/apply.hpp"

namespace skiff::reconciler::apply_detail {

// One remote command of a step, and what to do with its outcome.
struct Item {
  std::string host;
  drivers::Command command;
  std::function<void(const Result<drivers::CommandResult>&)> done;
};

// Runs a step: per host, all of its items as one batch, every host at once.
void run_step(std::vector<Item>& items, ApplyEnvironment& env, ApplyReport& report);

// The jobs and groups actions name.
struct Specs {
  std::map<std::string, const spec::Job*> jobs;
  const spec::Job* job(const std::string& id) const;
  const spec::Group* group(const std::string& job, const std::string& group) const;
};

// A new allocation for a placing action, as alloc.json will record it.
// `job_json` is parser::job_to_json(job), made once per job. Fails when
// env.new_id does.
Result<drivers::Allocation> new_allocation(const Action& action, const spec::Job& job, const nlohmann::json& job_json,
                                           const spec::Group& group, const ApplyHost& host, ApplyEnvironment& env);

// Items that start every task of `allocation`; when the last one is done,
// `finished` gets the allocation's error ("" when all started).
std::vector<Item> start_items(const drivers::Allocation& allocation, const spec::Job& job, const spec::Group& group,
                              const ApplyHost& host, std::function<void(const std::string& error)> finished,
                              std::vector<std::string>& errors);

// Items that stop every task of an observed allocation and remove its folder.
// `group`, the allocation's group in the job files when it is still there
// (else null), bounds each stop by its task's kill_timeout
// (drivers/task/stop_timeout.hpp).
std::vector<Item> stop_items(const std::string& host, const ApplyHost& where, const drivers::ObservedAllocation& observed,
                             const spec::Group* group, std::function<void(const std::string& error)> finished);

// The item that rewrites alloc.json for an in-place update.
Item update_item(const std::string& host, const drivers::Allocation& updated,
                 std::function<void(const std::string& error)> finished);

}  // namespace skiff::reconciler::apply_detail
