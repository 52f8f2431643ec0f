# Reads a state file of the ssh state store.
# Arguments: $1 the file.
# Prints it. Exits 10 when there is none; else cat's status.
# shellcheck shell=sh
# --- skiff embeds the text below, byte for byte ---

[ -e "$1" ] || exit 10
exec cat -- "$1"
