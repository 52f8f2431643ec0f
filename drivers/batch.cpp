#include "drivers/batch.hpp"

#include "drivers/shell_quote.hpp"

namespace skiff::drivers {

Command batch_command(const std::vector<Command>& commands, const std::string& token) {
  std::string script;
  std::chrono::milliseconds timeout{0};
  for (size_t i = 0; i < commands.size(); ++i) {
    const std::string n = std::to_string(i);
    script += "printf '%s\\n' '" + token + "-s " + n + "'; printf '%s\\n' '" + token + "-s " + n + "' >&2\n";
    script += "( " + shell_join(commands[i].argv) + "\n) ";
    if (const std::optional<std::string>& input = commands[i].stdin_data) {
      // Quoted: the lines are taken as they are, nothing expanded.
      const std::string end = token + "-i" + n;
      script += "<<'" + end + "'\n" + *input + (input->empty() || input->back() != '\n' ? "\n" : "") + end + "\n";
    } else {
      script += "</dev/null\n";
    }
    script += "printf '\\n%s %d\\n' '" + token + "-e " + n + "' \"$?\"; printf '\\n%s\\n' '" + token + "-e " + n + "' >&2\n";
    timeout += commands[i].timeout;
  }
  // The script goes in on stdin: a step can be far larger than the 128 KiB
  // Linux allows one argument (a host with fifty starts is).
  return Command{{"sh", "-s"}, script, timeout};
}

namespace {

// The text between "<token>-s i\n" and "\n<token>-e i" in `stream`, or
// nullopt when the end marker is missing.
std::optional<std::string> section(const std::string& stream, const std::string& token, size_t i, size_t& after) {
  const std::string begin = token + "-s " + std::to_string(i) + "\n";
  const std::string end = "\n" + token + "-e " + std::to_string(i);
  size_t start = stream.find(begin);
  if (start == std::string::npos) return std::nullopt;
  start += begin.size();
  size_t stop = stream.find(end, start);
  if (stop == std::string::npos) return std::nullopt;
  after = stop + end.size();
  return stream.substr(start, stop - start);
}

// ": <the last line the batch printed on stderr>", or "".
std::string last_words(const std::string& stderr_data) {
  size_t end = stderr_data.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  size_t start = stderr_data.rfind('\n', end);
  std::string line =
      stderr_data.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
  if (line.find("-e ") != std::string::npos && line.rfind("skiff-", 0) == 0) return "";
  return ": " + line;
}

}  // namespace

std::vector<Result<CommandResult>> split_batch(const CommandResult& batch, size_t count, const std::string& token) {
  std::vector<Result<CommandResult>> out;
  for (size_t i = 0; i < count; ++i) {
    size_t after_out = 0, after_err = 0;
    std::optional<std::string> out_text = section(batch.stdout_data, token, i, after_out);
    std::optional<std::string> err_text = section(batch.stderr_data, token, i, after_err);
    if (!out_text) {
      out.emplace_back(make_error(ErrorCode::kUnavailable,
                                  "command " + std::to_string(i + 1) + " of " + std::to_string(count) +
                                      " did not finish (the batch ended with status " + std::to_string(batch.exit_status) +
                                      last_words(batch.stderr_data) + ")"));
      continue;
    }
    CommandResult r;
    r.stdout_data = *out_text;
    r.stderr_data = err_text.value_or("");
    r.exit_status = std::atoi(batch.stdout_data.c_str() + after_out);
    out.emplace_back(std::move(r));
  }
  return out;
}

}  // namespace skiff::drivers
