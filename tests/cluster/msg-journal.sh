#!/bin/bash
# msg-journal.sh: persistent queues survive a restart of the whole cluster
# (safd --journal), and the freshest journal decides.
#   Three nodes, each with a journal. On persistent queue Q 1000 messages are
#   sent (node 1) and the first 300 received (node 2). A queue with a
#   retention time and a persistent queue that is unlinked are made too.
#   Node 3 is killed; 200 more messages go to Q (acknowledged by nodes 1
#   and 2). Then nodes 1 and 2 are killed: the whole cluster is down.
#   Node 3 starts alone: one node of three is no majority, so it waits and
#   serves nobody (its journal is stale: it lacks the last 200). Node 1
#   starts: the two hold a majority, node 1's journal is the freshest and
#   is restored; node 3 gets the state from node 1. Q then holds exactly the
#   messages 301..1200, in order, none twice; the other two queues are gone.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/msg-lib.sh"

HARNESS_SAFD_ARGS="${HARNESS_SAFD_ARGS:+$HARNESS_SAFD_ARGS }--journal journal"
export HARNESS_SAFD_ARGS
Q=journal-queue
acked=$MSG_DIR/acked
log=$MSG_DIR/recv.log

# receive_all I COUNT FROM WHAT: node I receives COUNT messages of Q; the
# log then holds FROM..FROM+COUNT-1 exactly, in order, none twice.
receive_all() {
	local i=$1 count=$2 from=$3 what=$4 out tally k
	rm -f "$log"
	out=$(msg_tool "$i" recv "$Q" --count "$count" --no-create --log "$log" --drain 500) ||
		fail "$what: recv on node $i: $out"
	tally=$("$MSG_TOOL" tally "$log" --from "$from" --count "$count")
	echo "$tally"
	for k in missing duplicates reordered unexpected; do
		[ "$(msg_field "$tally" "$k")" = 0 ] || fail "$what: $k $(msg_field "$tally" "$k")"
	done
}

cluster_start 3 || fail "the cluster did not start"
grep -q "journal .*/journal: generation 0" "$(node_dir 1)/safd.log" ||
	fail "node 1's safd did not open a new journal: $(grep journal "$(node_dir 1)/safd.log")"
safd_status 1 | jq -e '.journal == "writing" and .journal_generation == 0' >/dev/null ||
	fail "safctl status does not show the journal: $(safd_status 1)"

out=$(msg_tool 1 create "$Q" --persistent) || fail "create $Q: $out"
out=$(msg_tool 1 send "$Q" 1000 --acked "$acked") || fail "send 1000: $out"
out=$(msg_tool 2 recv "$Q" --count 300 --no-create --log "$log") || fail "recv 300: $out"
out=$(msg_tool 1 create kept-a-while --retention 600000) || fail "create kept-a-while: $out"
out=$(msg_tool 1 send kept-a-while 5) || fail "send to kept-a-while: $out"
out=$(msg_tool 1 create gone-queue --persistent) || fail "create gone-queue: $out"
out=$(msg_tool 1 send gone-queue 5) || fail "send to gone-queue: $out"
out=$(msg_tool 1 unlink gone-queue) || fail "unlink gone-queue: $out"

node_kill 3 || fail "cannot kill node 3"
wait_for_members 1 2 15 || fail "nodes 1 and 2 do not see each other alone"
out=$(msg_tool 1 send "$Q" 200 --from 1001 --acked "$acked") || fail "send 200 more: $out"
gen=$(safd_status 1 | jq -r .journal_generation)
[ "$gen" -gt 1200 ] && [ "$gen" = "$(safd_status 2 | jq -r .journal_generation)" ] ||
	fail "journal generations: node 1 $gen, node 2 $(safd_status 2 | jq -r .journal_generation); want the same, above 1200"
node_exec 1 "$SAFCTL" status | grep -q "^Journal:  persistent queues on disk, generation $gen\$" ||
	fail "safctl status (text) does not show the journal: $(node_exec 1 "$SAFCTL" status)"
n_acked=$(msg_lines "$acked")
[ "$n_acked" = 1200 ] || fail "$n_acked sends acknowledged, want 1200"
node_kill 1 || fail "cannot kill node 1"
node_kill 2 || fail "cannot kill node 2"
echo "journal: 1200 sent, 300 received, node 3 down before the last 200; the whole cluster killed"

# Node 3 alone, with the stale journal: it waits.
node_start 3 --unsynced || fail "node 3 did not start"
wait_until 10 grep -q "not a majority of the nodes: waiting for more before the journals decide" \
	"$(node_dir 3)/safd.log" || fail "node 3 does not say it waits for a majority: $(tail -5 "$(node_dir 3)/safd.log")"
safd_status 3 | jq -e '.synced == false' >/dev/null ||
	fail "node 3 alone serves clients: $(safd_status 3)"
st=$(msg_tool 3 status "$Q" --wait-init 1 2>&1) &&
	fail "node 3 alone answered a queue status: $st"
echo "journal: node 3 alone waits for a majority (not synced)"

t0=$(harness_now_ms)
node_start 1 || fail "node 1 did not start"
wait_until 20 _node_safd_synced 3 || fail "node 3 is not synced after node 1 joined"
echo "journal: node 1 joined; the cluster was restored in $(( $(harness_now_ms) - t0 )) ms"
grep -q "restored 1 persistent queues and 900 messages" "$(node_dir 1)/safd.log" ||
	fail "node 1 did not restore from its journal: $(grep journal "$(node_dir 1)/safd.log")"
grep -q "receiving the cluster state from node 1 (restored from its journal)" \
	"$(node_dir 3)/safd.log" || fail "node 3 did not take node 1's state: $(grep -i 'state\|journal' "$(node_dir 3)/safd.log" | tail -5)"

st=$(msg_tool 3 status "$Q") || fail "status of $Q on node 3: $st"
echo "journal: node 3 sees $st"
for q in kept-a-while gone-queue; do
	st=$(msg_tool 3 status "$q" 2>&1)
	grep -q "exists=0" <<<"$st" || fail "$q came back after the restart: $st"
done
receive_all 3 900 301 "after the restore"

# The restored cluster goes on: node 2 joins with its own journal, and its
# journal is written anew from the cluster's state.
node_start 2 || fail "node 2 did not start"
out=$(msg_tool 2 send "$Q" 1 --from 1201) || fail "send after the restore: $out"
echo "journal: restored: 900 messages, in order, none lost or twice; node 2 back"

# A minority that stays up must not win over the majority's journals: node 1
# is cut off, nodes 2 and 3 take 100 more messages, then they go down.
# Node 1 still holds the (older) state; node 2 comes back and its journal,
# ahead of node 1's state, is restored.
link_cut 1 || fail "cannot cut node 1's link"
wait_for_members 2 2 15 || fail "nodes 2 and 3 do not see each other alone"
out=$(msg_tool 2 send "$Q" 100 --from 1202 --acked "$acked") || fail "send 100 on the majority: $out"
node_kill 2 || fail "cannot kill node 2"
node_kill 3 || fail "cannot kill node 3"
link_heal 1 || fail "cannot heal node 1's link"
node_start 2 || fail "node 2 did not come back"
grep -q "node 2's journal (generation [0-9]*) is ahead of the state of node 1 (generation [0-9]*): restoring it" \
	"$(node_dir 1)/safd.log" || fail "node 2's journal did not win over node 1's older state: $(grep -i 'journal\|state' "$(node_dir 1)/safd.log" | tail -5)"
receive_all 1 101 1201 "after the second restore"
echo "journal: the majority's journal won over the state of a node that was cut off; msg-journal: PASS"
