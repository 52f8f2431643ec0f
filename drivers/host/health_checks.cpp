#include "drivers/host/health_checks.hpp"

#include <algorithm>
#include <cctype>

#include "drivers/shell_quote.hpp"

namespace skiff::drivers {

namespace {

// The shell functions every check script starts with. Each check runs as
// `_sk_<type> LABEL TIMEOUT ...` in a background subshell and prints its
// one line with a single printf, short enough to be written atomically.
constexpr const char* kCheckFunctions = R"SH(_sk_has() { command -v "$1" >/dev/null 2>&1; }
# _sk_say LABEL STATUS DETAIL: a check's line.
_sk_say() { printf 'skiff-check\t%s\t%s\t%s\n' "$1" "$2" "$(printf '%s' "$3" | tr '\011\015\012' '   ' | cut -c 1-200)"; }
# _sk_t SECONDS COMMAND...: the command, bounded; 124 when it ran out.
_sk_t() {
  _t=$1; shift; _s=$(date +%s)
  if _sk_has timeout; then
    timeout -k 1 "$_t" "$@"; _x=$?
  else
    "$@" & _p=$!
    ( sleep "$_t"; kill -9 "$_p" ) >/dev/null 2>&1 & _w=$!
    wait "$_p"; _x=$?
    kill "$_w" 2>/dev/null
  fi
  case $_x in 124|137|143) [ $(( $(date +%s) - _s )) -ge "$_t" ] && _x=124 ;; esac
  return "$_x"
}
# _sk_code: the status of the first HTTP response in a tool's output.
_sk_code() { sed -n 's/^[[:space:]]*HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' | head -n 1; }
_sk_has_wget() { _sk_has wget || { _sk_has busybox && busybox --list 2>/dev/null | grep -qx wget; }; }
# _sk_tcp LABEL TIMEOUT ADDRESS PORT
_sk_tcp() {
  if _sk_has bash; then
    _sk_t "$2" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$3" "$4" >/dev/null 2>&1; _r=$?
  elif _sk_has nc && nc -h 2>&1 | grep -q -e ' -z'; then
    _sk_t "$2" nc -z -w "$2" "$3" "$4" >/dev/null 2>&1; _r=$?
  else
    _sk_say "$1" missing-tool "a tcp check needs bash or an nc that takes -z on the host"; return
  fi
  case $_r in
    0) _sk_say "$1" passing "connected to $3:$4" ;;
    124) _sk_say "$1" failing "no connection to $3:$4 within $2 s" ;;
    *) _sk_say "$1" failing "cannot connect to $3:$4" ;;
  esac
}
# _sk_http LABEL TIMEOUT METHOD URL ADDRESS PORT REQUEST [HEADER...]
# REQUEST is the raw HTTP/1.0 request for bash or nc, empty for https.
_sk_http() {
  _l=$1 _to=$2 _m=$3 _u=$4 _a=$5 _po=$6 _rq=$7; shift 7
  _c= _r=
  if _sk_has curl; then
    for _h; do set -- "$@" -H "$_h"; shift; done
    if [ "$_m" = HEAD ]; then set -- -I "$@"; else set -- -X "$_m" "$@"; fi
    _c=$(_sk_t "$_to" curl -s -k -o /dev/null -w '%{http_code}' --max-time "$_to" "$@" "$_u" 2>/dev/null); _r=$?
    [ "$_c" = 000 ] && _c=
  elif _sk_has_wget && { [ "$_m" = GET ] || wget -V >/dev/null 2>&1; }; then
    for _h; do set -- "$@" --header "$_h"; shift; done
    if wget -V >/dev/null 2>&1; then set -- wget -t 1 -T "$_to" --method="$_m" "$@"
    elif _sk_has wget; then set -- wget "$@"
    else set -- busybox wget "$@"; fi
    _o=$(_sk_t "$_to" "$@" -S -O /dev/null --no-check-certificate "$_u" 2>&1); _r=$?
    _c=$(printf '%s\n' "$_o" | _sk_code)
  elif [ -n "$_rq" ] && _sk_has bash; then
    _o=$(_sk_t "$_to" bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "%s" "$2" >&3 && IFS= read -r l <&3 && printf "%s\n" "$l"' "$_a" "$_po" "$_rq" 2>/dev/null); _r=$?
    _c=$(printf '%s\n' "$_o" | _sk_code)
  elif [ -n "$_rq" ] && _sk_has nc; then
    _o=$(_sk_t "$_to" sh -c 'printf "%s" "$2" | nc "$0" "$1"' "$_a" "$_po" "$_rq" 2>/dev/null); _r=$?
    _c=$(printf '%s\n' "$_o" | _sk_code)
  elif [ -n "$_rq" ]; then
    _sk_say "$_l" missing-tool "an http check needs curl, wget, bash or nc on the host"; return
  else
    _sk_say "$_l" missing-tool "an https check needs curl or wget on the host"; return
  fi
  case $_c in
    2??) _sk_say "$_l" passing "status $_c" ;;
    429) _sk_say "$_l" warning "status $_c" ;;
    ???) _sk_say "$_l" failing "status $_c" ;;
    *) if [ "$_r" = 124 ]; then _sk_say "$_l" failing "no response from $_a:$_po within $_to s"
       else _sk_say "$_l" failing "no response from $_a:$_po (connection refused or reset)"; fi ;;
  esac
}
# _sk_script LABEL TIMEOUT DIR COMMAND...
_sk_script() {
  _l=$1 _to=$2 _d=$3; shift 3
  if [ -n "$_d" ] && [ ! -d "$_d" ]; then _sk_say "$_l" failing "no folder $_d"; return; fi
  _o=$(cd "${_d:-.}" && _sk_t "$_to" "$@" 2>&1); _r=$?
  _o=$(printf '%s\n' "$_o" | head -n 1)
  case $_r in
    0) _sk_say "$_l" passing "exit 0${_o:+: $_o}" ;;
    1) _sk_say "$_l" warning "exit 1${_o:+: $_o}" ;;
    124) _sk_say "$_l" failing "no result within $_to s" ;;
    *) _sk_say "$_l" failing "exit $_r${_o:+: $_o}" ;;
  esac
}
)SH";

// A name as one field of a line: no tabs or line breaks.
std::string field(std::string text) {
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
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
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
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
      std::vector<std::string> call = {"_sk_http", label, timeout, c.method, url, c.address, std::to_string(c.port),
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
  std::string script = kCheckFunctions;
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
    if (f.size() != 7 || f[0] != "skiff-check" || f[1].empty() || !std::all_of(f[1].begin(), f[1].end(), ::isdigit)) continue;
    CheckOutcome o;
    o.index = std::stoul(f[1]);
    o.alloc_id = f[2];
    o.service = f[3];
    o.check = f[4];
    if (f[5] == "passing") o.status = CheckStatus::kPassing;
    else if (f[5] == "warning") o.status = CheckStatus::kWarning;
    else if (f[5] == "missing-tool") o.status = CheckStatus::kMissingTool;
    else if (f[5] == "failing") o.status = CheckStatus::kFailing;
    else continue;
    o.detail = f[6];
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace skiff::drivers
