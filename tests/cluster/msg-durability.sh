#!/bin/bash
# msg-durability.sh: scenario (d).  A message acknowledged to its sender
# survives the death of the sender's node and of the receiver's node.
# Sender on node 1 (persistent queue), receiver on node 2 that read some and
# paused; while the sender is still sending, nodes 1 and 2 are killed at
# once.  Node 3 alone (no quorum) holds the only copy; node 2 then restarts
# empty, joins node 3 (quorum again), and a receiver there must find every
# acknowledged message.  Duplicates are counted and printed.
export HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-180}
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/msg-lib.sh"

N=${MSG_DURABILITY_COUNT:-4000}
PAUSE=500
Q=durable-queue
log=$MSG_DIR/recv.log
acked=$MSG_DIR/acked
paused=$MSG_DIR/paused

cluster_start 3 || fail "the cluster did not start"

msg_tool_bg 2 "$MSG_DIR/recv1.out" recv "$Q" --count "$N" --persistent \
	--log "$log" --pause-after "$PAUSE" --pause-file "$paused" --timeout 100
r1=$MSG_BG_PID
wait_until 20 grep -q '^recv: opened' "$MSG_DIR/recv1.out" ||
	fail "the receiver did not open $Q: $(cat "$MSG_DIR/recv1.out")"
msg_tool_bg 1 "$MSG_DIR/send.out" send "$Q" "$N" --acked "$acked" --deadline 100
s=$MSG_BG_PID
wait_until 60 test -e "$paused" ||
	fail "the receiver did not reach $PAUSE messages: $(cat "$MSG_DIR/recv1.out" "$MSG_DIR/send.out")"
wait_until 60 msg_has_lines "$acked" $(( N / 2 )) ||
	fail "the sender did not get $(( N / 2 )) acknowledgements: $(cat "$MSG_DIR/send.out")"
kill -0 "$s" 2>/dev/null || fail "the sender finished before the kill; raise MSG_DURABILITY_COUNT"

t_kill=$(harness_now_ms)
node_kill 1 || fail "cannot kill node 1"
node_kill 2 || fail "cannot kill node 2"
msg_wait_exit "$s" 10 || fail "the sender survived its node"
msg_wait_exit "$r1" 10 || fail "the receiver survived its node"
n_acked=$(msg_lines "$acked")
echo "nodes 1 and 2 killed: $n_acked messages acknowledged, $(msg_lines "$log") consumed"
[ "$n_acked" -lt "$N" ] || fail "all $N were acknowledged before the kill"
wait_for_members 3 1 10 || fail "node 3 does not see itself alone"
echo "node 3 alone: $(msg_tool 3 status "$Q" --wait-init 5)"

node_start 2 || fail "node 2 did not restart"
t_back=$(harness_now_ms)
wait_for_members 2 2 15 || fail "node 2 does not see node 3"
echo "node 2 restarted and joined node 3 after $(( t_back - t_kill )) ms"
st2=$(msg_tool 2 status "$Q") || fail "status on the restarted node 2 failed: $st2"
echo "node 2 (restarted, state from node 3): $st2"

msg_tool_bg 2 "$MSG_DIR/recv2.out" recv "$Q" --count "$n_acked" --persistent \
	--log "$log" --drain 1000 --timeout 60 --open-timeout 30
r2=$MSG_BG_PID
msg_wait_exit "$r2" 70 || fail "receiver 2 still running: $(cat "$MSG_DIR/recv2.out")"
rc2=$MSG_RC
msg_show "$MSG_DIR"/send.out "$MSG_DIR"/recv*.out
line=$(msg_result "$MSG_DIR/recv2.out" recv)
first=$(msg_field "$line" first_ms)

tally=$("$MSG_TOOL" tally "$log" --acked "$acked")
echo "$tally"
lost=$(msg_field "$tally" missing)
dups=$(msg_field "$tally" duplicates)
echo "msg-durability: acknowledged=$n_acked lost=$lost duplicates=$dups extra_unacknowledged=$(msg_field "$tally" unexpected) recovery_ms=$(( ${first:-0} - t_kill ))"
[ "$lost" = 0 ] || fail "$lost acknowledged messages lost with the sender's and the receiver's nodes"
[ "$rc2" = 0 ] || fail "receiver 2 failed (exit $rc2)"
echo "msg-durability: PASS"
