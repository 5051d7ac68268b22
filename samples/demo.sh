#!/bin/bash
# The demo: csa104 (samples/csa104), the SAFplus messaging sample, on a
# private single-node cluster (tests/harness: corosync and safd in their own
# user, network, mount and pid namespaces; nothing on the machine is touched
# and everything stops when it ends).
#
#   1. safd starts with the csa104 model: a 2N service group of two
#      components, one ACTIVE (it opens the queue and receives), one STANDBY
#      (it sends "Msg N from NAME" to the queue);
#   2. messages flow;
#   3. the active's process is killed once (SIGKILL): AMF restarts it in
#      place and it is active again; messages resume;
#   4. the active is killed in quick succession until the escalation ladder
#      fails the service group over: the standby becomes active and the
#      restarted component standby; messages resume;
#   5. everything stops, and the last line counts, from the components'
#      logs and from `safctl amf status`:
#         csa104: sent N received N lost 0 restarts R failovers F
#      The exit status is non-zero if a message was lost, or there was no
#      restart or no failover.
#
# Environment: CSA104_INTERVAL_MS (default 500 here) is the standby's
# sending period; CSA104_SEED=1 runs the SAFplus guide's own code
# (csa104-seed) instead of csa104; SAFD and SAFCTL as for the harness
# (default: the build tree build/); HARNESS_KEEP=1 keeps the logs.
top=$(cd "$(dirname "$0")/.." && pwd)
: "${SAFD:=$top/build/services/safd}"
: "${SAFCTL:=$top/build/tools/safctl}"
export SAFD SAFCTL

# ---------------------------------------------------------------------------
# `safctl amf status --json`: every query of the demo, in one place.
# Shape (tools/safctl_amf.c):
#   {"configured": true,
#    "sgs": [{"name": DN, "sus": [{"name": DN, "restarts": N, "ha_state": S,
#             "comps": [{"name": "safComp=X,safSu=...", "presence": P,
#                        "restarts": N, "pid": N, "ha_state": S}, ...]}]}],
#    "nodes": [...], "sis": [...]}
# with S "active" | "standby" | "quiesced" | "quiescing" | null and P
# "instantiated" | "restarting" | ... . A component's ha_state is its SU's
# for the CSI, so it stays "active" while the component restarts: the demo
# also checks the component's own log for the new process.
JQ_COMPS='[.sgs[]?.sus[]?.comps[]?]'
# One line per component:
#   SHORT_NAME HA_STATE PRESENCE PID RESTARTS SU_RESTARTS
JQ_COMP_LINES='.sgs[]?.sus[]? | (.restarts // 0) as $su | .comps[]? | "\(.name | sub("^safComp="; "") | sub(",.*"; "")) \(.ha_state // "none") \(.presence // "-") \(.pid // 0) \(.restarts // 0) \($su)"'
# Component restarts, all components (a component restart and an SU
# restart both count one per component restarted).
JQ_RESTARTS="$JQ_COMPS"' | map(.restarts // 0) | add // 0'
# ---------------------------------------------------------------------------

. "$top/tests/harness/cluster.sh"
harness_enter "$@"

: "${CSA104_INTERVAL_MS:=500}"
: "${CSA104_SEED:=0}"
COMPS=(csa104CompI0 csa104CompI1)	# the component names in csa104.xml
MAX_QUICK_KILLS=8

prog=csa104 interval_ms=$CSA104_INTERVAL_MS
[ "$CSA104_SEED" = 1 ] && prog=csa104-seed interval_ms=2000	# sleep(2) in the seed
bin=$(dirname "$SAFD")/../samples/csa104/$prog
if [ ! -x "$bin" ]; then
	echo "ERROR: $bin is not built (make in the build tree)" >&2
	exit 99
fi
bin=$(cd "$(dirname "$bin")" && pwd)/$prog
case $bin in
*[!A-Za-z0-9_./+-]*) echo "ERROR: cannot name $bin in the configuration" >&2; exit 99 ;;
esac
case $CSA104_INTERVAL_MS in
''|*[!0-9]*|0|00*) echo "ERROR: CSA104_INTERVAL_MS must be a number of milliseconds, at least 1" >&2; exit 2 ;;
esac

# The shipped csa104.xml runs ./csa104, next to it (an in-tree build).
# Here the program is wherever the build tree is: write a copy of the
# configuration that names it, and sets the sending period.
conf=$HARNESS_DIR/csa104.xml
sed -e "s|cmd=\"\./csa104\"|cmd=\"$bin\"|" \
    -e "s|name=\"CSA104_INTERVAL_MS\" value=\"[0-9]*\"|name=\"CSA104_INTERVAL_MS\" value=\"$CSA104_INTERVAL_MS\"|" \
    "$top/samples/csa104/csa104.xml" >"$conf"
[ "$(grep -c "cmd=\"$bin\"" "$conf")" = 2 ] ||
	fail "samples/csa104/csa104.xml: expected two components with cmd=\"./csa104\""
"$SAFCTL" config check "$conf" >/dev/null || fail "the generated $conf does not check"
HARNESS_SAFD_ARGS="${HARNESS_SAFD_ARGS:+$HARNESS_SAFD_ARGS }-c $conf"

problems=()
problem() {
	echo "demo: PROBLEM: $*" >&2
	problems+=("$*")
}

step() {
	printf '\n==> %s\n' "$*"
}

# ---------------------------------------------------------------- state
logdir=				# AMF writes each component's stdout/stderr here
log_of() {
	echo "$logdir/$1.log"
}

amf_json() {
	node_exec 1 timeout "$HARNESS_PROBE_TIMEOUT" "$SAFCTL" amf status --json
}

# read_state: fill HA[c], PRES[c], PID[c], RST[c] (component restarts) and
# SURST[c] (its SU's restarts) for each component from one
# `safctl amf status --json`. Returns 1 if safctl fails.
declare -A HA PRES PID RST SURST
read_state() {
	local json name ha pres pid rst surst
	json=$(amf_json 2>/dev/null) || return 1
	HA=() PRES=() PID=() RST=() SURST=()
	while read -r name ha pres pid rst surst; do
		HA[$name]=$ha PRES[$name]=$pres PID[$name]=$pid RST[$name]=$rst
		SURST[$name]=$surst
	done < <(jq -r "$JQ_COMP_LINES" <<<"$json")
	[ ${#HA[@]} -gt 0 ]
}

# log_has COMP PID TEXT: COMP's log has a line by process PID containing TEXT.
log_has() {
	grep -F -- "$3" "$(log_of "$1")" 2>/dev/null | grep -q -- "\.$2 : "
}

# serving COMP STATE: COMP is STATE (active|standby) in AMF, instantiated,
# and its current process logged that it took the assignment.
serving() {
	local c=$1 want=$2 text
	[ "${HA[$c]:-}" = "$want" ] && [ "${PRES[$c]:-}" = instantiated ] &&
		[ "${PID[$c]:-0}" -gt 0 ] || return 1
	if [ "$want" = active ]; then
		text='ACTIVE state requested'
	else
		text='Standby state requested'
	fi
	log_has "$c" "${PID[$c]}" "$text"
}

ACTIVE= STANDBY=
# assigned: one component serves active and the other standby; sets
# ACTIVE and STANDBY.
assigned() {
	read_state || return 1
	if serving "${COMPS[0]}" active && serving "${COMPS[1]}" standby; then
		ACTIVE=${COMPS[0]} STANDBY=${COMPS[1]}
	elif serving "${COMPS[1]}" active && serving "${COMPS[0]}" standby; then
		ACTIVE=${COMPS[1]} STANDBY=${COMPS[0]}
	else
		return 1
	fi
}

# active_again OLD_PID: some component serves active in a process other
# than OLD_PID; sets NOW_ACTIVE.
NOW_ACTIVE=
active_again() {
	local c
	read_state || return 1
	for c in "${COMPS[@]}"; do
		if serving "$c" active && [ "${PID[$c]}" != "$1" ]; then
			NOW_ACTIVE=$c
			return 0
		fi
	done
	return 1
}

# failed_over FROM TO: TO serves active and FROM (restarted) standby.
failed_over() {
	read_state && serving "$2" active && serving "$1" standby
}

# received_by_pid COMP PID: how many messages COMP's process PID received.
received_by_pid() {
	grep -F 'Received Message  : ' "$(log_of "$1")" 2>/dev/null | grep -c -- "\.$2 : "
}

receives_more() {	# receives_more COMP PID N: more than N
	[ "$(received_by_pid "$1" "$2")" -gt "$3" ]
}

# tally [LIMITS]: "sent S received R lost L duplicates D late X" from the
# components' logs (samples/csa104/tally.awk; LIMITS is its cut-off).
tally() {
	local c files=()
	for c in "${COMPS[@]}"; do
		files+=("$(log_of "$c")")
	done
	awk -v limits="${1:-}" -f "$top/samples/csa104/tally.awk" "${files[@]}"
}

drained() {	# drained [LIMITS]: every message sent so far was received
	tally "${1:-}" | grep -q ' lost 0 '
}

# just_delivered COMP PID N: COMP's process PID received more than N
# messages and nothing sent is still on its way.
just_delivered() {
	receives_more "$1" "$2" "$3" && drained
}

# kill_after_delivery COMP: SIGKILL COMP's process (the active) right after
# it received a message, with nothing else in flight, so that the next send
# is about one interval away. A message that MSG has handed to a process
# killed before it could print it would look lost in the logs although MSG
# delivered it; killing right after a delivery keeps the count honest.
# Sets KILLED_PID.
kill_after_delivery() {
	local c=$1 n
	KILLED_PID=${PID[$c]}
	n=$(received_by_pid "$c" "$KILLED_PID")
	wait_until $((2 + 2 * interval_ms / 1000)) just_delivered "$c" "$KILLED_PID" "$n" ||
		problem "$c (pid $KILLED_PID) received nothing before the kill"
	node_exec 1 kill -KILL "$KILLED_PID" || fail "cannot kill $c (pid $KILLED_PID)"
}

show_logs() {	# show_logs LINES
	local c
	for c in "${COMPS[@]}"; do
		echo "--- $c.log"
		tail -n "$1" "$(log_of "$c")" 2>/dev/null | sed 's/^/    /'
	done
}

# show_flow COMP N: wait until the active COMP's current process received N
# more messages, then show the logs.
show_flow() {
	local c=$1 pid=${PID[$1]} n
	n=$(received_by_pid "$c" "$pid")
	if wait_until $((5 + ($2 + 1) * interval_ms / 1000)) \
			receives_more "$c" "$pid" $((n + $2 - 1)); then
		show_logs $((2 * $2 + 1))
	else
		show_logs 10
		problem "the active $c (pid $pid) does not receive"
	fi
}

elapsed() {	# elapsed T0_MS: "1.234 s"
	local d=$(( $(harness_now_ms) - $1 ))
	printf '%d.%03d s' $((d / 1000)) $((d % 1000))
}

counters() {	# counters COMP: "restarts: component N, service unit M"
	echo "restarts: component ${RST[$1]:-?}, service unit ${SURST[$1]:-?}"
}

N_SHOW=3	# messages to see flowing in each phase

# ------------------------------------------------------------ 1. start
period="$interval_ms ms"
[ "$prog" = csa104-seed ] && period="2 s (the seed's sleep(2))"
step "starting a private one-node cluster: safd -c $conf ($prog, a message every $period)"
cluster_start 1 || fail "the cluster did not start"
logdir=$(node_dir 1)/safd-state
node_exec 1 "$SAFCTL" amf status >/dev/null 2>&1 ||
	fail "safctl amf status does not answer: $(node_exec 1 "$SAFCTL" amf status 2>&1)"
t0=$(harness_now_ms)
wait_until 30 assigned ||
	fail "csa104 did not get one ACTIVE and one STANDBY component in 30 s: $(amf_json)"
echo "assigned in $(elapsed "$t0"): $ACTIVE active (pid ${PID[$ACTIVE]}), $STANDBY standby (pid ${PID[$STANDBY]})"
echo
echo "$ safctl amf status"
node_exec 1 "$SAFCTL" amf status
FIRST_ACTIVE=$ACTIVE FIRST_STANDBY=$STANDBY

# ------------------------------------------------------------ 2. flowing
step "messages flow from the standby $STANDBY to the active $ACTIVE (AMF writes each component's output to $logdir/<component>.log)"
show_flow "$ACTIVE" "$N_SHOW"

# ------------------------------------------------------------ 3. one kill
step "killing the active $ACTIVE once (SIGKILL): AMF restarts it in place"
kill_after_delivery "$ACTIVE"
t0=$(harness_now_ms)
wait_until 20 active_again "$KILLED_PID" ||
	fail "no component became active again within 20 s of the kill: $(amf_json)"
if [ "$NOW_ACTIVE" != "$FIRST_ACTIVE" ]; then
	problem "expected a restart in place after one kill, but $NOW_ACTIVE took over"
else
	echo "$ACTIVE (pid $KILLED_PID) restarted in place, active again in $(elapsed "$t0") as pid ${PID[$ACTIVE]}; $(counters "$ACTIVE")"
fi
ACTIVE=$NOW_ACTIVE
if [ "$prog" = csa104 ]; then
	echo "messages resume (those sent while it was down waited in the queue):"
else
	echo "messages resume (the seed's queue died with its opener: sends in between failed with 0xC):"
fi
show_flow "$ACTIVE" "$N_SHOW"

# ------------------------------------------------------ 4. quick kills
step "killing the active in quick succession until AMF fails the service group over"
kills=0
failover_t0=
while [ "$ACTIVE" = "$FIRST_ACTIVE" ] && [ $kills -lt $MAX_QUICK_KILLS ]; do
	kill_after_delivery "$ACTIVE"
	t0=$(harness_now_ms)
	kills=$((kills + 1))
	wait_until 20 active_again "$KILLED_PID" ||
		fail "no component became active again within 20 s of kill $kills: $(amf_json)"
	if [ "$NOW_ACTIVE" = "$ACTIVE" ]; then
		echo "kill $kills (pid $KILLED_PID): $ACTIVE restarted, active again in $(elapsed "$t0") as pid ${PID[$ACTIVE]}; $(counters "$ACTIVE")"
	else
		echo "kill $kills (pid $KILLED_PID): failover, $NOW_ACTIVE (pid ${PID[$NOW_ACTIVE]}) active in $(elapsed "$t0")"
		failover_t0=$t0
	fi
	ACTIVE=$NOW_ACTIVE
done
if [ -z "$failover_t0" ]; then
	problem "no failover after $kills kills in quick succession"
else
	if wait_until 20 failed_over "$FIRST_ACTIVE" "$FIRST_STANDBY"; then
		echo "$FIRST_STANDBY is active (pid ${PID[$FIRST_STANDBY]}, the same process), $FIRST_ACTIVE restarted as standby (pid ${PID[$FIRST_ACTIVE]}), $(elapsed "$failover_t0") after the last kill"
	else
		problem "after the failover, $FIRST_ACTIVE did not come back as standby within 20 s"
	fi
	echo
	echo "$ safctl amf status"
	node_exec 1 "$SAFCTL" amf status
	step "messages resume, now from $FIRST_ACTIVE to $FIRST_STANDBY"
	read_state
	show_flow "$ACTIVE" "$N_SHOW"
fi

# ------------------------------------------------------------ 5. stop
step "stopping, and counting"
# The cut-off: the sends logged up to here are the ones counted. Wait until
# each was received (bounded), then stop: a message sent in the last instant
# before the stop, with nobody left to receive it, is not a lost message.
limits=
for c in "${COMPS[@]}"; do
	limits+="$(log_of "$c")=$(wc -l <"$(log_of "$c")") "
done
wait_until $((3 + 3 * interval_ms / 1000)) drained "$limits"
json=$(amf_json) || fail "safctl amf status failed at the end"
restarts=$(jq -r "$JQ_RESTARTS" <<<"$json")
cluster_stop
echo "cluster stopped"

# failovers: how often the ACTIVE assignment moved from one component to the
# other, in time order across the logs ("Sun Nov 22 17:53:14.276 2026 (...").
failovers=$(for c in "${COMPS[@]}"; do
		awk -v c="$c" '/ACTIVE state requested/ {
			m = (index("JanFebMarAprMayJunJulAugSepOctNovDec", $2) + 2) / 3
			printf "%s%02d%02d %s %s\n", $5, m, $3, $4, c }' "$(log_of "$c")"
	done | sort | awk '{ if (prev != "" && $3 != prev) n++; prev = $3 } END { print n + 0 }')
read -r _ sent _ received _ lost _ dups _ late <<<"$(tally "$limits")"
[ "$HARNESS_KEEP" = 1 ] && echo "logs: $logdir/*.log (kept)"
echo "counted: the messages sent up to the cut-off; $late more received after it; duplicates $dups"
[ "$lost" = 0 ] || problem "$lost messages sent were never received"
[ "${restarts:-0}" -gt 0 ] 2>/dev/null || problem "no restart"
[ "$failovers" -gt 0 ] || problem "no failover"
[ "$sent" -gt 0 ] || problem "nothing was sent"
echo "csa104: sent $sent received $received lost $lost restarts $restarts failovers $failovers"
[ ${#problems[@]} -eq 0 ] || exit 1
exit 0
