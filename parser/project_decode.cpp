// skiff.hcl: where jobs and the inventory are, the state backend, and SSH
// defaults. Relative paths are resolved against the file's directory.
#include <filesystem>

#include "parser/body_reader.hpp"
#include "parser/load.hpp"

namespace skiff::parser {

namespace {

std::string resolve(const std::filesystem::path& dir, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (dir / path).lexically_normal().string();
}

void read_state(BodyReader& top, spec::Project& project, const std::filesystem::path& dir) {
  const EvalBlock* block = top.single_block("state");
  if (!block) return;
  BodyReader reader(*block->body, "state", top.diagnostics());
  if (auto backend = reader.string("backend")) {
    project.state.backend = *backend;
    if (*backend != "local" && *backend != "ssh") {
      reader.attribute_error(*reader.value("backend"), "state backend must be \"local\" or \"ssh\", not \"" + *backend + "\"");
    }
  }
  project.state.host = reader.string("host").value_or("");
  std::string path = reader.string("path").value_or("");
  project.state.path = project.state.backend == "local" ? resolve(dir, path) : path;
  if (project.state.backend == "ssh" && project.state.host.empty()) {
    top.diagnostics().error(block->body->file, block->type_range, "the ssh state backend needs a host");
  }
  reader.finish();
}

void read_ssh(BodyReader& top, spec::Project& project, const std::filesystem::path& dir) {
  const EvalBlock* block = top.single_block("ssh");
  if (!block) return;
  BodyReader reader(*block->body, "ssh", top.diagnostics());
  spec::SshSettings& ssh = project.ssh;
  ssh.user = reader.string("user").value_or("");
  if (auto port = reader.integer("port")) ssh.port = static_cast<int>(*port);
  ssh.identity_file = resolve(dir, reader.string("identity_file").value_or(""));
  ssh.known_hosts = resolve(dir, reader.string("known_hosts").value_or(""));
  if (auto mode = reader.string("strict_host_key_checking")) {
    ssh.strict_host_key_checking = *mode;
    if (*mode != "yes" && *mode != "accept-new" && *mode != "no") {
      reader.attribute_error(*reader.value("strict_host_key_checking"), "strict_host_key_checking must be \"yes\", \"accept-new\" or \"no\"");
    }
  }
  if (auto timeout = reader.duration("connect_timeout")) ssh.connect_timeout = *timeout;
  if (auto parallelism = reader.integer("parallelism")) ssh.parallelism = static_cast<int>(*parallelism);
  reader.finish();
}

}  // namespace

std::optional<spec::Project> load_project(const std::string& path, std::string text, const EvalOptions& options,
                                          Diagnostics& diagnostics) {
  size_t errors = diagnostics.error_count();
  EvaluatedFile file = parse_and_evaluate(path, std::move(text), options, diagnostics);
  if (!file.body.file) return std::nullopt;
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  spec::Project project;
  project.source_path = path;
  BodyReader top(file.body, "skiff.hcl", diagnostics);
  if (const EvalAttribute* jobs = top.value("jobs")) {
    if (jobs->value.is_string()) {
      project.jobs.push_back(resolve(dir, jobs->value.as_string()));
    } else if (auto list = top.strings("jobs")) {
      for (const std::string& entry : *list) project.jobs.push_back(resolve(dir, entry));
    }
  }
  project.inventory = resolve(dir, top.string("inventory").value_or(""));
  read_state(top, project, dir);
  read_ssh(top, project, dir);
  top.blocks("variable", 1);
  top.blocks("locals");
  top.finish();
  if (diagnostics.error_count() > errors) return std::nullopt;
  return project;
}

}  // namespace skiff::parser
