// The subcommands. Each registers itself on the CLI11 app; its callback
// stores the command's exit code in the Context. Output goes to the
// Context's streams so that the commands never touch std::cout themselves.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "parser/environment.hpp"

namespace skiff::cli {

// Exit codes (documented in the README): 0 success, 1 error or invalid
// input; 2 is reserved for `plan -detailed-exitcode` (changes present).
enum ExitCode : int { kExitOk = 0, kExitError = 1 };

struct Context {
  std::ostream& out;
  std::ostream& err;
  const parser::Environment& env;
  int exit_code = kExitOk;
};

struct VarFlags;

void register_validate(CLI::App& app, Context& context);
void register_inspect(CLI::App& app, Context& context);
void register_hcl2json(CLI::App& app, Context& context);
void register_version(CLI::App& app, Context& context);
void register_node(CLI::App& app, Context& context);
void register_alloc(CLI::App& app, Context& context);
void register_debug(CLI::App& app, Context& context);
void register_plan(CLI::App& app, Context& context);
void register_job(CLI::App& app, Context& context);
// Also adds `job revert`. REQUIRES: register_job first.
void register_apply(CLI::App& app, Context& context);
// Adds `rebuild` to the `state` command. REQUIRES: register_state first.
void register_state_rebuild(CLI::App& app, Context& context);
// Adds `drain` and `eligibility` to the `node` command. REQUIRES: register_node first.
void register_node_flags(CLI::App& app, Context& context);
void register_state(CLI::App& app, Context& context);
void register_reconcile(CLI::App& app, Context& context);

// Every command above on `app`, with the top-level flags and help. The
// command tree is what tests walk to check each command's help.
void register_commands(CLI::App& app, Context& context);

// -var NAME=VALUE and -var-file PATH, both repeatable, on `command`.
void add_var_flags(CLI::App& command, VarFlags& flags);

// "skiff 0.1.0".
std::string version_text();

}  // namespace skiff::cli
