# Runs observe.awk over a data dir: lists the alloc.json and status files,
# the process groups of removed allocations still alive (D/lingering/) and,
# once skiff has run a container there, the skiff-labelled containers.
# Arguments: $1 the data dir; then either `-e PROGRAM` (observe.awk's text)
# or the path of the installed observe.awk.
# A file a task turned into a symbolic link (alloc.json, a status file, or
# the folders and files beside it that observe.awk reads) is not read: it
# could point anywhere on the host. Its allocation or task is then not
# seen, as if it had removed the file.
# The links are told apart with builtins only ([ and set), and so are the
# process groups of removed allocations that outlived SIGKILL
# (task_leftovers.sh records them in D/lingering/; "ID.TASK:PGID" for each
# still there goes to awk in SKIFF_LINGERING): the common case starts no
# program but awk. Once skiff has run a container here, D/containers names
# the CLI: every skiff-labelled container is listed ("name|" lines), so
# that one without a folder is reported, and inspected ("name|status|exit
# code|restarts"). The program's text carries no comment: it is sent with
# every observation.
# Prints what observe.awk prints. Exits 127, with "skiff: PATH is missing"
# on stderr, when the installed program is not there (skiff then installs
# it and runs again); else awk's status.
# shellcheck shell=sh
# --- skiff embeds the text below, byte for byte ---
d=$1
if [ "$2" = -e ]; then o='' p=$3; else
  [ -r "$2" ] || { echo "skiff: $2 is missing" >&2; exit 127; }
  o=-f p=$2
fi
set --
for f in "$d"/allocs/*/alloc.json; do
  [ -L "$f" ] || [ -L "${f%/*}" ] || set -- "$@" "$f"
done
for f in "$d"/allocs/*/*/.skiff/status; do
  c=${f%/status}
  [ -L "$f" ] || [ -L "$c" ] || [ -L "${c%/.skiff}" ] || [ -L "$c/supervisor.pid" ] || [ -L "$c/limits" ] \
    || set -- "$@" "$f"
done
SKIFF_DATA_DIR=$d
SKIFF_LINGERING=
for f in "$d"/lingering/*; do
  [ -f "$f" ] && read -r g < "$f" || continue
  { kill -0 -- "-$g" || kill -0 "-$g"; } 2>/dev/null && SKIFF_LINGERING="$SKIFF_LINGERING ${f##*/}:$g"
done
export SKIFF_DATA_DIR SKIFF_LINGERING
[ -f "$d/containers" ] || exec awk ${o:+"$o"} "$p" "$@" </dev/null
cli=$(cat "$d/containers")
{
  names=$("$cli" ps -a --filter label=skiff.alloc --format '{{.Names}}' 2>/dev/null)
  for n in $names; do echo "$n|"; done
  [ -n "$names" ] && "$cli" inspect --format '{{.Name}}|{{.State.Status}}|{{.State.ExitCode}}|{{.RestartCount}}' $names 2>/dev/null
} | exec awk ${o:+"$o"} "$p" "$@"
