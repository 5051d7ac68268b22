#!/bin/bash
# bad-input.sh: malformed input cannot crash safd or corrupt cluster state.
# On a 2-node cluster, bad_peer sends garbage IPC requests to every service
# of node 1 and joins safd's CPG group to multicast malformed exec messages;
# afterwards both safds are alive, synced, see 2 members, logged the drops,
# created no queue from opens with bad attributes, and the cluster log has
# no spurious join/leave. A second safd started on
# node 1 must refuse to run and leave the first one alone.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"

cluster_start 2 || fail "the cluster did not start"
before=$(safd_status 1 | jq -c '[.events[] | {event, nodeid}]') ||
	fail "no status before"

node_exec 1 "$TESTS_BINDIR/bad_peer" || fail "bad_peer saw a wrong answer"

# The peers' round after bad_peer left must complete: wait for it, then check.
for i in 1 2; do
	wait_for_members "$i" 2 10 || fail "node $i does not see 2 members"
	_node_safd_alive "$i" || fail "safd on node $i died"
	safd_status "$i" | jq -e '.synced == true' >/dev/null || fail "node $i not synced"
done
after=$(safd_status 1 | jq -c '[.events[] | {event, nodeid}]')
[ "$before" = "$after" ] || fail "cluster log changed: $before -> $after"
for i in 1 2; do
	drops=$(grep -c "dropped" "$(node_dir "$i")/safd.log")
	echo "node $i: logged $drops dropped CPG messages"
	[ "$drops" -ge 10 ] || fail "node $i logged only $drops drops"
done
grep -q "malformed request" "$(node_dir 1)/safd.log" || fail "no IPC rejection logged"
for i in 1 2; do
	queues=$(node_exec "$i" "$SAFCTL" msg queues --json) || fail "node $i: safctl msg queues failed"
	echo "$queues" | jq -e 'tostring | contains("bad-peer-attrs") | not' >/dev/null ||
		fail "node $i created a queue with attributes a client may not ask for: $queues"
done

# A second safd on node 1 must refuse to start.
nd=$(node_dir 1)
node_exec 1 timeout 10 env SAFD_STATE_DIR="$nd/safd-state" \
	"$SAFD" -f -l "$nd/safd-second.log" >"$nd/safd-second.out" 2>&1
rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -lt 124 ] || fail "a second safd on node 1 ran or crashed (exit $rc)"
grep -q "another safd" "$nd/safd-second.out" || fail "the second safd did not say why it stopped"
echo "second safd on node 1: exit $rc: $(tail -n 1 "$nd/safd-second.out")"
wait_for_members 2 2 5 || fail "the second safd disturbed the membership"
_node_safd_alive 1 || fail "the first safd on node 1 died"
echo "bad-input: PASS"
