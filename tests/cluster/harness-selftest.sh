#!/bin/bash
# harness-selftest.sh: the cluster harness itself, with corosync only (no
# safd): private namespaces per node, node_exec, link cut/heal, kill/restart,
# wait_until deadlines, the sanitizer report scan.  Corosync's own
# membership is the witness.
HARNESS_NO_SAFD=1
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"

# wait_until honours its deadline and reports failure.
t0=$(harness_now_ms)
if wait_until 0.3 false; then
	fail "wait_until false succeeded"
fi
d=$(( $(harness_now_ms) - t0 ))
[ "$d" -ge 300 ] && [ "$d" -lt 1300 ] || fail "wait_until 0.3 false took $d ms"

cluster_start 3 || fail "the cluster did not start"
for i in 1 2 3; do
	[ "$(corosync_member_count "$i")" = 3 ] || fail "node $i: corosync does not see 3 members"
	corosync_quorate "$i" || fail "node $i: not quorate"
	node_exec "$i" ip -o -4 addr show dev eth0 | grep -q " $HARNESS_NET.$i/24 " ||
		fail "node $i: eth0 has not $HARNESS_NET.$i"
done

# Each node has its own pid namespace, /run and /dev/shm.
[ "$(node_exec 1 cat /proc/1/comm)" = bash ] || fail "node 1: pid 1 is not the harness init"
node_exec 1 touch /run/harness-selftest /dev/shm/harness-selftest || fail "node 1: cannot write /run"
for f in /run/harness-selftest /dev/shm/harness-selftest; do
	node_exec 2 test ! -e "$f" || fail "node 2 sees node 1's $f"
	test ! -e "$f" || fail "the hub sees node 1's $f"
done

# node_exec keeps the working directory and the environment.
out=$(cd "$HARNESS_DIR" && HARNESS_SELFTEST_VAR=x42 node_exec 2 sh -c 'echo "$PWD $HARNESS_SELFTEST_VAR"')
[ "$out" = "$HARNESS_DIR x42" ] || fail "node_exec lost cwd/env: '$out'"

# Cut node 2's link: 1 and 3 lose it, node 2 is alone.
link_cut 2 || fail "link_cut failed"
wait_for_members 1 2 10 || fail "node 1 still sees node 2 after the cut"
wait_for_members 3 2 10 || fail "node 3 still sees node 2 after the cut"
wait_for_members 2 1 10 || fail "node 2 still sees others after the cut"
corosync_quorate 2 && fail "node 2 alone is quorate"

# While node 2 is cut off: kill node 3 at once, then restart it (it must
# join node 1 only).
node_kill 3 || fail "node_kill failed"
node_running 3 && fail "node 3 still running after node_kill"
node_exec 3 true 2>/dev/null && fail "node_exec into a killed node succeeded"
wait_for_members 1 1 10 || fail "node 1 still sees node 3"
node_start 3 || fail "node 3 did not restart"
[ "$(corosync_member_count 3)" = 2 ] || fail "node 3 did not join node 1 alone"

# Heal node 2: all three again.
link_heal 2 || fail "link_heal failed"
wait_for_members_all 3 15 1 2 3 || fail "no 3 members after healing node 2's link"

# Stopping corosync on one node.
node_stop_corosync 1 || fail "node_stop_corosync failed"
node_exec 1 corosync-cfgtool -s >/dev/null 2>&1 && fail "corosync still answers on node 1"
wait_for_members_all 2 10 2 3 || fail "nodes 2, 3 still see node 1"
# Sanitizer reports: each node boot has its own log_path (node 3 was
# booted twice), and a report in a report file or in any log of the run
# fails the test (faked here; scripts/check-sanitizers makes real ones).
lp=$(node_exec 3 sh -c 'echo "$ASAN_OPTIONS"')
case $lp in
*"log_path=$HARNESS_DIR/sanitizer/node3.2:"*) ;;
*) fail "node 3's second boot has ASAN_OPTIONS '$lp'" ;;
esac
_harness_sanitizer_findings 2>/dev/null && fail "sanitizer findings in a clean run"
echo "x.c:1:2: runtime error: selftest" >"$(node_dir 2)/selftest.log"
_harness_sanitizer_findings 2>/dev/null || fail "a UBSan report in a node log is not a finding"
rm "$(node_dir 2)/selftest.log"
echo "==1==ERROR: LeakSanitizer: selftest" >"$HARNESS_DIR/sanitizer/node1.1.selftest.1"
_harness_sanitizer_findings 2>/dev/null || fail "a report file is not a finding"
rm "$HARNESS_DIR/sanitizer/node1.1.selftest.1"
_harness_sanitizer_findings 2>/dev/null && fail "sanitizer findings after removing the fakes"
echo "harness-selftest: PASS"
