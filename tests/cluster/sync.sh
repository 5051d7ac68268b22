#!/bin/bash
# sync.sh: a node joining later receives the cluster state.  Nodes 1 and 2 of a
# 3 node cluster start; node 2 is killed (node 1 logs "left" for it); then
# node 3 starts.  Node 3 never saw node 2, so finding node 2's "left" event in
# its log proves it received node 1's state snapshot.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"

cluster_start 3 1 2 || fail "nodes 1 and 2 did not start"
node_kill 2 || fail "cannot kill node 2"
wait_for_members 1 1 10 || fail "node 1 does not see node 2 leave"

st1=$(safd_status 1) || fail "safctl status on node 1 failed"
left1=$(echo "$st1" | jq -c '[.events[] | select(.event == "left" and .nodeid == 2)]')
[ "$(echo "$left1" | jq length)" -ge 1 ] || fail "node 1 has no 'left' event for node 2: $st1"
echo "node 1: node 2 left: $left1"

node_start 3 || fail "node 3 did not start"
wait_for_members 3 2 10 || fail "node 3 does not see 2 members"
wait_for_members 1 2 10 || fail "node 1 does not see node 3"

st3=$(safd_status 3) || fail "safctl status on node 3 failed"
echo "node 3: $st3"
echo "$st3" | jq -e '.local_nodeid == 3 and .synced == true' >/dev/null ||
	fail "node 3 is not synced"
echo "$st3" | jq -e '.nodes[] | select(.nodeid == 3) | .synced == true' >/dev/null ||
	fail "node 3's own entry is not synced"
left3=$(echo "$st3" | jq -c '[.events[] | select(.event == "left" and .nodeid == 2)]')
[ "$(echo "$left3" | jq length)" -ge 1 ] ||
	fail "node 3 has no 'left' event for node 2: it did not receive the state"
# The same event (same sequence number and time), not one node 3 made up.
echo "$left1" | jq -e --argjson l3 "$left3" \
	'.[-1] as $e | any($l3[]; .seq == $e.seq and .time == $e.time)' >/dev/null ||
	fail "node 3's 'left' event for node 2 differs from node 1's: $left3 vs $left1"
# It happened before node 3 joined.
echo "$st3" | jq -e '
	([.events[] | select(.event == "left" and .nodeid == 2) | .seq] | max) as $l |
	([.events[] | select(.event == "joined" and .nodeid == 3) | .seq] | max) as $j |
	($j == null) or ($l < $j)' >/dev/null ||
	fail "node 3's log puts node 2's departure after node 3's join"
# Nothing lost: nodes 1 and 3 hold the same cluster log.
e1=$(safd_events 1) || fail "node 1: cannot read the cluster log"
e3=$(safd_events 3) || fail "node 3: cannot read the cluster log"
[ "$e1" = "$e3" ] || fail "nodes 1 and 3 hold different cluster logs: $e1 vs $e3"
echo "sync: nodes 1 and 3 hold the same cluster log ($(echo "$e1" | jq length) events)"
echo "sync: PASS"
