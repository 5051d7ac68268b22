#!/bin/bash
# msg-journal-full.sh: a journal that fills up (--journal-size 1M) is given
# up, loudly, and safd goes on from memory: every send is still answered
# OK, the error says what happened and what to do, and the journal's
# generation is 0 so that it can never win a restore; started again, the
# node starts an empty cluster and empties the journal. One node.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/msg-lib.sh"

HARNESS_SAFD_ARGS="${HARNESS_SAFD_ARGS:+$HARNESS_SAFD_ARGS }--journal journal --journal-size 1M"
export HARNESS_SAFD_ARGS
Q=full-queue

cluster_start 1 || fail "the node did not start"
out=$(msg_tool 1 create "$Q" --persistent) || fail "create $Q: $out"
# 300 messages of 8 KiB: 2.4 MB, more than the journal may hold.
out=$(msg_tool 1 send "$Q" 300 --size 8192) || fail "sends failed once the journal was full: $out"
log=$(node_dir 1)/safd.log
grep -Eq "journal .*/journal: writing a message failed: MDB_MAP_FULL.*; persistent queues are kept in memory only from now on \(restart safd once the journal can be written\)" "$log" ||
	fail "safd did not say the journal is full: $(grep journal "$log")"
safd_status 1 | jq -e '.journal == "given-up" and .journal_generation == 0' >/dev/null ||
	fail "safctl status does not show the journal given up: $(safd_status 1)"
node_exec 1 "$SAFCTL" status | grep -q "^Journal:  GIVEN UP after a write failed" ||
	fail "safctl status (text) does not say the journal was given up: $(node_exec 1 "$SAFCTL" status)"
st=$(msg_tool 1 status "$Q") || fail "status: $st"
grep -q "msgs=300," <<<"$st" || fail "the queue does not hold the 300 messages: $st"
node_stop_safd 1 || fail "safd did not stop cleanly"
gen=$(mdb_dump -s meta "$(node_dir 1)/safd-state/journal" 2>/dev/null | grep -A1 '^ 67656e$' | tail -1 | tr -d ' ')
[ "$gen" = 0000000000000000 ] || fail "the given-up journal's generation is '$gen', want 0"

# The node starts again: its journal holds no generation, so the cluster
# starts empty (the queue was in memory only) and the journal is emptied.
node_start_safd 1 || fail "safd did not start again"
grep -q "a new cluster: no journal of the members holds a generation" "$log" ||
	fail "safd did not say it starts empty: $(grep -i 'journal\|cluster' "$log" | tail -5)"
st=$(msg_tool 1 status "$Q") || fail "status: $st"
grep -q "exists=0" <<<"$st" || fail "the queue of the given-up journal came back: $st"
out=$(msg_tool 1 create "$Q" --persistent) && out=$(msg_tool 1 send "$Q" 1) ||
	fail "the emptied journal does not take a new queue: $out"
safd_status 1 | jq -e '.journal == "writing" and .journal_generation == 2' >/dev/null ||
	fail "the emptied journal is not written again: $(safd_status 1)"
echo "msg-journal-full: the full journal was given up (generation 0), 300 sends answered OK; restarted empty, journal emptied; PASS"
