#!/bin/bash
# fault-safd-restart.sh: issue 5, fault injection.  safd is killed with
# SIGKILL and restarted, one node at a time, while clients send.
#
# 3 nodes; a persistent queue read on node 2; senders on nodes 1 and 2; node
# 3 has no client.  Three rounds, each while the traffic flows: safd killed
# on node 1 (a sender's node), on node 3 (a bystander), on node 2 (the
# receiver's and a sender's node), and restarted there.  Each round asserts:
# - the clients of the killed safd get only documented errors (LIBRARY,
#   BAD_HANDLE, TRY_AGAIN, TIMEOUT) and come back by re-initializing (the
#   client loops of fault-lib.sh); no call of a client on another node
#   fails (TRY_AGAIN, retried, aside) and their senders keep sending;
# - the restarted safd is synced, all three nodes are members again, every
#   node holds the same cluster log, the same parked queue (exactly) and the
#   same attributes of the busy queue (safctl msg queues --json).
# At the end: every acknowledged message was received (lost 0); a message
# received but not acknowledged is one whose send failed with LIBRARY or
# TIMEOUT (outcome unknown); no duplicates except for the round that killed
# the receiver's safd (the README allows a duplicate when the receiver's node
# dies between handing a message over and telling the others; the receiver
# losing its safd is that case), printed; the three nodes agree on the whole
# `safctl msg queues --json`.
# Prints per round: the restart (kill -> synced), when the killed node's
# clients saw their error and when they had 20 more messages through, the
# other senders' longest single send; and the totals
# sent/acknowledged/received/lost/duplicates.
export HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-150}
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/msg-lib.sh"
. "$(dirname "$0")/fault-lib.sh"

Q=fault-restart-queue
W=fault-restart-parked

cluster_start 3 || fail "the cluster did not start"
out=$(msg_tool 1 create "$Q" --persistent) || fail "cannot create $Q: $out"
out=$(msg_tool 1 create "$W" --persistent --area 65536) || fail "cannot create $W: $out"
out=$(msg_tool 3 send "$W" 5 --from 1 --prio 1) || fail "cannot fill $W: $out"

fault_receiver r2 2 "$Q"
fault_sender s1 1 "$Q" 1
fault_sender s2 2 "$Q" 5000001

RECV_KILL_MS=
# round VICTIM LABEL: kill safd on node VICTIM while the traffic flows.
round() {
	local v=$1 label=$2 t_kill t_up t_end c f base others_ms back="" errs="" t_err st
	local -a others=() mine=() targets=()
	local -A at_kill=()
	for c in s1 s2; do
		[ "${FAULT_NODE[$c]}" = "$v" ] || others+=("$c")
	done
	for c in r2 s1 s2; do
		[ "${FAULT_NODE[$c]}" = "$v" ] && mine+=("$c")
	done
	fault_flowing 20 s1.acked s2.acked r2.recv
	for c in "${mine[@]}"; do
		[ "$c" = r2 ] || fault_mid_run 20 "$c"
	done
	t_kill=$(harness_now_ms)
	fault_mark "$v"
	node_kill_safd "$v" || fail "$label: cannot kill safd on node $v"
	# What the clients had when safd was gone (node_kill_safd reaps it).
	for c in "${mine[@]}"; do
		f=$c.acked
		[ -f "$MSG_DIR/$f" ] || f=$c.recv
		at_kill[$c]=$(msg_lines "$MSG_DIR/$f")
	done
	[ "$v" = "${FAULT_NODE[r2]}" ] && RECV_KILL_MS=$t_kill

	# The senders elsewhere go on while node $v has no safd.
	for c in "${others[@]}"; do
		base=$(msg_lines "$MSG_DIR/$c.acked")
		wait_until 15 msg_has_lines "$MSG_DIR/$c.acked" $(( base + 50 )) ||
			fail "$label: sender $c (node ${FAULT_NODE[$c]}) stopped while safd on node $v was down"
	done
	others_ms=$(( $(harness_now_ms) - t_kill ))
	node_safd_alive "$v" && fail "$label: safd on node $v is still there"

	node_start_safd "$v" || fail "$label: safd on node $v did not come back"
	t_up=$(harness_now_ms)

	# The killed node's clients are served again (they re-initialized):
	# 20 messages more than at the kill.
	targets=()
	for c in "${mine[@]}"; do
		targets+=("$c=$(( at_kill[$c] + 20 ))")
	done
	if [ "${#targets[@]}" -gt 0 ]; then
		fault_served 30 "${targets[@]}" ||
			fail "$label: the clients on node $v are not served after the restart: $(for c in "${mine[@]}"; do tail -n 2 "$MSG_DIR/$c.log"; done)"
	fi
	for c in "${mine[@]}"; do
		back+=" $c:$(( FAULT_SERVED[$c] - t_kill ))"
		t_err=$(fault_first_failure "$c" "$t_kill")
		if [ -n "$t_err" ]; then
			errs+=" $c:$(( t_err - t_kill ))"
		elif [ "$c" = r2 ]; then
			errs+=" $c:none"	# it may have been between two runs
		else
			fail "$label: sender $c, inside a send when its safd was killed, saw no error"
		fi
	done

	st=$(safd_status "$v") || fail "$label: safctl status on node $v failed"
	echo "$st" | jq -e '.synced == true and .quorate == true' >/dev/null ||
		fail "$label: node $v is not synced and quorate after the restart: $st"
	wait_for_members_all 3 15 1 2 3 || fail "$label: the nodes do not see 3 members again"
	wait_until $(( 15 * HARNESS_SLOW )) fault_cluster_agrees "$Q" "$W" 1 2 3 ||
		fail "$label: the nodes disagree after the restart: $(fault_disagreement 1 2 3)"
	t_end=$(harness_now_ms)
	echo "$label: safd on node $v SIGKILLed; synced again $(( t_up - t_kill )) ms after the kill;" \
		"senders on other nodes: 50 more acks within $others_ms ms, longest send" \
		"$(fault_max_stall "$t_kill" "$t_end" "${others[@]}") ms;" \
		"node $v's clients: error seen after ms:${errs:- (no client)}, served again after ms:${back:- -}"
}

round 1 "sender's node"
round 3 "bystander"
round 2 "receiver's node"
fault_flowing 20 s1.acked s2.acked r2.recv

fault_finish "$Q" 2 r2 s1 s2
# A duplicate may only be a message handed over just before the receiver's
# safd died: logged by a receiver run that opened the queue before that
# kill, and again by one that opened it after. The first run to open after
# the kill says how many lines the log had then (its journal line).
RECV_AT_KILL=$(awk -v k="$RECV_KILL_MS" '{ o = ""; b = ""
	for (i = 1; i <= NF; i++) {
		if (index($i, "opened_ms=") == 1) o = substr($i, 11)
		if (index($i, "logged_before=") == 1) b = substr($i, 15)
	}
	if (o != "" && b != "" && o + 0 > k + 0) { print b; exit } }' "$MSG_DIR/r2.log")
[ -n "$RECV_AT_KILL" ] || fail "no receiver run opened the queue after the receiver's safd was killed"
bad_dups=$(awk -v p="$RECV_AT_KILL" '{ if ($1 in first) { if (!(first[$1] <= p && NR > p))
		print $1 " (lines " first[$1] " and " NR ")" } else first[$1] = NR }' "$MSG_DIR/r2.recv")
[ -z "$bad_dups" ] || fail "duplicates not explained by the receiver's safd dying (its runs after the kill start at line $(( RECV_AT_KILL + 1 ))): $bad_dups"
[ "$FAULT_DUPS" = 0 ] || echo "duplicates: $FAULT_DUP_LIST (each received before and again after the receiver's safd died; its runs after the kill start at line $(( RECV_AT_KILL + 1 )))"

wait_until $(( 15 * HARNESS_SLOW )) fault_queues_agree || fail "the nodes disagree on the queues at the end: $(fault_disagreement 1 2 3)"
fin=$(fault_queues 1 | jq -c --arg q "$Q" '.queues[] | select(.name == $q) | {open, messages, bytes}')
echo "all nodes hold the same queues; $Q: $fin; $W: $(echo "$FAULT_PARKED" | jq -c '{messages, bytes, close_time}')"
echo "$fin" | jq -e '.messages == 0' >/dev/null || fail "$Q is not empty after the final read: $fin"
echo "fault-safd-restart: PASS"
