#!/bin/bash
# amf-failures.sh: components that fail in every way but a plain crash, on
# one node (amf-tests/amf-failures.xml: one 2N SG per case, all at once).
#   noreg   a component that never registers: started 1 + instantiate
#           retries times, each after its registration deadline (1 s);
#           then INSTANTIATION_FAILED, its SU disabled and out of service,
#           no process left; the other SU has the assignment. After
#           `safctl amf repaired` the same happens again.
#   badcmd  an instantiate command that does not exist: the same.
#   exit1   an instantiate command that exits 1: the same.
#   cbto    a component that never answers its CSI set: after the callback
#           timeout (2 s) it is recovered (restarted) like a failed one;
#           the second time the SG fails over to the other SU.
#   cbfail  a component that answers FAILED_OPERATION: recovered at once
#           (not after the timeout), then failed over the same way.
#   report  an error report recommending component-failover, configured
#           component-restart: a failover, never the weaker restart.
#   report2 recommending component-restart, configured component-failover:
#           a failover (the configured recovery is stronger).
#   report3 no recommendation, configured component-restart: the component
#           is restarted in place and ACTIVE again; nothing fails over.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/amf-lib.sh"

AIS_ERR_FAILED_OPERATION=21

amf_config amf-failures.xml || fail "amf-failures.xml does not check"
t0=$(harness_now_ms)
cluster_start 1 || fail "the node did not start"

dn() { echo "safComp=${1}c,safSu=$1,safSg=$2,safApp=$2"; }
csi() { echo "safCsi=$1-csi,safSi=$1-si,safApp=$1"; }

# start_times COMP: the t= of each start of the component, one per line.
start_times() {
	log_since 1 "$1" 0 | sed -n 's/^t=\([0-9]*\) pid=[0-9]* start .*/\1/p'
}

# proc_gone PID...: none of these pids runs in node 1 (zombies count as gone).
procs_gone() {
	local p s
	for p in "$@"; do
		s=$(node_exec 1 awk '{print $3}' "/proc/$p/stat" 2>/dev/null)
		[ -z "$s" ] || [ "$s" = Z ] || return 1
	done
}

# ----------------------------------------- instantiation failures (c), (d)
# inst_failed SG X1 X2 WHAT: X1 ends INSTANTIATION_FAILED after 3 attempts,
# disabled; X2 holds the SI ACTIVE.
inst_failed() {
	local sg=$1 x1=$2 x2=$3 what=$4
	amf_wait 20 1 "su(\"$x1\").presence == \"instantiation-failed\"" \
		"$sg: $x1 INSTANTIATION_FAILED ($what)"
	amf_expect 1 "su(\"$x1\") | .oper == \"disabled\" and .readiness == \"out-of-service\" and
		.ha_state == null and .comps[0].presence == \"instantiation-failed\" and
		.comps[0].oper == \"disabled\" and .comps[0].readiness == \"out-of-service\"" \
		"$sg: $x1 is disabled and out of service, without assignment"
	amf_true 1 "comp(\"${x1}c\").pid == 0" ||
		check_later "$sg: the failed component ${x1}c still shows pid $(comp_field 1 "${x1}c" pid) in safctl (ipc_amf.h: pid is set while running)"
	amf_wait 10 1 "su(\"$x2\").ha_state == \"active\" and
		(csi(\"$sg-csi\").assignments | length) == 1" \
		"$sg: $x2 holds the SI ACTIVE, alone"
	wait_csi_set 5 1 "${x2}c" 0 "comp=$(dn "$x2" "$sg") ha=ACTIVE flags=ADD_ONE csi=$(csi "$sg") " \
		"$sg: ${x2}c told ACTIVE"
	# It stays so: no further attempt after the last retry.
	n=$(safd_log_count 1 "$(dn "$x1" "$sg"): instantiation failed; retry [0-9]+ of 2")
	[ "$n" = 2 ] || fail "$sg: safd.log shows $n retries of ${x1}c, want 2"
	n=$(safd_log_count 1 "$(dn "$x1" "$sg"): instantiation failed 3 times")
	[ "$n" = 1 ] || fail "$sg: safd.log does not say ${x1}c failed its instantiation 3 times"
}

inst_failed noreg nr1 nr2 "never registers"
inst_failed badcmd bc1 bc2 "instantiate command does not exist"
inst_failed exit1 ex1 ex2 "instantiate command exits 1"

# noreg: three processes, each given up at its 1 s registration deadline,
# none left running.
mapfile -t starts < <(start_times nr1c)
[ "${#starts[@]}" = 3 ] || fail "noreg: nr1c was started ${#starts[@]} times, want 3 (1 + 2 retries): $(log_since 1 nr1c 0)"
# The gap is measured from the component's own start line, so a slow
# start-up of one attempt (sixteen components start at once; sanitizers)
# shortens it: the lower bound allows 200 ms of that (times HARNESS_SLOW).
for k in 1 2; do
	gap=$(( starts[k] - starts[k - 1] ))
	[ "$gap" -ge $(( 1000 - $(harness_slow 200) )) ] && [ "$gap" -lt 3000 ] ||
		fail "noreg: attempt $(( k + 1 )) started $gap ms after attempt $k; want about the 1 s registration deadline"
done
n=$(safd_log_count 1 "$(dn nr1 noreg): did not register within 1000 ms")
[ "$n" = 3 ] || fail "noreg: safd.log has $n registration deadlines for nr1c, want 3"
mapfile -t pids < <(log_since 1 nr1c 0 | sed -n 's/^t=[0-9]* pid=\([0-9]*\) start .*/\1/p')
wait_until 5 procs_gone "${pids[@]}" || fail "noreg: processes of nr1c (${pids[*]}) still run"
echo "failures: noreg: nr1c started 3 times, $(( starts[1] - starts[0] )) and $(( starts[2] - starts[1] )) ms apart, then INSTANTIATION_FAILED; nr2 ACTIVE; no process left"

# repaired: the operator's repair starts the round over (3 more attempts),
# and it ends INSTANTIATION_FAILED again (the component still never
# registers); the SU stays out of the assignment meanwhile.
out=$(node_exec 1 timeout 90 "$SAFCTL" amf repaired safSu=nr1 2>&1) ||
	fail "noreg: safctl amf repaired safSu=nr1 failed: $out"
wait_until 20 eval '[ "$(start_times nr1c | wc -l)" -ge 6 ]' ||
	fail "noreg: after repaired nr1c was started $(start_times nr1c | wc -l) times in all, want 6"
amf_wait 10 1 'su("nr1").presence == "instantiation-failed" and su("nr1").oper == "disabled" and
	su("nr2").ha_state == "active"' "noreg: repaired, retried, disabled again; nr2 still ACTIVE"
echo "failures: noreg: repaired -> 3 more attempts, then INSTANTIATION_FAILED again"

# badcmd: three attempts to run the missing program.
n=$(log_count 1 bc1c 0 "cannot run /nonexistent/amf-comp-missing for $(dn bc1 badcmd)")
[ "$n" = 3 ] || fail "badcmd: $n attempts to run the missing command, want 3: $(log_since 1 bc1c 0)"
echo "failures: badcmd: 3 attempts to exec a missing program, then INSTANTIATION_FAILED; bc2 ACTIVE"

# exit1: three processes, each exiting 1.
n=$(log_count 1 ex1c 0 ' exit status=1 on=start$')
[ "$n" = 3 ] || fail "exit1: ex1c exited 1 $n times, want 3: $(log_since 1 ex1c 0)"
echo "failures: exit1: the command exited 1 three times, then INSTANTIATION_FAILED; ex2 ACTIVE"

# ---------------------------------------------------- callback failures (e)
# cb_failure SG X1 X2 WHAT WANT_LOG MIN_MS MAX_MS: X1's first process got a
# CSI set ACTIVE that failed (WANT_LOG in its log); the component was
# restarted between MIN_MS and MAX_MS after that CSI set; after the 2nd
# failure the SG failed over: X2 ACTIVE, X1 back STANDBY.
cb_failure() {
	local sg=$1 x1=$2 x2=$3 what=$4 want=$5 min=$6 max=$7 tset tstart restarts
	amf_wait 20 1 "su(\"$x2\").ha_state == \"active\" and su(\"$x1\").ha_state == \"standby\" and
		su(\"$x1\").presence == \"instantiated\"" \
		"$sg: failed over to $x2 after ${x1}c's $what; $x1 back as STANDBY"
	wait_csi_set 5 1 "${x1}c" 0 "comp=$(dn "$x1" "$sg") ha=STANDBY flags=ADD_ONE " \
		"$sg: ${x1}c answers STANDBY"
	wait_csi_set 5 1 "${x2}c" 0 "comp=$(dn "$x2" "$sg") ha=ACTIVE " "$sg: ${x2}c told ACTIVE"
	log_has 1 "${x1}c" 0 "$want" || fail "$sg: ${x1}c never logged '$want': $(log_since 1 "${x1}c" 0)"
	tset=$(log_time 1 "${x1}c" 0 ' csi_set .* ha=ACTIVE ')
	mapfile -t starts < <(start_times "${x1}c")
	[ "${#starts[@]}" -ge 2 ] || fail "$sg: ${x1}c was never restarted after its $what"
	tstart=${starts[1]}
	[ $(( tstart - tset )) -ge "$min" ] && [ $(( tstart - tset )) -lt "$max" ] ||
		fail "$sg: ${x1}c restarted $(( tstart - tset )) ms after its first CSI set, want $min..$max ms"
	restarts=$(comp_field 1 "${x1}c" restarts)
	[ "$restarts" -ge 1 ] || fail "$sg: ${x1}c shows $restarts restarts, want at least 1"
	echo "failures: $sg: ${x1}c's $what -> restarted $(( tstart - tset )) ms after the CSI set, then failover to $x2; ${x1}c STANDBY ($restarts restarts)"
}

cb_failure cbto to1 to2 "unanswered CSI set" " no_answer invocation=" 1900 4000
n=$(safd_log_count 1 "$(dn to1 cbto): no answer to callback")
[ "$n" -ge 1 ] || fail "cbto: safd.log does not report the callback timeout of to1c"
cb_failure cbfail fo1 fo2 "FAILED_OPERATION answer" \
	" responding invocation=[0-9]+ error=$AIS_ERR_FAILED_OPERATION\$" 1900 4000
n=$(safd_log_count 1 "$(dn fo1 cbfail): callback answered with error $AIS_ERR_FAILED_OPERATION")
[ "$n" -ge 1 ] || fail "cbfail: safd.log does not report fo1c's FAILED_OPERATION answer"
# The 2 s above are fo1c's own delay (AMF_COMP_ACT_DELAY_MS): the restart
# follows the answer at once, not the 10 s callback timeout.
# (fo1c logs before it answers: the answer gets it killed, maybe before
# saAmfResponse_4() returns to log its result)
tans=$(log_time 1 fo1c 0 " responding invocation=[0-9]+ error=$AIS_ERR_FAILED_OPERATION\$")
mapfile -t starts < <(start_times fo1c)
[ $(( starts[1] - tans )) -lt 1500 ] ||
	fail "cbfail: fo1c restarted $(( starts[1] - tans )) ms after answering FAILED_OPERATION, want at once"

# ------------------------------------------------------- error reports (f)
# report_ok SG COMP: COMP reported an error, and the call returned OK if
# it returned before the recovery killed the process.
report_ok() {
	log_has 1 "$2" 0 " error_report_begin recovery=" ||
		fail "$1: $2 did not report an error: $(log_since 1 "$2" 0)"
	! log_has 1 "$2" 0 " error_report recovery=[0-9]+ err=" ||
		log_has 1 "$2" 0 " error_report recovery=[0-9]+ err=$AIS_OK\$" ||
		fail "$1: $2's saAmfComponentErrorReport did not return OK: $(log_since 1 "$2" 0)"
}

# report_failover SG X1 X2: X1's report led to a failover, not to a restart:
# X2 took over in place (TARGET_ALL), X1's component was told ACTIVE only
# once and never restarted.
report_failover() {
	local sg=$1 x1=$2 x2=$3 why=$4 n
	amf_wait 20 1 "su(\"$x2\").ha_state == \"active\" and su(\"$x1\").ha_state == \"standby\" and
		su(\"$x1\").presence == \"instantiated\"" \
		"$sg: failed over to $x2 ($why); $x1 back as STANDBY"
	report_ok "$sg" "${x1}c"
	wait_csi_set 5 1 "${x2}c" 0 "comp=$(dn "$x2" "$sg") ha=ACTIVE flags=TARGET_ALL csi= transition=NOT_QUIESCED " \
		"$sg: ${x2}c takes over"
	wait_csi_set 5 1 "${x1}c" 0 "comp=$(dn "$x1" "$sg") ha=STANDBY flags=ADD_ONE " \
		"$sg: ${x1}c answers STANDBY"
	n=$(log_count 1 "${x1}c" 0 ' csi_set .* ha=ACTIVE ')
	[ "$n" = 1 ] || fail "$sg: ${x1}c was told ACTIVE $n times: it was restarted in place before (or instead of) the failover"
	n=$(comp_field 1 "${x1}c" restarts)
	[ "$n" = 0 ] || fail "$sg: ${x1}c shows $n component restarts, want 0 (a failover, not a restart)"
	n=$(safd_log_count 1 "$(dn "$x1" "$sg"): escalating to a failover of its service unit")
	[ "$n" = 1 ] || check_later "$sg: safd.log does not log the failover of ${x1}c's SU"
	echo "failures: $sg: error report ($why) -> failover to $x2, $x1 back STANDBY, no restart"
}
report_failover report rp1 rp2 "recommended component-failover, configured component-restart"
log_has 1 rp1c 0 " error_report_begin recovery=3\$" || fail "report: rp1c did not recommend component-failover (3)"
report_failover report2 rq1 rq2 "recommended component-restart, configured component-failover"
log_has 1 rq1c 0 " error_report_begin recovery=2\$" || fail "report2: rq1c did not recommend component-restart (2)"

# report3: a report without recommendation applies the configured
# component restart: the same SU ACTIVE again, with a new process.
log_wait 20 1 rr1c 0 " error_report_begin recovery=1\$" "report3: rr1c reports"
report_ok report3 rr1c
amf_wait 10 1 'comp("rr1c").restarts == 1 and comp("rr1c").presence == "instantiated" and
	su("rr1").ha_state == "active" and su("rr2").ha_state == "standby"' \
	"report3: rr1c restarted in place, rr1 ACTIVE again, rr2 STANDBY"
mapfile -t starts < <(start_times rr1c)
[ "${#starts[@]}" = 2 ] || fail "report3: rr1c started ${#starts[@]} times, want 2"
m=$(log_count 1 rr1c 0 ' csi_set .* ha=ACTIVE flags=ADD_ONE ')
wait_until 5 _csi_set_answered 1 rr1c 0 ' ha=ACTIVE flags=ADD_ONE ' && [ "$m" -ge 2 ] ||
	fail "report3: the restarted rr1c was not told ACTIVE again: $(log_since 1 rr1c 0)"
[ "$(log_count 1 rr2c 0 ' csi_set .* ha=ACTIVE ')" = 0 ] ||
	fail "report3: rr2c was told ACTIVE: the report was taken for more than a component restart"
echo "failures: report3: error report without recommendation -> component restart (configured), rr1 ACTIVE again"

# Nothing escalated to the node: every well-behaved SU still runs.
amf_expect 1 '[.sgs[].sus[] | select(.name | test("^safSu=[a-z]+2,")) | select(.presence != "instantiated")] | length == 0' \
	"no failure escalated beyond its SU"
echo "failures: all cases done $(( $(harness_now_ms) - t0 )) ms after the cluster start began"
amf_done amf-failures
