# The sh functions every health check script starts with. Each check runs
# as `_sk_<type> LABEL TIMEOUT ...` (_sk_tcp, _sk_http, _sk_script) in a
# background subshell and prints its one line with a single printf, short
# enough to be written atomically: "skiff-check<TAB>LABEL<TAB>STATUS<TAB>DETAIL",
# STATUS one of passing, warning, failing, missing-tool.
# Joined: first; health_checks_command() (health_checks.cpp) appends one
# call per check and a `wait`.
# Defines the functions and prints nothing.
# shellcheck shell=sh
# shellcheck disable=SC1007 # "_c= _r=" empties both on purpose
# --- skiff embeds the text below, byte for byte ---
_sk_has() { command -v "$1" >/dev/null 2>&1; }
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
