# Sends a signal to a supervised task's process group. dash's kill needs
# "--" before a negative PID, busybox's refuses it: the second form is for
# busybox.
# Arguments: $2 the signal's name (TERM, HUP, ...).
# Prints nothing; exits with kill's status.
# Joined: after running_task.sh, which sets $pid (see supervisor.cpp).
# shellcheck shell=sh
# shellcheck disable=SC2154 # $pid comes from running_task.sh
# --- skiff embeds the text below, byte for byte ---
kill -s "$2" -- "-$pid" 2>/dev/null || kill -s "$2" "-$pid"
