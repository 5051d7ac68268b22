#!/bin/bash
# msg-bystander.sh: scenario (c).  N (10,000) numbered messages flow from a
# sender on node 1 to a receiver on node 2 while node 3, which holds only
# replicas, is killed midway.  Nothing may be lost, nothing delivered twice,
# FIFO order kept.  Prints the counts and how long the flow stalled.
export HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-180}
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/msg-lib.sh"

N=${MSG_TEST_COUNT:-10000}
Q=bystander-queue
log=$MSG_DIR/recv.log

cluster_start 3 || fail "the cluster did not start"

msg_tool_bg 2 "$MSG_DIR/recv.out" recv "$Q" --count "$N" --persistent --log "$log" --timeout 100
r=$MSG_BG_PID
wait_until 20 grep -q '^recv: opened' "$MSG_DIR/recv.out" ||
	fail "the receiver did not open $Q: $(cat "$MSG_DIR/recv.out")"
msg_tool_bg 1 "$MSG_DIR/send.out" send "$Q" "$N" --deadline 110
s=$MSG_BG_PID

wait_until 60 msg_has_lines "$log" $(( N / 3 )) ||
	fail "the receiver did not get $(( N / 3 )) messages: $(cat "$MSG_DIR/recv.out" "$MSG_DIR/send.out")"
at_kill=$(msg_lines "$log")
t_kill=$(harness_now_ms)
node_kill 3 || fail "cannot kill node 3"
# The flow resumes: 100 more messages reach the receiver.
if wait_until 30 msg_has_lines "$log" $(( at_kill + 100 < N ? at_kill + 100 : N )); then
	resumed=$(( $(harness_now_ms) - t_kill ))
else
	fail "the flow did not resume within 30 s after node 3 died ($(msg_lines "$log") received)"
fi
wait_for_members 1 2 10 || fail "node 1 does not see node 3 leave"

msg_wait_exit "$r" 110 || fail "the receiver still running: $(cat "$MSG_DIR/recv.out")"
rcr=$MSG_RC
msg_wait_exit "$s" 60 || fail "the sender still running: $(cat "$MSG_DIR/send.out")"
rcs=$MSG_RC
msg_show "$MSG_DIR"/send.out "$MSG_DIR"/recv.out
[ "$rcs" = 0 ] || fail "the sender did not send all $N messages (exit $rcs)"
[ "$rcr" = 0 ] || fail "the receiver did not see all $N messages (exit $rcr)"

tally=$("$MSG_TOOL" tally "$log" --from 1 --count "$N")
echo "$tally"
lost=$(msg_field "$tally" missing)
dups=$(msg_field "$tally" duplicates)
reord=$(msg_field "$tally" reordered)
send_line=$(msg_result "$MSG_DIR/send.out" send)
echo "msg-bystander: messages=$N lost=$lost duplicates=$dups reordered=$reord killed_at=$at_kill flow_resumed_ms=$resumed sender_max_stall_ms=$(msg_field "$send_line" max_stall_ms) sender_timeouts=$(msg_field "$send_line" timeouts)"
[ "$lost" = 0 ] || fail "$lost messages lost when a bystander node died"
[ "$dups" = 0 ] || fail "$dups messages delivered twice"
[ "$reord" = 0 ] || fail "$reord messages out of FIFO order"
echo "msg-bystander: PASS"
