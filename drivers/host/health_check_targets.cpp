#include "drivers/host/health_check_targets.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "drivers/shell_quote.hpp"
#include "drivers/task/container.hpp"
#include "drivers/task/driver_kind.hpp"

namespace skiff::drivers {

namespace {

constexpr std::chrono::milliseconds kDefaultInterval{10000};
constexpr std::chrono::milliseconds kDefaultTimeout{5000};

std::chrono::milliseconds or_default(const spec::Duration& d, std::chrono::milliseconds fallback) {
  return d.nanoseconds > 0 ? std::chrono::milliseconds((d.nanoseconds + 999999) / 1000000) : fallback;
}

bool is_number(const std::string& s) { return !s.empty() && std::all_of(s.begin(), s.end(), ::isdigit); }

// A service of the group or of one of its tasks, with the task whose
// environment interpolates it.
struct ServiceAt {
  const spec::Service& service;
  const spec::Task* owner;  // the task whose service it is; null for the group's
};

class Resolver {
 public:
  explicit Resolver(const CheckedAllocation& a) : a_(a) {}

  Result<HealthCheck> resolve(const ServiceAt& at, const spec::Check& check) {
    const spec::Task* task = task_for(at, check);
    const std::map<std::string, std::string> env = task ? environment(*task) : std::map<std::string, std::string>{};
    auto text = [&](const std::string& s) { return task ? interpolate(s, env, context(*task)) : s; };
    HealthCheck c;
    c.alloc_id = a_.allocation.id;
    c.service = text(at.service.name.empty() ? default_service_name(a_.job, a_.group, at.owner) : at.service.name);
    c.name = check.name.empty() ? default_check_name(c.service) : text(check.name);
    const std::string what = "service \"" + c.service + "\" check \"" + c.name + "\"";
    c.interval = or_default(check.interval, kDefaultInterval);
    c.timeout = or_default(check.timeout, kDefaultTimeout);
    if (check.on_update == "ignore_warnings") c.on_update = CheckOnUpdate::kIgnoreWarnings;
    else if (check.on_update == "ignore") c.on_update = CheckOnUpdate::kIgnore;
    if (check.type == "script") return script(c, check, task, env, what);
    if (check.type != "tcp" && check.type != "http")
      return make_error(ErrorCode::kUnsupported, what + ": skiff runs tcp, http and script checks, not \"" + check.type + "\"");
    c.type = check.type == "tcp" ? CheckType::kTcp : CheckType::kHttp;
    c.address = a_.allocation.host_address.empty() ? "127.0.0.1" : a_.allocation.host_address;
    const std::string port = text(check.port.empty() ? at.service.port : check.port);
    if (Status found = port_number(port, c.port, what); !found.ok()) return found.error();
    if (c.type == CheckType::kHttp) {
      c.protocol = check.protocol.empty() ? "http" : check.protocol;
      if (c.protocol != "http" && c.protocol != "https")
        return make_error(ErrorCode::kInvalidArgument,
                          what + ": protocol must be \"http\" or \"https\", not \"" + c.protocol + "\"");
      c.method = check.method.empty() ? "GET" : check.method;
      std::transform(c.method.begin(), c.method.end(), c.method.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
      c.path = text(check.path);
      c.headers = check.headers;
    }
    return c;
  }

 private:
  TaskContext context(const spec::Task& task) const {
    return TaskContext{a_.job, a_.group, task, a_.allocation, a_.host, a_.facts};
  }
  std::map<std::string, std::string> environment(const spec::Task& task) const { return task_environment(context(task)); }

  // The task a check runs in (script) or interpolates with: the service's
  // own task, else the check's or the service's `task`, else the group's
  // only task.
  const spec::Task* task_for(const ServiceAt& at, const spec::Check& check) const {
    if (at.owner) return at.owner;
    const std::string& name = !check.task.empty() ? check.task : at.service.task;
    if (name.empty()) return a_.group.tasks.size() == 1 ? &a_.group.tasks.front() : nullptr;
    for (const spec::Task& t : a_.group.tasks)
      if (t.name == name) return &t;
    return nullptr;
  }

  Status port_number(const std::string& port, int& number, const std::string& what) const {
    if (is_number(port)) {
      const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
      if (error == std::errc() && end == port.data() + port.size() && number <= 65535) return Status::success();
      return make_error(ErrorCode::kInvalidArgument, what + ": port " + port + " is not a port number");
    }
    for (const AssignedPort& p : a_.allocation.ports) {
      if (p.label != port) continue;
      number = p.host_port;
      return Status::success();
    }
    std::string labels;
    for (const AssignedPort& p : a_.allocation.ports) labels += (labels.empty() ? "" : ", ") + p.label;
    return make_error(ErrorCode::kInvalidArgument,
                      what + ": port \"" + port + "\" is not one of the allocation's ports (" +
                          (labels.empty() ? "it has none" : labels) + ")");
  }

  Result<HealthCheck> script(HealthCheck c, const spec::Check& check, const spec::Task* task,
                             const std::map<std::string, std::string>& env, const std::string& what) const {
    if (!task)
      return make_error(ErrorCode::kInvalidArgument,
                        what + ": a script check of a group's service needs `task` (the group has " +
                            std::to_string(a_.group.tasks.size()) + " tasks)");
    c.type = CheckType::kScript;
    std::vector<std::string> command = {interpolate(check.command, env, context(*task))};
    for (const std::string& arg : check.args) command.push_back(interpolate(arg, env, context(*task)));
    c.shown_command = shell_join(command);
    const std::optional<DriverKind> kind = parse_driver_kind(task->driver);
    if (kind == DriverKind::kDocker || kind == DriverKind::kPodman) {
      Result<std::string> cli = container_cli(a_.facts);
      if (!cli.ok()) return cli.error().wrap(what + " on " + a_.host.name);
      c.argv = {*cli, "exec", container_name(a_.allocation, task->name)};
    } else if (kind == DriverKind::kRawExec || kind == DriverKind::kExec || kind == DriverKind::kJava) {
      c.dir = a_.allocation.task_dir(task->name);
      c.argv = {"env"};
      for (const auto& [name, value] : env) c.argv.push_back(name + "=" + value);
    } else {
      return make_error(ErrorCode::kUnsupported,
                        what + ": cannot run a script in task \"" + task->name + "\" (driver \"" + task->driver + "\")");
    }
    c.argv.insert(c.argv.end(), command.begin(), command.end());
    return c;
  }

  const CheckedAllocation& a_;
};

}  // namespace

std::string default_service_name(const spec::Job& job, const spec::Group& group, const spec::Task* task) {
  const std::string& job_name = job.name.empty() ? job.id : job.name;
  return job_name + "-" + group.name + (task ? "-" + task->name : "");
}

std::string default_check_name(const std::string& service) { return "service: \"" + service + "\" check"; }

Result<std::vector<HealthCheck>> allocation_health_checks(const CheckedAllocation& allocation) {
  std::vector<ServiceAt> services;
  for (const spec::Service& s : allocation.group.services) services.push_back({s, nullptr});
  for (const spec::Task& t : allocation.group.tasks)
    for (const spec::Service& s : t.services) services.push_back({s, &t});
  Resolver resolver(allocation);
  std::vector<HealthCheck> out;
  for (const ServiceAt& at : services) {
    for (const spec::Check& check : at.service.checks) {
      if (check.on_update == "ignore") continue;
      Result<HealthCheck> c = resolver.resolve(at, check);
      if (!c.ok()) return c.error();
      out.push_back(std::move(*c));
    }
  }
  return out;
}

}  // namespace skiff::drivers
