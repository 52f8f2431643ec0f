// One commit of a reconciled repository as `plan` and `apply` take a
// project: its skiff.hcl, inventory and job files, read from the commit's
// tree (drivers/git_source.hpp) below the followed folder, never from a
// working tree. Paths are relative to that folder, as if skiff ran there:
// skiff.hcl's `jobs` and `inventory` name files of the commit, while its
// local state path stays relative to the directory skiff runs in (the
// state is never inside the repository's cache).
#pragma once

#include <optional>
#include <string>

#include "cli/job_set.hpp"
#include "cli/workspace.hpp"
#include "drivers/git_source.hpp"

namespace skiff::cli {

struct LoadedCommit {
  // nullopt: skiff.hcl or the inventory has errors (then where the state
  // is is not known either).
  std::optional<Workspace> workspace;
  // nullopt: a job file has errors. Each job's source_path is
  // "git:<commit>:<path in the folder>". No job file at all is an empty set.
  std::optional<JobSet> jobs;
  // Why the commit cannot be applied, in one line (for the state's
  // attempted commit); empty when it can.
  std::string error;

  bool ok() const { return workspace && jobs; }
};

// The commit's project; diagnostics (paths relative to the folder) and
// problems go to context.err.
LoadedCommit load_commit(const drivers::GitTree& tree, const VarFlags& flags, Context& context);

}  // namespace skiff::cli
