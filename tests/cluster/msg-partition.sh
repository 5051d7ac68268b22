#!/bin/bash
# msg-partition.sh: scenario (e).  A partition without quorum refuses writes.
# In a 3 node cluster node 3's link is cut: sends on node 3 must fail with
# SA_AIS_ERR_TRY_AGAIN (6), promptly, while sends on nodes 1 and 2 work.
# After the link heals node 3 sees every message sent meanwhile, nothing
# acknowledged is lost and nothing node 3 refused appears.
export HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-180}
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/msg-lib.sh"

Q=partition-queue
cluster_start 3 || fail "the cluster did not start"
out=$(msg_tool 1 create "$Q" --persistent) || fail "cannot create $Q: $out"

t_cut=$(harness_now_ms)
link_cut 3 || fail "cannot cut node 3's link"
wait_for_members 3 1 15 || fail "node 3 does not see itself alone"
wait_for_members 1 2 15 || fail "node 1 does not see node 3 leave"
wait_for_members 2 2 15 || fail "node 2 does not see node 3 leave"
echo "partition {1,2} | {3} seen after $(( $(harness_now_ms) - t_cut )) ms"

# The minority refuses, and says so at once.
t0=$(harness_now_ms)
r3=$(msg_tool 3 send "$Q" 3 --from 900001 --no-retry --timeout 5000)
rc=$?
dt=$(( $(harness_now_ms) - t0 ))
echo "node 3 (no quorum): $r3 (exit $rc, $dt ms for 3 sends)"
[ "$(msg_field "$r3" sent)" = 0 ] || fail "node 3 accepted a send without quorum: $r3"
[ "$(msg_field "$r3" try_again)" = 3 ] || fail "node 3's sends did not fail with TRY_AGAIN: $r3"
[ "$dt" -lt 5000 ] || fail "node 3 took $dt ms to refuse 3 sends"

# The majority works.
r1=$(msg_tool 1 send "$Q" 100 --from 1 --acked "$MSG_DIR/acked1" --deadline 30) ||
	fail "sends on node 1 failed during the partition: $r1"
r2=$(msg_tool 2 send "$Q" 100 --from 1001 --acked "$MSG_DIR/acked2" --deadline 30) ||
	fail "sends on node 2 failed during the partition: $r2"
echo "node 1: $r1"
echo "node 2: $r2"
[ "$(msg_field "$r1" sent)" = 100 ] && [ "$(msg_field "$r2" sent)" = 100 ] ||
	fail "the majority did not take all 200 messages"

t_heal=$(harness_now_ms)
link_heal 3 || fail "cannot heal node 3's link"
wait_for_members_all 3 30 1 2 3 || fail "the cluster did not merge again"
echo "merged after $(( $(harness_now_ms) - t_heal )) ms"
_all_there() {
	msg_tool 3 status "$Q" | grep -q ' msgs=200,0,0,0$'
}
wait_until 10 _all_there || fail "node 3 does not see the 200 messages: $(msg_tool 3 status "$Q")"
echo "node 3 sees the messages $(( $(harness_now_ms) - t_heal )) ms after the heal: $(msg_tool 3 status "$Q")"

msg_tool 3 recv "$Q" --no-create --count 200 --drain 1000 --log "$MSG_DIR/recv.log" \
	--timeout 30 >"$MSG_DIR/recv.out" 2>&1 || fail "reading on node 3 failed: $(cat "$MSG_DIR/recv.out")"
tally=$("$MSG_TOOL" tally "$MSG_DIR/recv.log" --acked "$MSG_DIR/acked1" \
	--acked "$MSG_DIR/acked2" --forbid 900001-900003)
echo "$tally"
echo "msg-partition: acknowledged=200 lost=$(msg_field "$tally" missing) duplicates=$(msg_field "$tally" duplicates) refused_but_delivered=$(msg_field "$tally" forbidden)"
[ "$(msg_field "$tally" missing)" = 0 ] || fail "acknowledged messages lost across the partition"
[ "$(msg_field "$tally" forbidden)" = 0 ] || fail "a send node 3 refused was delivered"
[ "$(msg_field "$tally" duplicates)" = 0 ] || fail "messages delivered twice"
[ "$(msg_field "$tally" unexpected)" = 0 ] || fail "messages nobody sent were delivered"
echo "msg-partition: PASS"
