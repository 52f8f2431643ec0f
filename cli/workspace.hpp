// The project around a command that talks to hosts: skiff.hcl (optional)
// and the inventory it, a flag or the current directory names.
#pragma once

#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "parser/spec/inventory.hpp"
#include "parser/spec/project.hpp"

namespace skiff::cli {

struct Workspace {
  spec::Project project;      // defaults when there is no skiff.hcl
  spec::Inventory inventory;  // the built-in `local` host when there is none
};

// ./skiff.hcl when it exists; the inventory from `inventory_flag`, else the
// one skiff.hcl names, else ./hosts.hcl when it exists, else the built-in
// local host. Diagnostics (warnings too) go to context.err; nullopt when a
// file is missing or has errors.
std::optional<Workspace> load_workspace(const std::string& inventory_flag, Context& context);

// -inventory F and -parallelism N, as every command that reaches hosts takes them.
void add_inventory_flag(CLI::App& command, std::string& inventory);
void add_parallelism_flag(CLI::App& command, int& parallelism);

}  // namespace skiff::cli
