#!/bin/bash
# fault-corosync-kill.sh: issue 5, fault injection.  corosync is killed with
# SIGKILL on one node while clients send, then restarted there with safd.
#
# 3 nodes; a persistent queue read on node 2; senders on nodes 1 and 3.
# corosync on node 3 is SIGKILLed.  Asserts:
# - safd on node 3 notices and exits with status 1, logs "lost the
#   connection to corosync" and writes its blackbox (safd(8) EXIT STATUS);
# - nodes 1 and 2 see 2 members within token + consensus + 2 s, stay quorate,
#   and their sender goes on; no call of a client on nodes 1 and 2 fails
#   (TRY_AGAIN, retried, aside);
# - node 3's sender gets only documented errors, and nothing is
#   acknowledged on node 3 while it has no corosync;
# - corosync and safd restarted on node 3: safd synced, 3 members
#   everywhere, the same cluster log, parked queue and queue attributes on
#   every node; node 3's sender is served again (it re-initializes);
# - every acknowledged message received, none twice (the receiver's node
#   was not touched), a message received but not acknowledged only if its
#   send failed with LIBRARY or TIMEOUT; all nodes agree on
#   `safctl msg queues --json` at the end.
# Prints the times (safd's exit, the membership change, the longest send
# on node 1, the restart, node 3's sender served again) and the totals.
export HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-150}
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/msg-lib.sh"
. "$(dirname "$0")/fault-lib.sh"

# The harness restarts corosync alone only inside node_start; these are its
# pieces (see _node_start_corosync in cluster.sh).
for f in _node_start_corosync _node_wait_corosync; do
	declare -F "$f" >/dev/null || fail "the harness has no $f: cannot restart corosync alone"
done

Q=fault-corosync-queue
W=fault-corosync-parked
V=3

cluster_start 3 || fail "the cluster did not start"
out=$(msg_tool 1 create "$Q" --persistent) || fail "cannot create $Q: $out"
out=$(msg_tool 1 create "$W" --persistent --area 65536) || fail "cannot create $W: $out"
out=$(msg_tool 2 send "$W" 5 --from 1 --prio 2) || fail "cannot fill $W: $out"
token=$(node_exec 1 corosync-cmapctl -g runtime.config.totem.token | sed 's/.* = //')
consensus=$(node_exec 1 corosync-cmapctl -g runtime.config.totem.consensus | sed 's/.* = //')
bound=$(( token + consensus + 2000 * ${HARNESS_SLOW:-1} ))

fault_receiver r2 2 "$Q"
fault_sender s1 1 "$Q" 1
fault_sender s3 3 "$Q" 5000001
fault_flowing 20 s1.acked s3.acked r2.recv

fault_mid_run 20 s3
nd=$(node_dir "$V")
cpid=$(cat "$nd/corosync.pid") || fail "no corosync pid for node $V"
safd_job=${_NODE_SAFD_JOB[$V]}
t_kill=$(harness_now_ms)
fault_mark "$V"
node_exec "$V" kill -KILL "$cpid" || fail "cannot kill corosync on node $V"
at_kill=$(msg_lines "$MSG_DIR/s3.acked")
harness_log "node $V: corosync killed (SIGKILL)"

# safd on node 3 must notice and exit 1, with its blackbox.
_safd_gone() { ! node_safd_alive "$V"; }
wait_until 10 _safd_gone || fail "safd on node $V still runs 10 s after its corosync died"
t_exit=$(harness_now_ms)
wait "$safd_job"
rc=$?
[ "$rc" = 1 ] || fail "safd on node $V exited with status $rc after losing corosync, expected 1 (safd(8))"
grep -q 'lost the connection to corosync' "$nd/safd.log" ||
	fail "safd on node $V did not log that it lost corosync: $(tail -n 5 "$nd/safd.log")"
bb=$(sed -n 's/.*blackbox written to \([^ ]*\).*/\1/p' "$nd/safd.log" | tail -n 1)
[ -n "$bb" ] || fail "safd on node $V did not write its blackbox: $(tail -n 5 "$nd/safd.log")"
[ -s "$bb" ] || [ -s "$nd/safd-state/${bb##*/}" ] || fail "the blackbox $bb is missing or empty"
echo "node $V: safd exited $(( t_exit - t_kill )) ms after corosync was killed, status $rc, blackbox ${bb##*/}"

# The others: 2 members after token + consensus, still quorate, still sending.
wait_for_members_all 2 15 1 2 || fail "nodes 1 and 2 do not see node $V leave"
left_ms=0
for i in 1 2; do
	d=$(( HARNESS_SEEN_AT[i] - t_kill ))
	[ "$d" -gt "$left_ms" ] && left_ms=$d
done
echo "nodes 1 and 2 see 2 members $left_ms ms after the kill (token $token + consensus $consensus ms; bound $bound ms)"
[ "$left_ms" -le "$bound" ] || fail "membership took $left_ms ms to drop, bound $bound ms"
for i in 1 2; do
	safd_status "$i" | jq -e '.quorate == true and .synced == true' >/dev/null ||
		fail "node $i is not quorate and synced with 2 of 3 nodes: $(safd_status "$i")"
done
base=$(msg_lines "$MSG_DIR/s1.acked")
wait_until 15 msg_has_lines "$MSG_DIR/s1.acked" $(( base + 50 )) ||
	fail "the sender on node 1 stopped after node $V lost corosync"
wait_until $(( 15 * HARNESS_SLOW )) fault_cluster_agrees "$Q" "$W" 1 2 ||
	fail "nodes 1 and 2 disagree: $(fault_disagreement 1 2)"

# Nothing is acknowledged on node 3 while it has no corosync (counted from
# here, seconds after safd exited, to the restart of safd).
down=$(msg_lines "$MSG_DIR/s3.acked")
t_restart=$(harness_now_ms)
_node_start_corosync "$V"
_node_wait_corosync "$V" || fail "corosync on node $V did not restart"
_corosync_three() { [ "$(corosync_member_count "$V" 2>/dev/null)" = 3 ]; }
wait_until 20 _corosync_three || fail "the restarted corosync on node $V does not see 3 members"
t_coro=$(harness_now_ms)
[ "$(msg_lines "$MSG_DIR/s3.acked")" = "$down" ] || fail "node $V acknowledged sends without safd"
echo "node $V: $(( down - at_kill )) more sends acknowledged there right after the kill, none while it was down"
node_start_safd "$V" || fail "safd on node $V did not restart"
t_up=$(harness_now_ms)
fault_served 30 "s3=$(( down + 20 ))" ||
	fail "the sender on node $V is not served again: $(tail -n 3 "$MSG_DIR/s3.log")"
t_back=${FAULT_SERVED[s3]}
safd_status "$V" | jq -e '.synced == true and .quorate == true' >/dev/null ||
	fail "node $V is not synced and quorate after the restart: $(safd_status "$V")"
wait_for_members_all 3 15 1 2 3 || fail "the nodes do not see 3 members again"
wait_until $(( 15 * HARNESS_SLOW )) fault_cluster_agrees "$Q" "$W" 1 2 3 ||
	fail "the nodes disagree after node $V came back: $(fault_disagreement 1 2 3)"
t_err=$(fault_first_failure s3 "$t_kill")
[ -n "$t_err" ] || fail "the sender on node $V, inside a send when corosync died, saw no error"
t_err="$(( t_err - t_kill )) ms after the kill"
echo "node $V: corosync restarted and merged in $(( t_coro - t_restart )) ms, safd synced $(( t_up - t_coro )) ms later;" \
	"its sender saw an error $t_err," \
	"had 20 more acknowledged $(( t_back - t_up )) ms after safd was synced ($(( t_back - t_kill )) ms after the kill)"
echo "node 1's longest send while node $V was away and back: $(fault_max_stall "$t_kill" "$t_back" s1) ms"
fault_flowing 20 s1.acked s3.acked r2.recv

fault_finish "$Q" 2 r2 s1 s3
[ "$FAULT_DUPS" = 0 ] || fail "$FAULT_DUPS messages delivered twice (e.g. $FAULT_DUP_LIST); the receiver's node was not touched"
wait_until $(( 15 * HARNESS_SLOW )) fault_queues_agree || fail "the nodes disagree on the queues at the end: $(fault_disagreement 1 2 3)"
fin=$(fault_queues 1 | jq -c --arg q "$Q" '.queues[] | select(.name == $q) | {open, messages, bytes}')
echo "all nodes hold the same queues; $Q: $fin"
echo "$fin" | jq -e '.messages == 0' >/dev/null || fail "$Q is not empty after the final read: $fin"
echo "fault-corosync-kill: PASS"
