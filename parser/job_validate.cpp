// Rules that span fields and blocks: names that can be folder names, unique
// names, ports and volumes that are referred to but never declared, and
// combinations Nomad refuses.
#include <algorithm>
#include <cctype>
#include <set>

#include "base/text.hpp"
#include "parser/did_you_mean.hpp"
#include "parser/job_decode.hpp"

namespace skiff::parser::detail {

namespace {

// The n-th block of `type` (in source order) in `body`, or null.
const EvalBlock* nth_block(const EvalBody& body, const std::string& type, size_t n) {
  std::vector<const EvalBlock*> found = body.blocks_of(type);
  return n < found.size() ? found[n] : nullptr;
}

const EvalBlock* labelled_block(const EvalBody& body, const std::string& type, const std::string& label) {
  for (const EvalBlock* block : body.blocks_of(type))
    if (!block->labels.empty() && block->labels[0] == label) return block;
  return nullptr;
}

SourceRange attribute_range(const EvalBlock* block, const std::string& name) {
  if (!block) return {};
  if (const EvalAttribute* attribute = block->body->attribute(name)) return attribute->value_range;
  return block->type_range;
}

// Why `name` cannot name a folder on a host, or "". Job, group and task
// names become parts of paths in the allocation's folder (and of container
// and log names), so none may be empty, "." or "..", or hold a separator or
// a control character; a job ID holds no spaces either (Nomad's rule).
// Labels are literal text; in a service or check name (`interpolated`) a
// runtime interpolation such as ${NOMAD_JOB_NAME} is not judged.
std::string name_problem(std::string_view name, bool job_id, bool interpolated) {
  if (name.empty()) return "is empty";
  if (name == "." || name == "..") return "may not be \".\" or \"..\"";
  for (size_t i = 0; i < name.size(); ++i) {
    if (interpolated && name.compare(i, 2, "${") == 0) {
      size_t close = name.find('}', i);
      if (close == std::string_view::npos) break;
      i = close;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == '/') return "may not contain \"/\"";
    if (c == '\\') return "may not contain \"\\\"";
    if (c < 0x20 || c == 0x7f) return "may not contain control characters";
    if (job_id && c == ' ') return "may not contain spaces";
  }
  return "";
}

bool is_number(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

class JobValidator {
 public:
  JobValidator(const spec::Job& job, const EvalBlock& block, Diagnostics& d) : job_(job), block_(block), d_(d) {}

  void run() {
    if (!block_.label_ranges.empty()) check_name("job ID", job_.id, block_.label_ranges[0], /*job_id=*/true);
    if (job_.groups.empty())
      error(block_.type_range, "job \"" + job_.id + "\" has no group; a job needs at least one group block");
    if (job_.periodic && job_.type != spec::JobType::kBatch && job_.type != spec::JobType::kSysbatch) {
      error(nth_block(*block_.body, "periodic", 0)->type_range,
            "periodic jobs must be of type \"batch\" or \"sysbatch\", not \"" + spec::to_string(job_.type) + "\"");
    }
    check_spreads(job_.spreads, *block_.body);
    std::set<std::string> seen;
    for (const spec::Group& group : job_.groups) {
      const EvalBlock* group_block = labelled_block(*block_.body, "group", group.name);
      if (!group_block) group_block = labelled_block(*block_.body, "task", group.name);
      if (!seen.insert(group.name).second && group_block) {
        error(group_block->label_ranges.at(0), "group \"" + group.name + "\" is defined twice in job \"" + job_.id + "\"");
      }
      if (group_block && group_block->type == "group") check_label_name("group name", group_block);
      if (group_block) check_group(group, *group_block);
    }
  }

 private:
  void error(const SourceRange& range, std::string message) { d_.error(block_.body->file, range, std::move(message)); }

  void check_name(const std::string& what, const std::string& name, const SourceRange& range, bool job_id = false,
                  bool interpolated = false) {
    std::string problem = name_problem(name, job_id, interpolated);
    if (problem.empty()) return;
    error(range,
          what + " \"" + base::printable(name) + "\" " + problem + ": skiff uses names in paths and variables on the hosts");
  }

  void check_label_name(const std::string& what, const EvalBlock* block) {
    if (block && !block->labels.empty() && !block->label_ranges.empty())
      check_name(what, block->labels[0], block->label_ranges[0]);
  }

  void check_spreads(const std::vector<spec::Spread>& spreads, const EvalBody& body) {
    for (size_t i = 0; i < spreads.size(); ++i) {
      int total = 0;
      for (const spec::SpreadTarget& target : spreads[i].targets) total += target.percent;
      if (total > 100)
        error(nth_block(body, "spread", i)->type_range,
              "spread targets add up to " + std::to_string(total) + "%, more than 100%");
    }
  }

  void check_group(const spec::Group& group, const EvalBlock& group_block) {
    const EvalBody& body = *group_block.body;
    std::string where = "group \"" + group.name + "\"";
    check_spreads(group.spreads, body);
    std::vector<std::string> labels;
    if (group.network) {
      const EvalBlock* network = nth_block(body, "network", 0);
      if (network)
        for (const EvalBlock* port : network->body->blocks_of("port")) check_label_name("port label", port);
      for (const spec::Port& port : group.network->ports) {
        if (std::find(labels.begin(), labels.end(), port.label) != labels.end() && network) {
          error(labelled_block(*network->body, "port", port.label)->type_range,
                "port \"" + port.label + "\" is declared twice in " + where);
        }
        labels.push_back(port.label);
      }
    }
    // Ports of the legacy task-level `resources { network { port ... } }`,
    // reported as not supported, still count as declared: no cascade.
    for (const EvalBlock* task_block : body.blocks_of("task"))
      for (const EvalBlock* resources : task_block->body->blocks_of("resources"))
        for (const EvalBlock* network : resources->body->blocks_of("network"))
          for (const EvalBlock* port : network->body->blocks_of("port"))
            if (!port->labels.empty()) labels.push_back(port->labels[0]);
    check_services(group.services, body, labels, where);
    std::set<std::string> task_names;
    std::vector<std::string> volumes;
    for (const spec::Volume& volume : group.volumes) volumes.push_back(volume.name);
    for (const EvalBlock* volume : body.blocks_of("volume")) check_label_name("volume name", volume);
    check_lifecycles(group, group_block, where);
    for (const spec::Task& task : group.tasks) {
      const EvalBlock* task_block = group_block.type == "task" ? &group_block : labelled_block(body, "task", task.name);
      if (!task_block) continue;
      check_label_name("task name", task_block);
      if (!task_names.insert(task.name).second)
        error(task_block->label_ranges.at(0), "task \"" + task.name + "\" is defined twice in " + where);
      std::string task_where = "task \"" + task.name + "\" in " + where;
      check_services(task.services, *task_block->body, labels, task_where);
      for (size_t i = 0; i < task.volume_mounts.size(); ++i) {
        const std::string& name = task.volume_mounts[i].volume;
        if (name.empty() || std::find(volumes.begin(), volumes.end(), name) != volumes.end()) continue;
        error(attribute_range(nth_block(*task_block->body, "volume_mount", i), "volume"),
              "volume_mount in " + task_where + " names volume \"" + name + "\", which " + where + " does not declare" +
                  did_you_mean_suffix(name, volumes));
      }
    }
  }

  // Hook tasks wait for their siblings in skiff's task supervisor
  // (drivers/task/task_hook.hpp), which runs raw_exec, exec and java tasks:
  // a group with hooks runs no container task, as hook or as main task.
  void check_lifecycles(const spec::Group& group, const EvalBlock& group_block, const std::string& where) {
    const spec::Task* container = nullptr;
    for (const spec::Task& task : group.tasks)
      if (task.driver == "docker" || task.driver == "podman") container = &task;
    if (!container) return;
    for (const spec::Task& task : group.tasks) {
      if (!task.lifecycle) continue;
      const EvalBlock* task_block =
          group_block.type == "task" ? &group_block : labelled_block(*group_block.body, "task", task.name);
      const EvalBlock* lifecycle = task_block ? nth_block(*task_block->body, "lifecycle", 0) : nullptr;
      if (!lifecycle) continue;
      error(lifecycle->type_range,
            "lifecycle hooks beside a container task are not supported: skiff runs hooks in groups of raw_exec, exec and "
            "java tasks, and task \"" +
                container->name + "\" in " + where + " uses driver \"" + container->driver +
                "\"; run the hook's work in the container's entrypoint, or run the hook and its main tasks as raw_exec or "
                "exec tasks");
    }
  }

  void check_port(const std::string& port, const std::vector<std::string>& labels, const EvalBlock* block,
                  const std::string& what) {
    if (port.empty() || is_number(port) || port.find("${") != std::string::npos) return;
    if (std::find(labels.begin(), labels.end(), port) != labels.end()) return;
    error(attribute_range(block, "port"),
          what + " uses port \"" + port + "\", which the group's network does not declare" + did_you_mean_suffix(port, labels));
  }

  void check_services(const std::vector<spec::Service>& services, const EvalBody& body, const std::vector<std::string>& labels,
                      const std::string& where) {
    for (size_t i = 0; i < services.size(); ++i) {
      const spec::Service& service = services[i];
      const EvalBlock* service_block = nth_block(body, "service", i);
      std::string what = "service" + (service.name.empty() ? "" : " \"" + base::printable(service.name) + "\"") + " in " + where;
      if (service_block && service_block->body->attribute("name"))
        check_name("service name", service.name, attribute_range(service_block, "name"), false, true);
      check_port(service.port, labels, service_block, what);
      for (size_t j = 0; j < service.checks.size(); ++j) {
        const spec::Check& check = service.checks[j];
        const EvalBlock* check_block = service_block ? nth_block(*service_block->body, "check", j) : nullptr;
        std::string check_what = "check" + (check.name.empty() ? "" : " \"" + base::printable(check.name) + "\"") + " of " + what;
        if (check_block && check_block->body->attribute("name"))
          check_name("check name", check.name, attribute_range(check_block, "name"), false, true);
        check_port(check.port, labels, check_block, check_what);
        if (check.type == "http" && check.path.empty() && check_block)
          error(check_block->type_range, "http " + check_what + " needs a path");
        if (check.type == "script" && check.command.empty() && check_block)
          error(check_block->type_range, "script " + check_what + " needs a command");
        if ((check.type == "tcp" || check.type == "http") && check.port.empty() && service.port.empty() && check_block) {
          error(check_block->type_range, check_what + " needs a port: set port on the check or on the service");
        }
      }
    }
  }

  const spec::Job& job_;
  const EvalBlock& block_;
  Diagnostics& d_;
};

}  // namespace

void validate_job(const spec::Job& job, const EvalBlock& job_block, Diagnostics& d) { JobValidator(job, job_block, d).run(); }

}  // namespace skiff::parser::detail
