#!/bin/bash
# amf-health.sh: health checks and passive monitoring (amf/health.c) on one
# node (amf-tests/amf-health.xml: one SG per case, all at once; the faulty
# components fail in their first process only).
#   pr  the probe: every error of saAmfHealthcheckStart/Confirm/Stop and
#       saAmfPmStart/PmStop that a component can cause (unknown key or
#       component, a component of another node, twice, not started, another
#       handle's check, no health-check callback, a zombie or gone pid).
#   ao  AMF-invoked check answered OK: a callback every period (500 ms),
#       the first a period after the start; never recovered.
#   as  AMF-invoked check not answered from the 4th callback on: restarted
#       max-duration (1 s) after that callback; the new process answers.
#   co  component-invoked check confirmed every 200 ms: never recovered.
#   cm  component-invoked check, no confirmation after the 3rd: restarted a
#       period (500 ms) after the last one.
#   cf  confirmation with FAILED_OPERATION recommending component-failover
#       (configured: component-restart): the SU fails over at once, the
#       component is not restarted in place.
#   pk  a monitored child SIGKILLed: restarted at once.
#   pg  a grandchild monitored through depth -1 exits 1 (monitored for
#       NON_ZERO_EXIT, recommending component-failover): failover.
#   pz  a child monitored for NON_ZERO_EXIT and ABNORMAL_END exits 0:
#       nothing (its status is read although safd is not its parent).
#   ps  PmStop (PROC), then the child is killed: nothing.
#   pd  PmStop (PROC_AND_DESCENDENTS) of the child, then the monitored
#       grandchild is killed: nothing.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/amf-lib.sh"

AIS_ERR_INIT=4
AIS_ERR_INVALID_PARAM=7
AIS_ERR_NOT_EXIST=12
AIS_ERR_FAILED_OPERATION=21

amf_config amf-health.xml || fail "amf-health.xml does not check"
t0=$(harness_now_ms)
cluster_start 1 || fail "the node did not start"

dn() { echo "safComp=${1}c,safSu=$1,safSg=$2,safApp=$2"; }

# times C REGEX: the t= of every line of component C's log matching REGEX.
times_of() {
	log_since 1 "$1" 0 | grep -E -- "$2" | sed -n 's/^t=\([0-9]*\) .*/\1/p'
}
start_times() { times_of "$1" ' start comp='; }

# gaps_within NAME LO HI T...: every gap between consecutive times is in
# [LO, HI] ms; prints the mean gap.
gaps_within() {
	local name=$1 lo=$2 hi=$3 k gap
	shift 3
	local t=("$@")
	[ "${#t[@]}" -ge 2 ] || fail "$name: fewer than 2 events"
	for (( k = 1; k < ${#t[@]}; k++ )); do
		gap=$(( t[k] - t[k - 1] ))
		[ "$gap" -ge "$lo" ] && [ "$gap" -le "$hi" ] ||
			fail "$name: events $k and $(( k + 1 )) are $gap ms apart, want $lo..$hi ms (times: ${t[*]})"
	done
	echo $(( (t[${#t[@]} - 1] - t[0]) / (${#t[@]} - 1) ))
}

# between NAME VALUE LO HI: LO <= VALUE < HI (ms), else fail.
between() {
	[ -n "$2" ] && [ "$2" -ge "$3" ] && [ "$2" -lt "$4" ] ||
		fail "$1: ${2:-nothing} ms, want $3..$4 ms"
}

# -------------------------------------------------------------- the probe
log_wait 20 1 pr1c 0 " hc_probe case=done " "probe: pr1c ran its cases"
probe_expect() {
	local line
	line=$(log_since 1 pr1c 0 | grep -E -m1 -- " hc_probe case=$1 err=")
	if [ -z "$line" ]; then
		check_later "probe: case $1 did not run"
	elif [ "${line##* err=}" != "$2" ]; then
		check_later "probe: $1 answered ${line##* err=}, want $2 ($3)"
	fi
}
probe_expect start_unknown_key "$AIS_ERR_NOT_EXIST" "key not configured"
probe_expect start_unknown_comp "$AIS_ERR_NOT_EXIST" "component not configured"
probe_expect start_remote_comp "$AIS_ERR_NOT_EXIST" "component of another node"
probe_expect pm_start_remote_comp "$AIS_ERR_NOT_EXIST" "component of another node"
probe_expect confirm_not_started "$AIS_ERR_NOT_EXIST" "confirm of a check not started"
probe_expect stop_not_started "$AIS_ERR_NOT_EXIST" "stop of a check not started"
probe_expect start "$AIS_OK" "a configured key"
probe_expect start_twice "$AIS_ERR_EXIST" "the same key twice on one handle"
probe_expect start_twice_amf "$AIS_ERR_EXIST" "the same key again, other invocation type"
probe_expect confirm "$AIS_OK" "confirm of the started check"
probe_expect initialize_2 "$AIS_OK" "a second handle"
probe_expect other_handle_confirm "$AIS_ERR_INVALID_PARAM" "confirm of another handle's check"
probe_expect other_handle_stop "$AIS_ERR_INVALID_PARAM" "stop of another handle's check"
probe_expect other_handle_start_amf_no_callback "$AIS_ERR_INIT" "AMF-invoked without the callback"
probe_expect other_handle_start "$AIS_OK" "the same key from another handle"
probe_expect other_handle_own_stop "$AIS_OK" "that handle stops its own"
probe_expect stop "$AIS_OK" "stop"
probe_expect confirm_after_stop "$AIS_ERR_NOT_EXIST" "confirm after the stop"
probe_expect stop_after_stop "$AIS_ERR_NOT_EXIST" "stop after the stop"
probe_expect pm_start_unknown_comp "$AIS_ERR_NOT_EXIST" "PmStart of an unknown component"
probe_expect pm_start_zombie "$AIS_ERR_NOT_EXIST" "PmStart of a process that has ended (zombie)"
probe_expect pm_start_gone "$AIS_ERR_NOT_EXIST" "PmStart of a pid that does not exist"
probe_expect pm_stop_not_started "$AIS_ERR_NOT_EXIST" "PmStop of a process not monitored"
probe_expect pm_stop_all_none "$AIS_ERR_NOT_EXIST" "PmStop ALL_PROCESSES, none monitored"
probe_expect pm_start_self "$AIS_OK" "PmStart of itself (B.01 call)"
probe_expect pm_stop_other_error "$AIS_ERR_NOT_EXIST" "PmStop for an error not monitored"
probe_expect pm_stop_self "$AIS_OK" "PmStop of itself"
probe_expect pm_stop_self_again "$AIS_ERR_NOT_EXIST" "PmStop once more"
echo "health: probe: $(log_count 1 pr1c 0 ' hc_probe case=') calls answered as the standard says"

# ------------------------------------------------- ao: AMF-invoked, healthy
log_wait 20 1 ao1c 0 " hc_start type=amf key=hc .* err=$AIS_OK\$" "ao: ao1c started its check"
wait_until 15 eval '[ "$(log_count 1 ao1c 0 " healthcheck invocation=")" -ge 8 ]' ||
	fail "ao: fewer than 8 callbacks: $(log_since 1 ao1c 0 | tail -n 20)"
tstart=$(log_time 1 ao1c 0 ' hc_start ')
mapfile -t cb < <(times_of ao1c ' healthcheck invocation=')
between "ao: first callback after the start" $(( cb[0] - tstart )) 400 1000
mean=$(gaps_within "ao: callbacks" 300 800 "${cb[@]}")
between "ao: mean period of ${#cb[@]} callbacks" "$mean" 450 600
log_has 1 ao1c 0 " healthcheck invocation=[0-9]+ comp=$(dn ao1 ao) key_len=2 key=hc\$" ||
	fail "ao: the callback did not name the component and the key: $(log_since 1 ao1c 0 | grep -m1 healthcheck)"
# every callback answered, and safd took each answer (err=OK)
while read -r inv; do
	log_has 1 ao1c 0 " response invocation=$inv error=$AIS_OK err=$AIS_OK\$" ||
		fail "ao: the answer to callback $inv was not accepted: $(log_since 1 ao1c 0 | grep -E "invocation=$inv ")"
done < <(log_since 1 ao1c 0 | sed -n 's/.* healthcheck invocation=\([0-9]*\) .*/\1/p' | head -n 8)
echo "health: ao: ${#cb[@]} callbacks, first $(( cb[0] - tstart )) ms after the start, every $mean ms (period 500 ms), all answered"

# ------------------------------------------- as: AMF-invoked, not answered
amf_wait 20 1 'comp("as1c").restarts == 1 and comp("as1c").presence == "instantiated"' \
	"as: as1c restarted after its unanswered callback"
tna=$(log_time 1 as1c 0 ' hc_no_answer ')
mapfile -t starts < <(start_times as1c)
[ "${#starts[@]}" -ge 2 ] || fail "as: as1c was not restarted: $(log_since 1 as1c 0 | tail -n 20)"
between "as: restart after the unanswered callback (max-duration 1000 ms)" \
	$(( starts[1] - tna )) 950 2500
[ "$(safd_log_count 1 "$(dn as1 as): healthcheck hc failed: the callback was not answered within its max-duration; error report")" = 1 ] ||
	fail "as: safd.log does not report the unanswered callback once"
mark=$(log_since 1 as1c 0 | grep -n ' start comp=' | sed -n '2s/:.*//p')
log_wait 10 1 as1c "$mark" " response invocation=[0-9]+ error=$AIS_OK err=$AIS_OK\$" \
	"as: the new process answers its callbacks"
echo "health: as: no answer to callback 4 -> restarted $(( starts[1] - tna )) ms later (max-duration 1000 ms); the new process answers"

# ------------------------------------------ co: component-invoked, healthy
wait_until 15 eval '[ "$(log_count 1 co1c 0 " hc_confirm n=[0-9]+ result=$AIS_OK err=$AIS_OK\$")" -ge 15 ]' ||
	fail "co: fewer than 15 accepted confirmations: $(log_since 1 co1c 0 | tail -n 20)"
log_has 1 co1c 0 " hc_confirm .* err=[^1]" && fail "co: a confirmation was refused: $(log_since 1 co1c 0 | grep -m1 -E ' hc_confirm .* err=[^1]')"
echo "health: co: $(log_count 1 co1c 0 ' hc_confirm ') confirmations every 200 ms, all accepted"

# ------------------------------------- cm: component-invoked, not confirmed
amf_wait 20 1 'comp("cm1c").restarts == 1 and comp("cm1c").presence == "instantiated"' \
	"cm: cm1c restarted after missing its confirmation"
tlast=$(log_time 1 cm1c 0 " hc_confirm n=3 result=$AIS_OK err=$AIS_OK\$")
mapfile -t starts < <(start_times cm1c)
between "cm: restart after the last confirmation (period 500 ms)" $(( starts[1] - tlast )) 450 2000
[ "$(safd_log_count 1 "$(dn cm1 cm): healthcheck hc failed: no confirmation within its period")" = 1 ] ||
	fail "cm: safd.log does not report the missed confirmation once"
echo "health: cm: last confirmation, then restarted $(( starts[1] - tlast )) ms later (period 500 ms)"

# failover_case SG X1 X2 WHAT: X1's failure recommended component-failover:
# X2 took over, X1 back STANDBY, never restarted in place nor told ACTIVE
# again.
failover_case() {
	local sg=$1 x1=$2 x2=$3 what=$4 n
	amf_wait 20 1 "su(\"$x2\").ha_state == \"active\" and su(\"$x1\").ha_state == \"standby\" and
		su(\"$x1\").presence == \"instantiated\"" \
		"$sg: failed over to $x2 after ${x1}c's $what; $x1 back as STANDBY"
	wait_csi_set 5 1 "${x2}c" 0 "comp=$(dn "$x2" "$sg") ha=ACTIVE flags=TARGET_ALL csi= transition=NOT_QUIESCED " \
		"$sg: ${x2}c takes over"
	wait_csi_set 5 1 "${x1}c" 0 "comp=$(dn "$x1" "$sg") ha=STANDBY flags=ADD_ONE " \
		"$sg: ${x1}c answers STANDBY"
	n=$(log_count 1 "${x1}c" 0 ' csi_set .* ha=ACTIVE ')
	[ "$n" = 1 ] || fail "$sg: ${x1}c was told ACTIVE $n times: restarted in place before (or instead of) the failover"
	n=$(comp_field 1 "${x1}c" restarts)
	[ "$n" = 0 ] || fail "$sg: ${x1}c shows $n component restarts, want 0 (a failover, not a restart)"
	n=$(safd_log_count 1 "$(dn "$x1" "$sg"): escalating to a failover of its service unit")
	[ "$n" = 1 ] || fail "$sg: safd.log shows $n failovers of ${x1}c's SU, want 1"
}

# ------------------------------- cf: FAILED_OPERATION, component-failover
failover_case cf cf1 cf2 "FAILED_OPERATION confirmation"
log_has 1 cf1c 0 " hc_start type=component key=hc recovery=3 faulty=1 err=$AIS_OK\$" ||
	fail "cf: cf1c did not start its check recommending component-failover"
! log_has 1 cf1c 0 " hc_confirm n=[0-9]+ result=$AIS_ERR_FAILED_OPERATION err=" ||
	log_has 1 cf1c 0 " hc_confirm n=11 result=$AIS_ERR_FAILED_OPERATION err=$AIS_OK\$" ||
	fail "cf: the FAILED_OPERATION confirmation was not the 11th, or was refused: $(log_since 1 cf1c 0 | grep -m3 hc_confirm)"
[ "$(safd_log_count 1 "$(dn cf1 cf): healthcheck hc failed: confirmed with SA_AIS_ERR_FAILED_OPERATION; error report, recommended recovery component-failover")" = 1 ] ||
	fail "cf: safd.log does not report the FAILED_OPERATION confirmation once"
# The failed confirmation is the one after the 10th, 200 ms later.
tfail=$(( $(log_time 1 cf1c 0 " hc_confirm n=10 result=$AIS_OK ") + 200 ))
ttake=$(log_time 1 cf2c 0 ' csi_set .* ha=ACTIVE flags=TARGET_ALL ')
between "cf: cf2c told ACTIVE after cf1c's failed confirmation" $(( ttake - tfail )) -100 1500
echo "health: cf: FAILED_OPERATION confirmation (recommending component-failover) -> cf2 ACTIVE about $(( ttake - tfail )) ms later, cf1 STANDBY, no restart"

# --------------------------------------------------- pk: monitored child killed
amf_wait 20 1 'comp("pk1c").restarts == 1 and comp("pk1c").presence == "instantiated"' \
	"pk: pk1c restarted after its monitored child was killed"
log_has 1 pk1c 0 " pm_start pid=[0-9]+ depth=0 errors=7 recovery=1 faulty=1 err=$AIS_OK\$" ||
	fail "pk: pk1c's saAmfPmStart_3 failed: $(log_since 1 pk1c 0 | grep -m1 pm_start)"
child=$(log_since 1 pk1c 0 | sed -n 's/.* pm_end pid=\([0-9]*\) how=kill$/\1/p' | head -n 1)
tend=$(log_time 1 pk1c 0 ' pm_end ')
mapfile -t starts < <(start_times pk1c)
between "pk: restart after the child was killed" $(( starts[1] - tend )) 0 1500
[ "$(safd_log_count 1 "$(dn pk1 pk): monitored pid $child was killed by signal 9 \(SA_AMF_PM_ABNORMAL_END\); error report")" = 1 ] ||
	fail "pk: safd.log does not report the death of pid $child once"
echo "health: pk: monitored child (pid $child) SIGKILLed -> restarted $(( starts[1] - tend )) ms later"

# ---------------------------------- pg: grandchild exits 1, component-failover
failover_case pg pg1 pg2 "monitored grandchild's exit 1"
gchild=$(log_since 1 pg1c 0 | sed -n 's/.* pm_end pid=\([0-9]*\) how=exit1$/\1/p' | head -n 1)
[ -n "$gchild" ] || fail "pg: pg1c did not end its grandchild: $(log_since 1 pg1c 0 | tail -n 20)"
# (its restarted process monitors its own again: 2 lines)
[ "$(safd_log_count 1 "$(dn pg1 pg): pid [0-9]+ monitored with depth -1 \(2 processes\)")" -ge 1 ] ||
	fail "pg: safd did not monitor pg1c's child and grandchild"
[ "$(safd_log_count 1 "$(dn pg1 pg): monitored pid $gchild exited with status 1 \(SA_AMF_PM_NON_ZERO_EXIT\); error report, recommended recovery component-failover")" = 1 ] ||
	fail "pg: safd.log does not report the exit 1 of the grandchild $gchild"
tend=$(log_time 1 pg1c 0 ' pm_end ')
ttake=$(log_time 1 pg2c 0 ' csi_set .* ha=ACTIVE flags=TARGET_ALL ')
between "pg: pg2c told ACTIVE after the grandchild's exit" $(( ttake - tend )) 0 1500
echo "health: pg: monitored grandchild (pid $gchild, not safd's child) exited 1 -> pg2 ACTIVE $(( ttake - tend )) ms later, pg1 STANDBY, no restart"

# quiet_case C WHAT SAFD_REGEX: C ended a process it had monitored, and
# nothing happened: no report, the same process 2 s later, no restart.
# SAFD_REGEX: what safd.log must say (empty: nothing about the component).
quiet_case() {
	local c=$1 what=$2 re=$3 tend pid n
	log_wait 20 1 "$c" 0 " pm_end pid=" "$what: $c ended its process"
	tend=$(log_time 1 "$c" 0 ' pm_end ')
	pid=$(comp_field 1 "$c" pid)
	if [ -n "$re" ]; then
		wait_until 5 eval '[ "$(safd_log_count 1 "$re")" -ge 1 ]' ||
			fail "$what: safd.log does not say '$re'"
	fi
	wait_past $(( tend + 2000 ))
	n=$(safd_log_count 1 "${c}[^ ]*: (monitored pid [0-9]+ .*error report|failed \()")
	[ "$n" = 0 ] || fail "$what: safd reported an error of $c"
	amf_expect 1 "comp(\"$c\") | .restarts == 0 and .presence == \"instantiated\" and .pid == $pid" \
		"$what: $c left alone"
	[ "$(start_times "$c" | wc -l)" = 1 ] || fail "$what: $c was started more than once"
}

# ------------------------------------------------ pz: exit 0, not watched
quiet_case pz1c "pz" "$(dn pz1 pz): monitored pid [0-9]+ exited with status 0, not an error it is watched for"
echo "health: pz: monitored child (not safd's) exited 0, watched for NON_ZERO_EXIT|ABNORMAL_END -> nothing"

# ---------------------------------------------------- ps, pd: PmStop first
log_wait 20 1 ps1c 0 " pm_stop qualifier=proc pid=[0-9]+ err=$AIS_OK\$" "ps: PmStop PROC"
quiet_case ps1c "ps" ""
log_wait 5 1 ps1c 0 " pm_child_exit pid=[0-9]+ status=-1 signal=9\$" "ps: the child was really killed"
echo "health: ps: PmStop (PROC), then the child SIGKILLed -> nothing"
log_wait 20 1 pd1c 0 " pm_stop qualifier=descendants pid=[0-9]+ err=$AIS_OK\$" "pd: PmStop PROC_AND_DESCENDENTS"
[ "$(safd_log_count 1 "$(dn pd1 pd): pid [0-9]+ monitored with depth -1 \(2 processes\)")" = 1 ] ||
	fail "pd: safd did not monitor pd1c's child and grandchild"
quiet_case pd1c "pd" "$(dn pd1 pd): monitoring of 2 processes stopped"
echo "health: pd: PmStop (PROC_AND_DESCENDENTS), then the grandchild SIGKILLed -> nothing"

# ---------------------------------------------------------- in the end
# The healthy and the recovered components are still as they were: no
# check failed since (each check runs on), nothing escalated.
amf_expect 1 'comp("ao1c").restarts == 0 and comp("co1c").restarts == 0 and
	comp("as1c").restarts == 1 and comp("cm1c").restarts == 1 and
	comp("pk1c").restarts == 1 and comp("pr1c").restarts == 0' \
	"the healthy components were never recovered, the faulty ones once"
n=$(safd_log_count 1 'healthcheck [a-z0-9]+ failed')
[ "$n" = 3 ] || fail "safd.log shows $n failed health checks, want 3 (as, cm, cf): $(grep -E 'healthcheck [a-z0-9]+ failed' "$HARNESS_DIR/node1/safd.log")"
# ao1c's callbacks kept their rhythm through the whole test.
elapsed=$(( $(harness_now_ms) - tstart ))
n=$(log_count 1 ao1c 0 ' healthcheck invocation=')
[ "$n" -ge $(( elapsed / 500 - 2 )) ] && [ "$n" -le $(( elapsed / 500 + 1 )) ] ||
	fail "ao: $n callbacks in $elapsed ms, want about one per 500 ms"
echo "health: ao1c got $n callbacks in $elapsed ms; all cases done $(( $(harness_now_ms) - t0 )) ms after the cluster start began"
amf_done amf-health
