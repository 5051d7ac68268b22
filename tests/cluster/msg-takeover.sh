#!/bin/bash
# msg-takeover.sh: scenario (a).  N (10,000) numbered messages are sent
# synchronously from node 1 to a queue (retention 60 s) read on node 2; the
# receiving process dies by SIGKILL twice and is restarted: on the same node
# 2, then on node 3.  Each receiver kills itself right after logging a
# message, so no message is in flight in its IPC when it dies: nothing may be
# lost, nothing delivered twice, and FIFO order must hold.  Prints the loss,
# duplicate and reorder counts and each takeover time (death -> next open).
export HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-180}
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/msg-lib.sh"

N=${MSG_TEST_COUNT:-10000}
CRASH=$(( N * 3 / 10 ))
Q=takeover-queue
log=$MSG_DIR/recv.log

cluster_start 3 || fail "the cluster did not start"
t_start=$(harness_now_ms)

msg_tool_bg 2 "$MSG_DIR/recv1.out" recv "$Q" --count "$N" --retention 60000 \
	--log "$log" --crash-after "$CRASH" --timeout 100
r1=$MSG_BG_PID
wait_until 20 grep -q '^recv: opened' "$MSG_DIR/recv1.out" ||
	fail "receiver 1 did not open $Q: $(cat "$MSG_DIR/recv1.out")"
msg_tool_bg 1 "$MSG_DIR/send.out" send "$Q" "$N" --deadline 110
s=$MSG_BG_PID

takeovers=()
for round in 1 2; do
	out=$MSG_DIR/recv$round.out
	pid=$([ "$round" = 1 ] && echo "$r1" || echo "$r2")
	msg_wait_exit "$pid" 60 || fail "receiver $round still running after 60 s: $(cat "$out")"
	line=$(msg_result "$out" recv)
	case "$line" in
	*crashing*) ;;
	*) fail "receiver $round ended (exit $MSG_RC) without crashing: $(cat "$out")" ;;
	esac
	crash_ms=$(msg_field "$line" crash_ms)
	sender_state=running
	kill -0 "$s" 2>/dev/null || sender_state=done
	echo "receiver $round: killed itself (SIGKILL, exit $MSG_RC) after $(msg_lines "$log") logged messages; sender $sender_state"
	next=$(( round + 1 ))
	node=$([ "$round" = 1 ] && echo 2 || echo 3)
	if [ "$round" = 1 ]; then
		msg_tool_bg "$node" "$MSG_DIR/recv$next.out" recv "$Q" --count "$N" \
			--retention 60000 --log "$log" --crash-after "$CRASH" --timeout 100
		r2=$MSG_BG_PID
	else
		msg_tool_bg "$node" "$MSG_DIR/recv$next.out" recv "$Q" --count "$N" \
			--retention 60000 --log "$log" --timeout 100
		r3=$MSG_BG_PID
	fi
	wait_until 20 grep -q '^recv: opened' "$MSG_DIR/recv$next.out" ||
		fail "receiver $next (node $node) did not take the queue over: $(cat "$MSG_DIR/recv$next.out")"
	opened=$(msg_field "$(grep '^recv: opened' "$MSG_DIR/recv$next.out")" opened_ms)
	takeovers+=("$(( opened - crash_ms ))")
	echo "receiver $next on node $node: took the queue over $(( opened - crash_ms )) ms after the death"
done

msg_wait_exit "$r3" 110 || fail "receiver 3 still running: $(cat "$MSG_DIR/recv3.out")"
rc3=$MSG_RC
msg_wait_exit "$s" 60 || fail "sender still running: $(cat "$MSG_DIR/send.out")"
rcs=$MSG_RC
msg_show "$MSG_DIR"/send.out "$MSG_DIR"/recv*.out
[ "$rcs" = 0 ] || fail "the sender did not send all $N messages (exit $rcs)"
[ "$rc3" = 0 ] || fail "receiver 3 did not see all $N messages (exit $rc3)"

tally=$("$MSG_TOOL" tally "$log" --from 1 --count "$N")
echo "$tally"
lost=$(msg_field "$tally" missing)
dups=$(msg_field "$tally" duplicates)
reord=$(msg_field "$tally" reordered)
echo "msg-takeover: messages=$N lost=$lost duplicates=$dups reordered=$reord takeover_ms=${takeovers[*]} total_ms=$(( $(harness_now_ms) - t_start ))"
[ "$lost" = 0 ] || fail "$lost messages lost"
[ "$dups" = 0 ] || fail "$dups messages delivered twice (no message was in flight at either death)"
[ "$reord" = 0 ] || fail "$reord messages out of FIFO order"
echo "msg-takeover: PASS"
