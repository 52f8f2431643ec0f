#include "reconciler/dispatch.hpp"

#include <algorithm>
#include <cctype>

#include "parser/did_you_mean.hpp"

namespace skiff::reconciler {

namespace {

constexpr std::string_view kDispatchInfix = "/dispatch-";

bool listed(const std::vector<std::string>& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string quoted_list(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "\"" : ", \"") + n + "\"";
  return text;
}

void check_meta(const spec::Job& parent, const spec::Parameterized& p, const DispatchRequest& request,
                std::vector<std::string>& problems) {
  for (const std::string& key : p.meta_required)
    if (!request.meta.count(key)) problems.push_back("meta \"" + key + "\" is required: pass -meta " + key + "=VALUE");
  std::vector<std::string> allowed = p.meta_required;
  allowed.insert(allowed.end(), p.meta_optional.begin(), p.meta_optional.end());
  for (const auto& [key, value] : request.meta)
    if (!listed(allowed, key))
      problems.push_back("meta \"" + key + "\" is not one job \"" + parent.id +
                         "\" takes (meta_required: " + quoted_list(p.meta_required) +
                         "; meta_optional: " + quoted_list(p.meta_optional) + ")" + parser::did_you_mean_suffix(key, allowed));
}

void check_payload(const spec::Job& parent, const spec::Parameterized& p, const DispatchRequest& request,
                   std::vector<std::string>& problems) {
  if (p.payload == "required" && !request.payload)
    problems.push_back("job \"" + parent.id + "\" requires a payload (parameterized.payload = \"required\"): pass PAYLOAD_FILE");
  if (p.payload == "forbidden" && request.payload) {
    problems.push_back("job \"" + parent.id + "\" takes no payload (parameterized.payload = \"forbidden\")");
    return;
  }
  if (!request.payload) return;
  if (request.payload->size() > kPayloadLimitBytes)
    problems.push_back("the payload is " + std::to_string(request.payload->size()) + " bytes, more than the " +
                       std::to_string(kPayloadLimitBytes) + " a dispatch takes (Nomad's limit too)");
  bool delivered = false;
  for (const spec::Group& g : parent.groups)
    for (const spec::Task& t : g.tasks) delivered = delivered || !t.dispatch_payload_file.empty();
  if (!delivered)
    problems.push_back("no task of job \"" + parent.id +
                       "\" has a dispatch_payload block, so the payload would reach none: add `dispatch_payload { file = "
                       "\"input\" }` to the task that reads it, or pass no PAYLOAD_FILE");
}

}  // namespace

std::string dispatch_child_id(const std::string& parent, int64_t now_unix, const std::string& suffix) {
  return parent + std::string(kDispatchInfix) + std::to_string(now_unix) + "-" + suffix;
}

std::optional<std::string> dispatch_parent(const std::string& job_id) {
  const size_t at = job_id.rfind(kDispatchInfix);
  if (at == std::string::npos || at == 0) return std::nullopt;
  // "<unix>-<hex>" after the infix, nothing else.
  const std::string rest = job_id.substr(at + kDispatchInfix.size());
  const size_t dash = rest.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == rest.size()) return std::nullopt;
  auto digits = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  if (!std::all_of(rest.begin(), rest.begin() + dash, digits) || !std::all_of(rest.begin() + dash + 1, rest.end(), hex))
    return std::nullopt;
  return job_id.substr(0, at);
}

Result<spec::Job> dispatch_child(const spec::Job& parent, const DispatchRequest& request) {
  if (!parent.parameterized)
    return make_error(ErrorCode::kInvalidArgument,
                      "job \"" + parent.id +
                          "\" is not parameterized: only a job with a `parameterized` block is "
                          "dispatched (run others with `skiff apply`)");
  std::vector<std::string> problems;
  check_meta(parent, *parent.parameterized, request, problems);
  check_payload(parent, *parent.parameterized, request, problems);
  if (!problems.empty()) {
    std::string text = "cannot dispatch job \"" + parent.id + "\":";
    for (const std::string& p : problems) text += "\n  " + p;
    return make_error(ErrorCode::kInvalidArgument, text);
  }
  spec::Job child = parent;
  child.id = dispatch_child_id(parent.id, request.now_unix, request.suffix);
  child.name = child.id;
  child.parameterized.reset();
  child.periodic.reset();
  for (const auto& [key, value] : request.meta) child.meta[key] = value;
  child.payload = request.payload.value_or("");
  return child;
}

}  // namespace skiff::reconciler
