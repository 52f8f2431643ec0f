// skiff.hcl: where jobs and the inventory are, the state backend, and SSH
// defaults. Relative paths are resolved against the file's directory so
// that `skiff -project ../x/skiff.hcl` means the same as running in ../x.
#include <climits>
#include <filesystem>

#include "base/byte_size.hpp"
#include "parser/body_reader.hpp"
#include "parser/load.hpp"

namespace skiff::parser {

namespace {

// `~` paths are kept: the SSH layer expands them as OpenSSH does.
std::string resolve(const std::filesystem::path& dir, const std::string& path) {
  if (path.empty() || path[0] == '~' || std::filesystem::path(path).is_absolute()) return path;
  return (dir / path).lexically_normal().string();
}

// An optional whole number in [1, max]; out of range is reported.
std::optional<int> bounded(BodyReader& reader, std::string_view name, int64_t max) {
  std::optional<int64_t> n = reader.integer_in_range(name, 1, max);
  return n ? std::optional<int>(static_cast<int>(*n)) : std::nullopt;
}

void read_state(BodyReader& top, spec::Project& project, const std::filesystem::path& dir) {
  spec::StateSettings& state = project.state;
  const EvalBlock* block = top.single_block("state");
  BodyReader* reader = nullptr;
  std::optional<BodyReader> block_reader;
  if (block) reader = &block_reader.emplace(*block->body, "state", top.diagnostics());
  if (reader) {
    if (auto backend = reader->string("backend")) {
      if (*backend == "ssh") state.backend = spec::StateBackend::kSsh;
      else if (*backend != "local")
        reader->attribute_error(*reader->value("backend"),
                                "state backend must be \"local\" or \"ssh\", not \"" + *backend + "\"");
    }
    state.host = reader->string("host").value_or("");
    state.path = reader->string("path").value_or("");
  }
  if (state.backend == spec::StateBackend::kLocal) {
    state.path = resolve(dir, state.path.empty() ? spec::kDefaultLocalStatePath : state.path);
    if (reader && !state.host.empty()) {
      reader->attribute_error(*reader->value("host"), "host in state only applies to backend = \"ssh\"");
    }
  } else {
    if (state.path.empty()) state.path = spec::kDefaultRemoteStatePath;
    if (state.host.empty()) top.diagnostics().error(block->body->file, block->type_range, "the ssh state backend needs a host");
  }
  if (reader) reader->finish();
}

std::optional<spec::HostKeyChecking> host_key_checking(const std::string& text) {
  if (text == "yes") return spec::HostKeyChecking::kYes;
  if (text == "accept-new") return spec::HostKeyChecking::kAcceptNew;
  if (text == "no") return spec::HostKeyChecking::kNo;
  return std::nullopt;
}

void read_ssh(BodyReader& top, spec::Project& project, const std::filesystem::path& dir) {
  const EvalBlock* block = top.single_block("ssh");
  if (!block) return;
  BodyReader reader(*block->body, "ssh", top.diagnostics());
  spec::SshSettings& ssh = project.ssh;
  ssh.user = reader.string("user").value_or("");
  ssh.port = bounded(reader, "port", 65535);
  ssh.identity_file = resolve(dir, reader.string("identity_file").value_or(""));
  ssh.known_hosts = resolve(dir, reader.string("known_hosts").value_or(""));
  if (auto mode = reader.string("strict_host_key_checking")) {
    if (auto checking = host_key_checking(*mode)) ssh.strict_host_key_checking = *checking;
    else
      reader.attribute_error(*reader.value("strict_host_key_checking"),
                             "strict_host_key_checking must be \"yes\", \"accept-new\" or \"no\", not \"" + *mode + "\"");
  }
  if (auto timeout = reader.duration("connect_timeout")) {
    if (timeout->nanoseconds > 0) ssh.connect_timeout = *timeout;
    else reader.attribute_error(*reader.value("connect_timeout"), "connect_timeout in ssh must be longer than 0s");
  }
  if (auto parallelism = bounded(reader, "parallelism", 4096)) ssh.parallelism = *parallelism;
  if (auto persist = reader.duration("control_persist")) {
    if (persist->nanoseconds >= 0) ssh.control_persist = *persist;
    else reader.attribute_error(*reader.value("control_persist"), "control_persist in ssh must be 0s or longer");
  }
  reader.finish();
}

// fleet { max_output = "64MiB" }: a size, 1 KiB or more.
void read_max_output(BodyReader& reader, spec::Project& project) {
  std::optional<std::string> text = reader.string("max_output");
  if (!text) return;
  std::optional<uint64_t> size = base::parse_byte_size(*text);
  if (size && *size >= 1024) {
    project.fleet.max_output = *size;
    return;
  }
  reader.attribute_error(
      *reader.value("max_output"),
      size ? "max_output in fleet must be at least 1KiB, not \"" + *text + "\""
           : "max_output in fleet must be a size such as \"64MiB\" (units B, KiB, MiB, GiB), not \"" + *text + "\"");
}

// fleet { down_after = "30s" }: a duration, 0s or longer.
void read_fleet(BodyReader& top, spec::Project& project) {
  const EvalBlock* block = top.single_block("fleet");
  if (!block) return;
  BodyReader reader(*block->body, "fleet", top.diagnostics());
  if (auto grace = reader.duration("down_after")) {
    if (grace->nanoseconds >= 0) project.fleet.down_after = *grace;
    else reader.attribute_error(*reader.value("down_after"), "down_after in fleet must be 0s or longer");
  }
  read_max_output(reader, project);
  reader.finish();
}

// `jobs = "jobs/"` or `jobs = ["jobs/", "more.nomad.hcl"]`.
void read_jobs(BodyReader& top, spec::Project& project, const std::filesystem::path& dir) {
  const EvalAttribute* jobs = top.value("jobs");
  if (!jobs || jobs->failed || jobs->value.is_null()) return;
  if (jobs->value.is_string()) {
    project.jobs.push_back(resolve(dir, jobs->value.as_string()));
    return;
  }
  std::vector<std::string> entries;
  bool ok = jobs->value.is_list();
  if (ok) {
    for (const Value& item : jobs->value.as_list()) {
      ok = ok && item.is_string();
      if (ok) entries.push_back(resolve(dir, item.as_string()));
    }
  }
  if (!ok) {
    top.attribute_error(*jobs,
                        "attribute \"jobs\" in skiff.hcl must be a path or a list of paths, not " + type_name(jobs->value));
    return;
  }
  project.jobs = entries;
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
  read_jobs(top, project, dir);
  project.inventory = resolve(dir, top.string("inventory").value_or(""));
  read_state(top, project, dir);
  read_ssh(top, project, dir);
  read_fleet(top, project);
  top.blocks("variable", 1);
  top.blocks("locals");
  top.finish();
  if (diagnostics.error_count() > errors) return std::nullopt;
  return project;
}

}  // namespace skiff::parser
