#!/bin/bash
# samples/csa104/msgtest.sh: the MSG half of csa104, without AMF.
#
# Runs csa104 in its test mode (CSA104_ROLE=active|standby, roles switched by
# signals) on a private one-node cluster (tests/harness) and checks that the
# sender and receiver paths work and lose nothing:
#   1. a standby alone: its sends fail with 0xC (no queue yet);
#   2. an active appears: it creates the queue and receives;
#   3. the active is SIGKILLed: the queue outlives it (retention time), the
#      standby's sends still succeed, and a new active gets them all;
#   4. the roles are swapped in place (SIGUSR1 to the standby, then SIGUSR2
#      to the active): the new active finds the queue BUSY and retries until
#      the old one has closed it;
#   5. the active is quiesced (SIGHUP) and made active again;
#   6. both stop (SIGTERM, exit 0); every message sent before the cut-off
#      was received exactly once.
# Usage: samples/csa104/msgtest.sh   (CSA104=path/to/csa104, SAFD, SAFCTL
# as for the harness; default: the build tree next to $SAFD).
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${SAFD:=$top/build/services/safd}"
: "${SAFCTL:=$top/build/tools/safctl}"
export SAFD SAFCTL
. "$top/tests/harness/cluster.sh"
harness_enter "$@"

: "${CSA104:=$(dirname "$SAFD")/../samples/csa104/csa104}"
[ -x "$CSA104" ] || { echo "ERROR: $CSA104 is not built" >&2; exit 99; }
INTERVAL=100
DN0='safComp=csa104CompI0,safSu=csa104SUI0,safSg=csa104SG,safApp=csa104'
DN1='safComp=csa104CompI1,safSu=csa104SUI1,safSg=csa104SG,safApp=csa104'
LOG0=$HARNESS_DIR/csa104CompI0.log
LOG1=$HARNESS_DIR/csa104CompI1.log

# start ROLE DN LOG: one csa104 in node 1, output appended to LOG.
JOBS=()
start() {
	node_exec 1 env CSA104_ROLE="$1" SA_AMF_COMPONENT_NAME="$2" \
		CSA104_INTERVAL_MS=$INTERVAL "$CSA104" >>"$3" 2>&1 &
	JOBS+=($!)
}

# pid_in LOG: the pid (node view) of the last process that wrote to LOG.
pid_in() {
	tail -n 1 "$1" 2>/dev/null | sed -n 's/^[^(]*(\([^ ]*\)\.\([0-9]*\) : .*/\2/p'
}

count() {	# count PATTERN LOG
	grep -c -- "$1" "$2" 2>/dev/null
}

count_gt() {	# count_gt PATTERN LOG N
	[ "$(count "$1" "$2")" -gt "$3" ]
}

tally() {	# tally [limits]
	awk -v limits="${1:-}" -f "$here/tally.awk" "$LOG0" "$LOG1"
}

lost_is_zero() {
	tally "$1" | grep -q ' lost 0 '
}

sig() {		# sig SIGNAL LOG
	local pid
	pid=$(pid_in "$2")
	[ -n "$pid" ] || fail "no pid in $2"
	node_exec 1 kill "-$1" "$pid" || fail "kill -$1 $pid failed"
}

show() {
	echo "--- $1"
	tail -n "${2:-4}" "$LOG0" | sed 's/^/    /'
	tail -n "${2:-4}" "$LOG1" | sed 's/^/    /'
}

cluster_start 1 || fail "the cluster did not start"
: >"$LOG0"
: >"$LOG1"

# 1. the standby alone
start standby "$DN1" "$LOG1"
wait_until 10 count_gt 'failed \[0xC\]' "$LOG1" 1 ||
	fail "the standby's sends did not fail with 0xC while no queue exists"
show "1. standby alone: sends fail with 0xC" 2

# 2. the active creates the queue and receives
start active "$DN0" "$LOG0"
wait_until 10 count_gt 'Received Message' "$LOG0" 4 || fail "the active receives nothing"
show "2. active up: messages flow"

# 3. SIGKILL the active; sends keep succeeding; a new active gets them all
sig KILL "$LOG0"
n=$(count 'Sending Message' "$LOG1")
wait_until 10 count_gt 'Sending Message' "$LOG1" $((n + 5)) || fail "the standby stopped sending"
f=$(count 'failed' "$LOG1")
start active "$DN0" "$LOG0"
wait_until 10 count_gt 'queue \[csa104msgqueue\] open' "$LOG0" 1 || fail "the new active did not open the queue"
# The 5 sends during the gap succeeded (no new failure) and arrive now.
[ "$(count 'failed' "$LOG1")" = "$f" ] || fail "sends failed while the active was down: $(grep failed "$LOG1" | tail -3)"
wait_until 10 lost_is_zero "$LOG1=$(wc -l <"$LOG1")" ||
	fail "messages sent while the active was down were lost: $(tally)"
show "3. active killed and started again: nothing lost" 6

# 4. swap roles in place, the new active first: it finds the queue BUSY
# (still open by the old active) and retries until the old one closes it
sig USR1 "$LOG1"
wait_until 10 count_gt 'queue \[csa104msgqueue\] not available yet \[0xA\]' "$LOG1" 0 ||
	fail "the new active did not find the queue busy"
sig USR2 "$LOG0"
wait_until 10 count_gt 'queue \[csa104msgqueue\] open' "$LOG1" 0 ||
	fail "the new active did not open the queue after the old one closed it"
wait_until 10 count_gt 'Sending Message: Msg .* from csa104CompI0' "$LOG0" 0 ||
	fail "the old active does not send"
wait_until 10 count_gt 'Received Message  : Msg .* from csa104CompI0' "$LOG1" 2 ||
	fail "the new active receives nothing"
show "4. roles swapped (the new active waited for the queue: BUSY)" 6

# 5. quiesce the active, then make it active again
sig HUP "$LOG1"
wait_until 10 count_gt 'queue \[csa104msgqueue\] closed' "$LOG1" 0 || fail "quiesced: queue not closed"
n=$(count 'Sending Message' "$LOG0")
wait_until 10 count_gt 'Sending Message' "$LOG0" $((n + 3)) || fail "the standby stopped sending"
sig USR1 "$LOG1"
show "5. quiesced, then active again" 5

# 6. cut-off, drain, stop
limits="$LOG0=$(wc -l <"$LOG0") $LOG1=$(wc -l <"$LOG1")"
wait_until 10 lost_is_zero "$limits" || fail "messages lost: $(tally "$limits")"
sig TERM "$LOG0"
sig TERM "$LOG1"
wait_until 10 count_gt 'csa104: exiting' "$LOG0" 0 || fail "csa104CompI0 did not exit on SIGTERM"
wait_until 10 count_gt 'csa104: exiting' "$LOG1" 0 || fail "csa104CompI1 did not exit on SIGTERM"
wait "${JOBS[@]}"
result=$(tally "$limits")
echo "--- 6. stopped"
echo "msgtest: $result"
grep -q ' lost 0 duplicates 0 ' <<<"$result" || fail "lost or duplicated messages: $result"
grep -q '^sent 0 ' <<<"$result" && fail "nothing was sent"
echo "msgtest: PASS"
