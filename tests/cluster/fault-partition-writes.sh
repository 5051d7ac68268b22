#!/bin/bash
# fault-partition-writes.sh: issue 5, fault injection.  A link is cut and
# healed while both sides keep writing.
#
# 3 nodes; a persistent queue read on node 2; senders on node 1 (majority
# side) and node 3, whose link is cut.  msg-partition.sh checks that a cut
# off node refuses a send; here both sides write the whole time.  Asserts:
# - node 3 refuses: its sender's calls fail with TRY_AGAIN only (retried,
#   then given up after FAULT_SEND_DEADLINE), and its acknowledgements stop
#   within token + consensus + 1 s of the cut (README: changes are decided
#   in corosync's agreed order, so even the sends answered before node 3
#   noticed must be in the majority's state); none at all from then until
#   the heal;
# - the majority goes on: its sender acknowledged and its receiver reads
#   while node 3 is away, no call of theirs fails (TRY_AGAIN aside);
# - after the heal: one membership, node 3 synced, the same cluster log,
#   parked queue and queue attributes everywhere, node 3's sender served
#   again;
# - every message acknowledged on either side received, exactly once (the
#   receiver's node was not touched), nothing refused received; a send
#   under way on node 3 when it found itself cut off returns TIMEOUT (in
#   doubt: it may have reached the majority, the sender retries it), so
#   that message alone may be received without an acknowledgement, or
#   twice; the nodes agree on `safctl msg queues --json` at the end.
# Prints the detection, refusal and merge times and the totals.
export HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-150}
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/msg-lib.sh"
. "$(dirname "$0")/fault-lib.sh"

Q=fault-partition-queue
W=fault-partition-parked
V=3

cluster_start 3 || fail "the cluster did not start"
out=$(msg_tool 1 create "$Q" --persistent) || fail "cannot create $Q: $out"
out=$(msg_tool 1 create "$W" --persistent --area 65536) || fail "cannot create $W: $out"
out=$(msg_tool 3 send "$W" 5 --from 1 --prio 3) || fail "cannot fill $W: $out"
token=$(node_exec 1 corosync-cmapctl -g runtime.config.totem.token | sed 's/.* = //')
consensus=$(node_exec 1 corosync-cmapctl -g runtime.config.totem.consensus | sed 's/.* = //')
bound=$(( token + consensus + 1000 * ${HARNESS_SLOW:-1} ))

fault_receiver r2 2 "$Q"
fault_sender s1 1 "$Q" 1
FAULT_SEND_DEADLINE=4 fault_sender s3 3 "$Q" 5000001
fault_flowing 20 s1.acked s3.acked r2.recv
fault_mid_run 20 s3

# Cut node 3 off while its sender is inside a chunk; watch its
# acknowledgements until both sides have noticed.
acked3=$MSG_DIR/s3.acked
at_cut=$(msg_lines "$acked3")
t_cut=$(harness_now_ms)
fault_mark "$V"
link_cut "$V" || fail "cannot cut node $V's link"
t_last=$t_cut
n_last=$at_cut
_split_seen() {
	local n
	n=$(msg_lines "$acked3")
	if [ "$n" != "$n_last" ]; then
		n_last=$n
		t_last=$(harness_now_ms)
	fi
	[ "$(safd_member_count "$V" 2>/dev/null)" = 1 ] &&
		[ "$(safd_member_count 1 2>/dev/null)" = 2 ] &&
		[ "$(safd_member_count 2 2>/dev/null)" = 2 ]
}
wait_until 15 _split_seen || fail "the partition {1,2} | {3} was not seen within 15 s"
t_split=$(harness_now_ms)
at_split=$(msg_lines "$acked3")
# (an acknowledgement between the last count and the membership probes)
[ "$at_split" = "$n_last" ] || t_last=$t_split
echo "partition seen by all $(( t_split - t_cut )) ms after the cut; node $V acknowledged" \
	"$(( at_split - at_cut )) sends after the cut (s3.acked lines $(( at_cut + 1 ))-$at_split)," \
	"the last $(( t_last - t_cut )) ms after it" \
	"(bound: token $token + consensus $consensus + 1000 ms = $bound ms)"
[ $(( t_last - t_cut )) -le "$bound" ] ||
	fail "node $V acknowledged a send $(( t_last - t_cut )) ms after the cut, bound $bound ms"

# The minority refuses with TRY_AGAIN: its sender gives up a chunk at its
# deadline with error 6, and nothing more is acknowledged.
_refused() {
	awk -v t0="$t_cut" '{ t = substr($1, 3) + 0 } t > t0 + 0 && /error=6, giving up/ { ok = 1 }
		END { exit !ok }' "$MSG_DIR/s3.log"
}
wait_until 15 _refused || fail "node $V's sender saw no TRY_AGAIN refusal: $(tail -n 2 "$MSG_DIR/s3.log")"
t_refused=$(harness_now_ms)

# The majority writes and reads meanwhile.
base1=$(msg_lines "$MSG_DIR/s1.acked")
baser=$(msg_lines "$MSG_DIR/r2.recv")
wait_until 15 msg_has_lines "$MSG_DIR/s1.acked" $(( base1 + 200 )) ||
	fail "the majority's sender stalled during the partition: $(tail -n 2 "$MSG_DIR/s1.log")"
wait_until 15 msg_has_lines "$MSG_DIR/r2.recv" $(( baser + 200 )) ||
	fail "the majority's receiver stalled during the partition: $(tail -n 2 "$MSG_DIR/r2.log")"
wait_until $(( 15 * HARNESS_SLOW )) fault_cluster_agrees "$Q" "$W" 1 2 || fail "nodes 1 and 2 disagree: $(fault_disagreement 1 2)"
st=$(safd_status 3) || fail "safctl status on node $V failed"
echo "$st" | jq -e '.quorate == false' >/dev/null || fail "node $V claims quorum alone: $st"
[ "$(msg_lines "$acked3")" = "$at_split" ] ||
	fail "node $V acknowledged $(( $(msg_lines "$acked3") - at_split )) sends after the partition was seen"
echo "during the partition: node 1 acknowledged $(( $(msg_lines "$MSG_DIR/s1.acked") - base1 )) and node 2 received" \
	"$(( $(msg_lines "$MSG_DIR/r2.recv") - baser )) more; node $V refused (first chunk given up" \
	"$(( t_refused - t_cut )) ms after the cut), acknowledged none; longest send on node 1:" \
	"$(fault_max_stall "$t_cut" "$(harness_now_ms)" s1) ms"

at_heal=$(msg_lines "$acked3")
t_heal=$(harness_now_ms)
link_heal "$V" || fail "cannot heal node $V's link"
wait_for_members_all 3 30 1 2 3 || fail "the cluster did not merge again"
t_merged=$(harness_now_ms)
fault_served 30 "s3=$(( at_heal + 20 ))" ||
	fail "node $V's sender is not served after the merge: $(tail -n 2 "$MSG_DIR/s3.log")"
t_back=${FAULT_SERVED[s3]}
safd_status "$V" | jq -e '.synced == true and .quorate == true' >/dev/null ||
	fail "node $V is not synced and quorate after the merge: $(safd_status "$V")"
wait_until $(( 15 * HARNESS_SLOW )) fault_cluster_agrees "$Q" "$W" 1 2 3 ||
	fail "the nodes disagree after the merge: $(fault_disagreement 1 2 3)"
echo "healed: one membership after $(( t_merged - t_heal )) ms, node $V's sender had 20 more acknowledged after $(( t_back - t_heal )) ms"
fault_flowing 20 s1.acked s3.acked r2.recv

fault_finish "$Q" 2 r2 s1 s3
[ "$FAULT_DUPS_UNEXPLAINED" = 0 ] || fail "$FAULT_DUPS messages delivered twice (e.g. $FAULT_DUP_LIST), $FAULT_DUPS_UNEXPLAINED of them not in doubt; the receiver's node was not touched"
wait_until $(( 15 * HARNESS_SLOW )) fault_queues_agree || fail "the nodes disagree on the queues at the end: $(fault_disagreement 1 2 3)"
fin=$(fault_queues 1 | jq -c --arg q "$Q" '.queues[] | select(.name == $q) | {open, messages, bytes}')
echo "all nodes hold the same queues; $Q: $fin"
echo "$fin" | jq -e '.messages == 0' >/dev/null || fail "$Q is not empty after the final read: $fin"
echo "fault-partition-writes: PASS"
