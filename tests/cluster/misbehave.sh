#!/bin/bash
# misbehave.sh: clients that behave badly cannot stall safd or hold up the
# others (one node). A well-behaved client (misbehave probe: 200 synchronous
# 64-byte sends, one at a time) is timed alone, then while
#   handles     one process opens handles without end: it gets
#               SA_AIS_ERR_NO_RESOURCES at --max-client-connections (set to
#               64 here, 256 by default: each connection costs safd
#               384 KiB of shared memory), safd's memory stays bounded, others
#               still connect;
#   nodispatch  a process holds a queue with a receive callback and never
#               dispatches, while 2,000 messages are sent to it: every send
#               is acknowledged, the messages wait in the queue;
#   flood       8 threads send asynchronously as fast as they can;
#   bigbuf      a libqb client asks for 8 MiB IPC buffers (libqb would make
#               safd's rings that big): refused, and safd logs why.
# The bound: the probe's p99 stays under PROBE_BOUND_MS (500 ms; about
# 1-20 ms alone on the 2-core test VM), and it never fails.
# Garbage on an IPC connection is bad-input.sh's.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"

: "${TESTS_BINDIR:=${top_builddir:-$HARNESS_LIB/../..}/tests}"
MB=$TESTS_BINDIR/misbehave
MSG_TOOL=$TESTS_BINDIR/msg_tool
PROBE_BOUND_MS=${PROBE_BOUND_MS:-500}
AIS_ERR_NO_RESOURCES=18

HARNESS_SAFD_ARGS="${HARNESS_SAFD_ARGS:+$HARNESS_SAFD_ARGS }--max-client-connections 64"
export HARNESS_SAFD_ARGS
cluster_start 1 || fail "the node did not start"
node_exec 1 "$MSG_TOOL" create probe-q --retention 600000 >/dev/null ||
	fail "cannot create the probe queue"

# probe WHAT: run the probe, check it, print its figures.
probe() {
	local out p99
	out=$(node_exec 1 "$MB" probe probe-q 200) || fail "$1: the probe failed: $out"
	p99=$(sed -n 's/.* p99_ms=\([0-9.]*\) .*/\1/p' <<<"$out")
	awk -v p="$p99" -v b="$PROBE_BOUND_MS" 'BEGIN { exit !(p < b) }' ||
		fail "$1: the probe's p99 is $p99 ms, bound $PROBE_BOUND_MS ms ($out)"
	echo "misbehave: $1: $out"
}

safd_rss_kb() {
	node_exec 1 bash -c 'awk "/VmRSS/ {print \$2}" /proc/$(pgrep -x safd)/status'
}

# hold NAME CMD...: run CMD in node 1 until `release NAME`; its output in
# $HARNESS_DIR/NAME.out.
hold() {
	local name=$1
	shift
	mkfifo "$HARNESS_DIR/$name.fifo"
	( node_exec 1 "$@" <"$HARNESS_DIR/$name.fifo" >"$HARNESS_DIR/$name.out" 2>&1 ) &
	eval "exec {HOLD_$name}>\"\$HARNESS_DIR/$name.fifo\""
}
release() {
	local fd_var="HOLD_$1"
	eval "exec ${!fd_var}>&-"
}
out_has() { grep -q "$2" "$HARNESS_DIR/$1.out" 2>/dev/null; }

probe alone
rss0=$(safd_rss_kb)

# ----------------------------------------------------------------- handles
hold handles "$MB" handles 5000
wait_until 60 out_has handles "^handles: " || fail "handles: no result: $(cat "$HARNESS_DIR/handles.out")"
read -r opened err < <(sed -n 's/^handles: opened=\([0-9]*\) err=\([0-9]*\)$/\1 \2/p' "$HARNESS_DIR/handles.out")
[ "$err" = "$AIS_ERR_NO_RESOURCES" ] ||
	fail "handles: the hog stopped with error $err after $opened handles, want SA_AIS_ERR_NO_RESOURCES"
[ "$opened" -ge 32 ] && [ "$opened" -le 64 ] ||
	fail "handles: the hog opened $opened handles, want 32..64 (64 connections)"
grep -q "refused a connection from pid [0-9]*: the process has too many connections (64)" \
	"$HARNESS_DIR/node1/safd.log" || fail "handles: safd did not log the refusal"
rss=$(safd_rss_kb)
echo "misbehave: handles: the hog got $opened handles, then SA_AIS_ERR_NO_RESOURCES; safd RSS $rss0 -> $rss kB"
[ $(( rss - rss0 )) -lt $(( 64 * 4 * 1024 )) ] ||
	fail "handles: safd grew by $(( rss - rss0 )) kB for 64 connections"
node_exec 1 "$SAFCTL" status >/dev/null || fail "handles: safctl cannot connect"
probe "while a process holds $opened handles"
release handles

# -------------------------------------------------------------- nodispatch
hold nodispatch "$MB" nodispatch lazy-q
wait_until 20 out_has nodispatch "^nodispatch: open err=1$" ||
	fail "nodispatch: the queue did not open: $(cat "$HARNESS_DIR/nodispatch.out")"
node_exec 1 "$MSG_TOOL" send lazy-q 2000 --no-retry >/dev/null ||
	fail "nodispatch: sending 2000 messages to a queue whose owner never dispatches failed"
n=$(node_exec 1 "$SAFCTL" --json msg queue lazy-q | jq '.messages')
[ "$n" = 2000 ] || fail "nodispatch: the queue holds $n messages, want 2000"
probe "while a receiver never dispatches its 2000 messages"
release nodispatch

# ------------------------------------------------------------------- flood
node_exec 1 "$MSG_TOOL" create flood-q --retention 600000 >/dev/null || fail "cannot create flood-q"
hold flood "$MB" flood flood-q 6 8
probe "while 8 threads flood asynchronous sends"
wait_until 30 out_has flood "^flood: " || fail "flood: no result"
echo "misbehave: $(cat "$HARNESS_DIR/flood.out")"
release flood
node_exec 1 "$SAFCTL" status >/dev/null || fail "safd does not answer after the floods"

# ------------------------------------------------------------------ bigbuf
out=$(node_exec 1 "$MB" bigbuf safd-msg $(( 8 * 1024 * 1024 )))
[[ $out == "bigbuf: connected=0 "* ]] || fail "bigbuf: a client asking for 8 MiB buffers got in: $out"
grep -q "refused a connection from pid [0-9]*: it asked for 8388608-byte IPC buffers" \
	"$HARNESS_DIR/node1/safd.log" || fail "bigbuf: safd did not log the refusal"
out=$(node_exec 1 "$MB" bigbuf safd-msg 4096)
[[ $out == "bigbuf: connected=1 "* ]] || fail "bigbuf: a client asking for small buffers was refused: $out"
echo "misbehave: bigbuf: 8 MiB buffers refused, safd's own size accepted"
echo "misbehave: PASS"
