#!/bin/bash
# membership.sh: three nodes see each other; when one is killed, the other
# two see two members within the failure-detection bound (token + consensus
# + 1 s, read from corosync's runtime config); when it comes back, all three
# see three members again.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"

# check_view I WANT_MEMBERS...: node I's safd view is synced, quorate, and its
# members are exactly WANT_MEMBERS.
check_view() {
	local i=$1 st got want
	shift
	want=$(printf '%s\n' "$@" | sort -n | tr '\n' ' ')
	st=$(safd_status "$i") || fail "node $i: safctl status --json failed"
	echo "$st" | jq -e --argjson i "$i" '.local_nodeid == $i' >/dev/null ||
		fail "node $i: wrong local_nodeid: $st"
	echo "$st" | jq -e '.synced == true and .quorate == true' >/dev/null ||
		fail "node $i: not synced and quorate: $st"
	got=$(echo "$st" | jq -r '.nodes[] | select(.member == true) | .nodeid' | sort -n | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "node $i: members are [$got], want [$want]: $st"
	echo "node $i: members [$got] ok"
}

cluster_start 3 || fail "the cluster did not start"
for i in 1 2 3; do
	check_view "$i" 1 2 3
done

token=$(node_exec 1 corosync-cmapctl -g runtime.config.totem.token | awk '{print $NF}')
consensus=$(node_exec 1 corosync-cmapctl -g runtime.config.totem.consensus | awk '{print $NF}')
[ -n "$token" ] && [ -n "$consensus" ] || fail "cannot read corosync's token/consensus"
bound=$(( token + consensus + 1000 ))

# Kill node 3 and time how long nodes 1 and 2 take to drop it.
t0=$(harness_now_ms)
node_kill 3 || fail "cannot kill node 3"
wait_for_members_all 2 10 1 2 || fail "nodes 1 and 2 still do not see 2 members 10 s after node 3 died"
d1=$(( HARNESS_SEEN_AT[1] - t0 ))
d2=$(( HARNESS_SEEN_AT[2] - t0 ))
echo "membership: node 3 killed; node 1 saw 2 members after $d1 ms, node 2 after $d2 ms" \
	"(bound $bound ms = token $token + consensus $consensus + 1000)"
# For the record: when safd itself logged it (the poll above adds its latency).
ev=$(safd_status 1 | jq -r --argjson t0 "$t0" '
	[.events[] | select(.event == "left" and .nodeid == 3) | .time] | last // empty |
	capture("^(?<s>[^.Z]+)(\\.(?<f>[0-9]+))?Z$") |
	(.s + "Z" | fromdateiso8601) * 1000 + ((.f // "0") + "00" | .[0:3] | tonumber) - $t0' 2>/dev/null)
[ -z "$ev" ] || echo "membership: node 1 logged node 3's departure $ev ms after the kill"
[ "$d1" -le "$bound" ] || fail "node 1 took $d1 ms to see node 3 leave (bound $bound ms)"
[ "$d2" -le "$bound" ] || fail "node 2 took $d2 ms to see node 3 leave (bound $bound ms)"
check_view 1 1 2
check_view 2 1 2

# Bring node 3 back.
t0=$(harness_now_ms)
node_start 3 || fail "node 3 did not restart"
wait_for_members_all 3 10 1 2 3 || fail "not every node sees 3 members after node 3 restarted"
t1=$(harness_now_ms)
echo "membership: node 3 restarted; all nodes saw 3 members after $(( t1 - t0 )) ms"
for i in 1 2 3; do
	check_view "$i" 1 2 3
done

# Nothing lost: node 1 logged the departure and the return, and all three
# nodes hold the same cluster log.
e1=$(safd_events 1) || fail "node 1: cannot read the cluster log"
echo "$e1" | jq -e '
	([.[] | select(.event == "left" and .nodeid == 3) | .seq] | max) as $l |
	([.[] | select(.event == "joined" and .nodeid == 3) | .seq] | max) as $j |
	$l != null and $j != null and $l < $j' >/dev/null ||
	fail "node 1's log lacks node 3 leaving then joining: $e1"
for i in 2 3; do
	ei=$(safd_events "$i") || fail "node $i: cannot read the cluster log"
	[ "$ei" = "$e1" ] || fail "node $i's cluster log differs from node 1's: $ei vs $e1"
done
echo "membership: all nodes hold the same cluster log ($(echo "$e1" | jq length) events)"
echo "membership: PASS"
