#!/bin/bash
# amf-readiness.sh: the HA readiness state and correlation ids (B.04), one
# node (amf-tests/amf-readiness.xml: a 2N SG of SUs r1 and r2).
#   The first component told ACTIVE answers, then declares itself not ready
#   for ACTIVE (saAmfHAReadinessStateSet): AMF quiesces it, the standby
#   becomes ACTIVE (transition QUIESCED), and the first one becomes the
#   STANDBY (ready for that); an si-swap that would make it ACTIVE is
#   refused with the reason, and nothing changes.
#   saAmfCorrelationIdsGet in a CSI set callback: OK with every id unused
#   (0); for an invocation that is not waiting: SA_AIS_ERR_INVALID_PARAM.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/amf-lib.sh"

AIS_ERR_INVALID_PARAM=7
NOT_READY_FOR_ACTIVE=3

amf_config amf-readiness.xml || fail "amf-readiness.xml does not check"
cluster_start 1 || fail "the node did not start"

comp_hars() { log_has 1 "$1" 0 " hars state=$NOT_READY_FOR_ACTIVE err=$AIS_OK\$"; }
first_hars() { comp_hars r1c || comp_hars r2c; }
wait_until 30 first_hars || fail "no component declared its HA readiness: $(log_since 1 r1c 0 | tail -5) / $(log_since 1 r2c 0 | tail -5)"
if comp_hars r1c; then A=r1 B=r2; else A=r2 B=r1; fi
comp_hars "${B}c" && fail "both components declared their HA readiness (the marker failed)"
harness_log "${A}c was ACTIVE first and declared itself not ready for ACTIVE"

amf_wait 10 1 "su(\"$B\").ha_state == \"active\" and su(\"$A\").ha_state == \"standby\"" \
	"$B ACTIVE, $A (not ready for ACTIVE) STANDBY"
wait_csi_set 10 1 "${A}c" 0 "ha=QUIESCED" "$A quiesced first"
# B was the STANDBY (transition QUIESCED, naming A), or, when A declared
# itself before B had been told STANDBY, it is assigned ACTIVE afresh.
wait_csi_set 10 1 "${B}c" 0 "ha=ACTIVE " "$B takes over"
tq=$(log_time 1 "${A}c" 0 " csi_set .*ha=QUIESCED ") ta=$(log_time 1 "${B}c" 0 " csi_set .*ha=ACTIVE ")
[ -n "$tq" ] && [ -n "$ta" ] && [ "$tq" -le "$ta" ] ||
	fail "$B was told ACTIVE ($ta) before $A was told QUIESCED ($tq)"
wait_csi_set 10 1 "${A}c" 0 "ha=STANDBY" "$A becomes the STANDBY"
[ "$(safd_log_count 1 "safComp=${A}c,[^ ]*: HA readiness 3 for all its CSIs")" = 1 ] ||
	fail "safd.log does not show ${A}c's HA readiness"

# It stays so: an si-swap, which would make A ACTIVE, is refused.
out=$(node_exec 1 timeout 60 "$SAFCTL" amf si-swap safSi=rdy-si 2>&1) &&
	fail "si-swap to a standby not ready for ACTIVE succeeded: $out"
grep -q "SA_AIS_ERR_BAD_OPERATION: .*not ready to be active" <<<"$out" ||
	fail "si-swap refused without the reason: $out"
amf_expect 1 "su(\"$B\").ha_state == \"active\" and su(\"$A\").ha_state == \"standby\"" \
	"after the refused si-swap: nothing changed"

# Correlation ids
n=$(log_count 1 "${A}c" 0 " correlation invocation=[0-9]+ err=$AIS_OK ids=0,0,0\$")
[ "$n" -ge 1 ] || fail "saAmfCorrelationIdsGet in a CSI set callback: $(log_since 1 "${A}c" 0 | grep correlation | head -3)"
n=$(log_count 1 "${A}c" 0 " correlation_unknown err=$AIS_ERR_INVALID_PARAM\$")
[ "$n" -ge 1 ] || fail "saAmfCorrelationIdsGet of an unknown invocation: $(log_since 1 "${A}c" 0 | grep correlation_unknown | head -3)"
echo "readiness: not-ready-for-active -> switchover to $B, $A STANDBY; correlation ids unused (0), unknown invocation INVALID_PARAM"
amf_done amf-readiness
