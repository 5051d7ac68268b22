#!/bin/bash
# log-stall.sh: a log target that stops taking lines (a disk stuck in a
# journal commit, a syslog daemon that does not read) must not stall safd.
# One node whose safd logs at debug level into a FIFO that a reader holds
# open and never reads: the pipe fills after 64 KiB. safd must go on
# answering 300 `safctl status` (each logs ~1 KB) within its usual time;
# once the reader drains the FIFO, the lines arrive (or libqb's count of
# the lines it dropped).
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"

fifo=$HARNESS_DIR/stall.fifo
mkfifo "$fifo" || fail "cannot make $fifo"
# Opens the FIFO for reading (it waits for safd to open it for writing),
# then reads nothing until told to drain.
sleep 3600 <"$fifo" &
holder=$!
SAFD_DEBUG=1 HARNESS_SAFD_ARGS="-l $fifo" cluster_start 1 || fail "the node did not start"

t0=$(harness_now_ms)
for i in $(seq 1 300); do
	node_exec 1 timeout 5 "$SAFCTL" status --json >/dev/null ||
		fail "safctl status $i failed or took over 5 s: safd stalled on its log"
done
t1=$(harness_now_ms)
echo "300 safctl status with the log stalled: $((t1 - t0)) ms"
_node_safd_alive 1 || fail "safd died"
rss=$(node_exec 1 sh -c 'grep VmRSS /proc/$(cat '"$(node_dir 1)"'/safd.pid)/status' |
	awk '{print $2}')
echo "safd VmRSS with ~300 KB of log lines waiting: ${rss} kB"

# Drain: the lines come out (a lost-lines count is also fine), then stop.
lines=$(timeout 10 head -n 2000 "$fifo" | wc -l)
kill "$holder" 2>/dev/null
echo "read $lines log lines from the FIFO"
[ "$lines" -ge 1000 ] || fail "only $lines log lines came out of the FIFO"
node_stop_safd 1 || fail "safd did not stop cleanly"
echo "log-stall: PASS"
