#!/bin/bash
# amf-escalation.sh: the escalation ladder and its probation windows, on one
# node (amf-tests/amf-escalation.xml: 2N SGs with comp-restart-max=2 and
# su-restart-max=2, as the csa104 sample).
#
# The ladder, as safd.conf(5) defines it and as the csa104 walk-through
# (seed 000) shows it: "2 failures within 10 seconds will cause the fault to
# be elevated to the service unit level and a further 2 failures within 10
# seconds will elevate the failure to the service group level (and cause a
# fail over)". So, SIGKILLing the active component again and again within
# the windows:
#   kill 1: component restart; the same SU is ACTIVE again (a new process,
#           CSI set ACTIVE ADD_ONE NEW_ASSIGN), the standby is not touched;
#   kill 2: the 2nd component failure in the window: SU restart;
#   kill 3: component restart (the component count started over with the
#           SU restart);
#   kill 4: the 2nd SU restart in the window: SU failover: the standby
#           becomes ACTIVE in place (CSI set TARGET_ALL, NOT_QUIESCED, naming
#           the previous active), the failed SU is instantiated again and
#           becomes STANDBY.
# Then, with 6 s windows (SG prob): a failure after the component window
# is a plain component restart again, and an SU restart after the SU
# window is a plain SU restart again (not a failover).
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/amf-lib.sh"

amf_config amf-escalation.xml || fail "amf-escalation.xml does not check"
cluster_start 1 || fail "the node did not start"

# setup SG: A (the active SU) and B, their components AC and BC, the CSI.
setup() {
	local sg=$1
	amf_wait 15 1 "([su(\"${sg}1\", \"${sg}2\").ha_state] | sort) == [\"active\", \"standby\"]" \
		"$sg: one SU active, one standby"
	if [ "$(su_ha 1 "${sg}1")" = active ]; then A=${sg}1 B=${sg}2; else A=${sg}2 B=${sg}1; fi
	AC=${A}c BC=${B}c
	AC_DN=safComp=$AC,safSu=$A,safSg=$sg,safApp=$sg
	BC_DN=safComp=$BC,safSu=$B,safSg=$sg,safApp=$sg
	CSI=safCsi=$sg-csi,safSi=$sg-si,safApp=$sg
	wait_csi_set 10 1 "$AC" 0 "ha=ACTIVE flags=ADD_ONE csi=$CSI " "$sg: $AC active"
	wait_csi_set 10 1 "$BC" 0 "ha=STANDBY flags=ADD_ONE csi=$CSI " "$sg: $BC standby"
}

# kill_step LABEL EXPECT: SIGKILL the active component AC; wait for the
# recovery and check it was EXPECT (comp-restart, su-restart, failover).
# Sets KILLED_AT (ms).
kill_step() {
	local label=$1 expect=$2 pid bpid cr0 sr0 cr1 sr1 ma mb ms ms_line t
	cr0=$(comp_field 1 "$AC" restarts) sr0=$(su_field 1 "$A" restarts)
	bpid=$(comp_field 1 "$BC" pid)
	ma=$(log_mark 1 "$AC") mb=$(log_mark 1 "$BC")
	ms=$(wc -l <"$HARNESS_DIR/node1/safd.log")
	pid=$(kill_comp 1 "$AC") || fail "$label: cannot kill $AC"
	KILLED_AT=$(harness_now_ms)
	case $expect in
	comp-restart|su-restart)
		wait_csi_set 10 1 "$AC" "$ma" "comp=$AC_DN ha=ACTIVE flags=ADD_ONE csi=$CSI transition=NEW_ASSIGN " \
			"$label: $AC restarted and ACTIVE again"
		t=$(harness_now_ms)
		amf_wait 5 1 "su(\"$A\").ha_state == \"active\" and su(\"$B\").ha_state == \"standby\" and
			comp(\"$AC\").presence == \"instantiated\" and comp(\"$AC\").pid != $pid" \
			"$label: safctl shows $A active with a new process, $B standby"
		cr1=$(comp_field 1 "$AC" restarts) sr1=$(su_field 1 "$A" restarts)
		if [ "$expect" = comp-restart ]; then
			[ "$cr1" = $(( cr0 + 1 )) ] && [ "$sr1" = "$sr0" ] ||
				fail "$label: want a component restart: comp restarts $cr0 -> $cr1 (want +1), SU restarts $sr0 -> $sr1 (want +0)"
			ms_line="$AC_DN: restarting the component"
		else
			[ "$sr1" = $(( sr0 + 1 )) ] && [ "$cr1" = $(( cr0 + 1 )) ] ||
				fail "$label: want an SU restart: SU restarts $sr0 -> $sr1 (want +1), comp restarts $cr0 -> $cr1 (want +1)"
			ms_line="$AC_DN: escalating to a restart of its service unit"
		fi
		[ "$(comp_field 1 "$BC" pid)" = "$bpid" ] ||
			fail "$label: the standby's process changed ($bpid -> $(comp_field 1 "$BC" pid))"
		[ "$(log_count 1 "$BC" "$mb" ' csi_(set|remove) ')" = 0 ] ||
			fail "$label: the standby $BC got callbacks: $(log_since 1 "$BC" "$mb")"
		echo "escalation: $label: kill of $AC (pid $pid) -> $expect; $AC ACTIVE again after $(( t - KILLED_AT )) ms (comp restarts $cr1, SU restarts $sr1)"
		;;
	failover)
		wait_csi_set 10 1 "$BC" "$mb" "comp=$BC_DN ha=ACTIVE flags=TARGET_ALL csi= transition=NOT_QUIESCED " \
			"$label: the standby $BC takes over"
		t=$(harness_now_ms)
		wait_csi_set 10 1 "$AC" "$ma" "comp=$AC_DN ha=STANDBY flags=ADD_ONE csi=$CSI transition=- active_comp=$BC_DN " \
			"$label: the failed SU $A comes back STANDBY"
		amf_wait 5 1 "su(\"$B\").ha_state == \"active\" and su(\"$A\").ha_state == \"standby\" and
			comp(\"$AC\").presence == \"instantiated\" and comp(\"$AC\").pid != $pid" \
			"$label: safctl shows $B active, $A standby"
		sr1=$(su_field 1 "$A" restarts)
		[ "$sr1" = "$sr0" ] || fail "$label: SU restarts $sr0 -> $sr1, want no SU restart in a failover"
		[ "$(comp_field 1 "$BC" pid)" = "$bpid" ] ||
			fail "$label: the standby was not promoted in place: its pid changed ($bpid -> $(comp_field 1 "$BC" pid))"
		log_has 1 "$BC" "$mb" " ha_state csi=$CSI err=$AIS_OK ha=ACTIVE\$" ||
			check_later "$label: $BC's saAmfHAStateGet does not say ACTIVE after the takeover: $(log_since 1 "$BC" "$mb")"
		# SAI-AIS-AMF-B.04.01 (reference section 4.2): with NOT_QUIESCED,
		# activeCompName is the previous active component.
		log_has 1 "$BC" "$mb" " csi_set .*ha=ACTIVE flags=TARGET_ALL csi= transition=NOT_QUIESCED active_comp=$AC_DN " ||
			check_later "$label: the takeover's CSI set does not name the previous active $AC_DN as activeCompName: $(log_since 1 "$BC" "$mb" | grep csi_set)"
		ms_line="$AC_DN: escalating to a failover of its service unit"
		echo "escalation: $label: kill of $AC (pid $pid) -> failover; $BC ACTIVE after $(( t - KILLED_AT )) ms, $A back as STANDBY"
		;;
	esac
	tail -n "+$(( ms + 1 ))" "$HARNESS_DIR/node1/safd.log" | grep -qF -- "$ms_line" ||
		check_later "$label: safd.log does not say '$ms_line'"
}

# swap: after a failover, B is the active SU.
swap() {
	local s=$A sc=$AC sd=$AC_DN
	A=$B AC=$BC AC_DN=$BC_DN
	B=$s BC=$sc BC_DN=$sd
}

# ------------------------------------------------ the ladder (30 s windows)
setup esc
first=$(harness_now_ms)
kill_step "esc kill 1" comp-restart
kill_step "esc kill 2" su-restart
kill_step "esc kill 3" comp-restart
kill_step "esc kill 4" failover
span=$(( KILLED_AT - first ))
echo "escalation: the four kills took $span ms (window 30000 ms)"
[ "$span" -lt 29000 ] ||
	fail "the four kills took $span ms: too slow to stay inside the 30 s windows, the steps above prove nothing"
swap
amf_expect 1 "su(\"$B\").restarts == 1 and comp(\"$BC\").restarts == 3 and su(\"$A\").restarts == 0" \
	"esc: the failed-over SU keeps its counts (1 SU restart, 3 component restarts), the new active has none"

# ------------------------------------------- probation reset (6 s windows)
setup prob
P=6000
kill_step "prob kill 1" comp-restart
t1=$KILLED_AT
wait_past $(( t1 + P + 500 ))
# The 2nd failure, but outside the component window: counted as the 1st.
kill_step "prob kill 2 (after the component window)" comp-restart
t2=$KILLED_AT
[ $(( $(harness_now_ms) - t2 )) -lt $(( P - 500 )) ] ||
	fail "prob: the restart after kill 2 took too long to kill again inside the 6 s window"
kill_step "prob kill 3 (inside the window)" su-restart
t3=$KILLED_AT
wait_past $(( t3 + P + 500 ))
kill_step "prob kill 4 (after both windows)" comp-restart
t4=$KILLED_AT
[ $(( $(harness_now_ms) - t4 )) -lt $(( P - 500 )) ] ||
	fail "prob: the restart after kill 4 took too long to kill again inside the 6 s window"
# The 2nd SU restart, but outside the SU window: a plain SU restart.
kill_step "prob kill 5 (2nd SU restart, after the SU window)" su-restart
amf_expect 1 "su(\"$A\").restarts == 2 and comp(\"$AC\").restarts == 5" \
	"prob: two SU restarts and five component restarts, no failover"

amf_done amf-escalation
