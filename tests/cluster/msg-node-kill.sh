#!/bin/bash
# msg-node-kill.sh: scenario (b).  N (10,000) numbered messages are sent
# synchronously from node 1 to a persistent queue read on node 2; midway the
# receiver's whole node is killed (node_kill: safd, corosync and the
# receiver die at once) and the receiver restarts on node 3.  Nothing may be
# lost.  A message handed to the receiver whose consumption was not yet
# replicated may come again: duplicates are counted and printed, not failed.
# The receiver stops reading (pauses) before its node is killed, so no
# message is in flight in its IPC at the kill.  Prints loss, duplicates and
# the recovery time (node killed -> queue reopened on node 3 -> first message).
export HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-180}
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/msg-lib.sh"

N=${MSG_TEST_COUNT:-10000}
PAUSE=$(( N * 4 / 10 ))
Q=node-kill-queue
log=$MSG_DIR/recv.log
paused=$MSG_DIR/paused

cluster_start 3 || fail "the cluster did not start"

msg_tool_bg 2 "$MSG_DIR/recv1.out" recv "$Q" --count "$N" --persistent \
	--log "$log" --pause-after "$PAUSE" --pause-file "$paused" --timeout 100
r1=$MSG_BG_PID
wait_until 20 grep -q '^recv: opened' "$MSG_DIR/recv1.out" ||
	fail "the receiver did not open $Q: $(cat "$MSG_DIR/recv1.out")"
msg_tool_bg 1 "$MSG_DIR/send.out" send "$Q" "$N" --deadline 110
s=$MSG_BG_PID

wait_until 60 test -e "$paused" ||
	fail "the receiver did not reach $PAUSE messages: $(cat "$MSG_DIR/recv1.out" "$MSG_DIR/send.out")"
kill -0 "$s" 2>/dev/null || echo "note: the sender had already finished"
t_kill=$(harness_now_ms)
node_kill 2 || fail "cannot kill node 2"
msg_wait_exit "$r1" 10 || fail "the receiver survived its node"
echo "node 2 killed with its receiver after $(msg_lines "$log") logged messages"

msg_tool_bg 3 "$MSG_DIR/recv2.out" recv "$Q" --count "$N" --persistent \
	--log "$log" --timeout 100 --open-timeout 30
r2=$MSG_BG_PID
msg_wait_exit "$r2" 110 || fail "receiver 2 still running: $(cat "$MSG_DIR/recv2.out")"
rc2=$MSG_RC
msg_wait_exit "$s" 60 || fail "the sender still running: $(cat "$MSG_DIR/send.out")"
rcs=$MSG_RC
msg_show "$MSG_DIR"/send.out "$MSG_DIR"/recv*.out
[ "$rcs" = 0 ] || fail "the sender did not send all $N messages (exit $rcs)"
line=$(msg_result "$MSG_DIR/recv2.out" recv)
opened=$(msg_field "$(grep '^recv: opened' "$MSG_DIR/recv2.out")" opened_ms)
first=$(msg_field "$line" first_ms)
[ -n "$opened" ] || fail "receiver 2 never opened the queue"

tally=$("$MSG_TOOL" tally "$log" --from 1 --count "$N")
echo "$tally"
lost=$(msg_field "$tally" missing)
dups=$(msg_field "$tally" duplicates)
send_line=$(msg_result "$MSG_DIR/send.out" send)
echo "msg-node-kill: messages=$N lost=$lost duplicates=$dups reordered=$(msg_field "$tally" reordered) reopen_ms=$(( opened - t_kill )) first_message_ms=$(( ${first:-0} - t_kill )) sender_max_stall_ms=$(msg_field "$send_line" max_stall_ms) sender_timeouts=$(msg_field "$send_line" timeouts)"
[ "$rc2" = 0 ] || fail "receiver 2 did not see all $N messages (exit $rc2)"
[ "$lost" = 0 ] || fail "$lost messages lost when the receiver's node died"
echo "msg-node-kill: PASS"
