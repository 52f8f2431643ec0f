#include "drivers/host/health_checks.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "base/text.hpp"
#include "drivers/scripts/scripts.hpp"
#include "drivers/shell_quote.hpp"

namespace skiff::drivers {

namespace {

// A name as one field of a line: no tabs or line breaks.
std::string field(std::string text) {
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
  return text;
}

std::string header_line(const std::string& name, const std::string& value) {
  std::string line = name + ": " + value;
  line.erase(std::remove_if(line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r'; }), line.end());
  return line;
}

// "[::1]" for an IPv6 address in a URL or a Host header.
std::string url_host(const std::string& address) {
  return address.find(':') == std::string::npos ? address : "[" + address + "]";
}

std::string whole_seconds(std::chrono::milliseconds d) { return std::to_string(std::max<int64_t>(1, (d.count() + 999) / 1000)); }

std::string path_of(const HealthCheck& c) { return c.path.empty() || c.path[0] != '/' ? "/" + c.path : c.path; }

// The request bash or nc writes when neither curl nor wget is there.
std::string raw_request(const HealthCheck& c) {
  std::string request = c.method + " " + path_of(c) + " HTTP/1.0\r\n";
  bool host_set = false;
  for (const auto& [name, values] : c.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    host_set = host_set || lower == "host";
  }
  if (!host_set) request += "Host: " + url_host(c.address) + ":" + std::to_string(c.port) + "\r\n";
  request += "User-Agent: skiff\r\nConnection: close\r\n";
  for (const auto& [name, values] : c.headers)
    for (const std::string& value : values) request += header_line(name, value) + "\r\n";
  return request + "\r\n";
}

std::vector<std::string> check_call(const HealthCheck& c, const std::string& label) {
  const std::string timeout = whole_seconds(c.timeout);
  switch (c.type) {
    case CheckType::kTcp: return {"_sk_tcp", label, timeout, c.address, std::to_string(c.port)};
    case CheckType::kHttp: {
      const std::string url = c.protocol + "://" + url_host(c.address) + ":" + std::to_string(c.port) + path_of(c);
      std::vector<std::string> call = {"_sk_http",
                                       label,
                                       timeout,
                                       c.method,
                                       url,
                                       c.address,
                                       std::to_string(c.port),
                                       c.protocol == "https" ? "" : raw_request(c)};
      for (const auto& [name, values] : c.headers)
        for (const std::string& value : values) call.push_back(header_line(name, value));
      return call;
    }
    case CheckType::kScript: {
      std::vector<std::string> call = {"_sk_script", label, timeout, c.dir};
      call.insert(call.end(), c.argv.begin(), c.argv.end());
      return call;
    }
  }
  return {};
}

std::vector<std::string> split_tabs(const std::string& line, size_t fields) {
  std::vector<std::string> out;
  size_t start = 0;
  while (out.size() + 1 < fields) {
    size_t tab = line.find('\t', start);
    if (tab == std::string::npos) break;
    out.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
  out.push_back(line.substr(start));
  return out;
}

}  // namespace

std::string HealthCheck::describe() const {
  switch (type) {
    case CheckType::kTcp: return "tcp on port " + std::to_string(port);
    case CheckType::kHttp: return protocol + " " + method + " " + path_of(*this) + " on port " + std::to_string(port);
    case CheckType::kScript: return "script \"" + shown_command + "\"";
  }
  return "";
}

std::string to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPassing: return "passing";
    case CheckStatus::kWarning: return "warning";
    case CheckStatus::kFailing: return "failing";
    case CheckStatus::kMissingTool: return "missing-tool";
  }
  return "failing";
}

Command health_checks_command(const std::vector<HealthCheck>& checks) {
  // drivers/scripts/health_checks.sh defines the _sk_ functions the calls use.
  std::string script(scripts::kHealthChecksSh);
  std::chrono::milliseconds longest{0};
  for (size_t i = 0; i < checks.size(); ++i) {
    const HealthCheck& c = checks[i];
    const std::string label = std::to_string(i) + "\t" + c.alloc_id + "\t" + field(c.service) + "\t" + field(c.name);
    // stdin is the script itself (sh -s): no check may read from it.
    script += shell_join(check_call(c, label)) + " </dev/null &\n";
    longest = std::max(longest, c.timeout);
  }
  script += "wait\n";
  return Command{{"sh", "-s"}, script, longest + std::chrono::seconds(10)};
}

std::vector<CheckOutcome> parse_check_outcomes(const std::string& output) {
  std::vector<CheckOutcome> out;
  size_t start = 0;
  while (start < output.size()) {
    size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    const std::string line = output.substr(start, end - start);
    start = end + 1;
    std::vector<std::string> f = split_tabs(line, 7);
    if (f.size() != 7 || f[0] != "skiff-check") continue;
    CheckOutcome o;
    // A host's text: an index that is not a number that fits is no line of ours.
    const auto [end_of_index, error] = std::from_chars(f[1].data(), f[1].data() + f[1].size(), o.index);
    if (f[1].empty() || error != std::errc() || end_of_index != f[1].data() + f[1].size()) continue;
    o.alloc_id = f[2];
    o.service = f[3];
    o.check = f[4];
    if (f[5] == "passing") o.status = CheckStatus::kPassing;
    else if (f[5] == "warning") o.status = CheckStatus::kWarning;
    else if (f[5] == "missing-tool") o.status = CheckStatus::kMissingTool;
    else if (f[5] == "failing") o.status = CheckStatus::kFailing;
    else continue;
    o.detail = base::terminal_safe(f[6]);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace skiff::drivers
