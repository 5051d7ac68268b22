# tests/cluster/msg-lib.sh: helpers shared by the msg-*.sh cluster tests.
# Sourced after harness_enter.  Provides:
#   MSG_TOOL            absolute path of tests/msg_tool
#   MSG_DIR             a scratch directory for logs ($HARNESS_DIR/msg)
#   msg_tool I ARGS...  run msg_tool in node I, bounded (MSG_TOOL_TIMEOUT, 120 s)
#   msg_tool_bg I OUT ARGS...  the same in the background, stdout+stderr to
#                       OUT; the pid (hub view) is left in MSG_BG_PID
#   msg_wait_exit PID TIMEOUT  wait (polling) for a background job; its exit
#                       status is left in MSG_RC (124 if still running: killed)
#   msg_field LINE KEY  print the value of KEY=... in a result line
#   msg_lines FILE      lines in FILE (0 if absent)
#   msg_has_lines FILE N  true once FILE has at least N lines
#   msg_result OUT CMD  the last "CMD: ..." result line in file OUT

if [ -n "${TESTS_BINDIR:-}" ]; then
	MSG_TOOL=$TESTS_BINDIR/msg_tool
else
	MSG_TOOL=${top_builddir:-$HARNESS_LIB/../..}/tests/msg_tool
fi
if [ ! -x "$MSG_TOOL" ]; then
	echo "ERROR: $MSG_TOOL is not built (make -C tests msg_tool)" >&2
	exit 99
fi
MSG_TOOL=$(cd "$(dirname "$MSG_TOOL")" && pwd)/${MSG_TOOL##*/}
: "${MSG_TOOL_TIMEOUT:=120}"
MSG_DIR=$HARNESS_DIR/msg
mkdir -p "$MSG_DIR" || exit 99

msg_tool() {
	local i=$1
	shift
	node_exec "$i" timeout -k 5 "$MSG_TOOL_TIMEOUT" "$MSG_TOOL" "$@"
}

msg_tool_bg() {
	local i=$1 out=$2
	shift 2
	node_exec "$i" timeout -k 5 "$MSG_TOOL_TIMEOUT" "$MSG_TOOL" "$@" >"$out" 2>&1 &
	MSG_BG_PID=$!
}

_msg_pid_gone() {
	! kill -0 "$1" 2>/dev/null
}

msg_wait_exit() {
	local pid=$1 timeout=$2
	if ! wait_until "$timeout" _msg_pid_gone "$pid"; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		MSG_RC=124
		return 1
	fi
	wait "$pid"
	MSG_RC=$?
	return 0
}

msg_field() {
	local line=$1 key=$2
	echo "$line" | tr ' ' '\n' | sed -n "s/^$key=//p" | tail -n 1
}

msg_lines() {
	if [ -f "$1" ]; then
		wc -l <"$1"
	else
		echo 0
	fi
}

msg_has_lines() {
	[ "$(msg_lines "$1")" -ge "$2" ]
}

msg_result() {
	grep "^$2: " "$1" 2>/dev/null | tail -n 1
}

# msg_show OUT...: print the outputs of background tools (for the log).
msg_show() {
	local f
	for f in "$@"; do
		[ -f "$f" ] || continue
		sed "s|^|  ${f##*/}: |" "$f"
	done
}
