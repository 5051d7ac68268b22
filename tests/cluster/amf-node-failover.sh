#!/bin/bash
# amf-node-failover.sh: a 2N SG with one SU on node 1 and one on node 2
# (amf-tests/amf-node-failover.xml; node 3 runs nothing and keeps the
# majority when a node dies).
#   - The node of the ACTIVE SU is killed (every process at once): the SU
#     of the other node becomes ACTIVE (CSI set TARGET_ALL, NOT_QUIESCED,
#     answered), within token + consensus + 2 s of the kill. The failover
#     time is measured from the kill to the CSI set in the new active's log
#     (and to safctl showing it) and printed.
#   - The dead node's SU is shown uninstantiated and unassigned, its node
#     not a member.
#   - N-Way, one SU per node: every SI that was ACTIVE on the dead node's
#     SU is ACTIVE on its former STANDBY (NOT_QUIESCED), every SI has an
#     ACTIVE and, once the node is back, a STANDBY again.
#   - The node comes back: its SU is instantiated again and becomes
#     STANDBY (CSI set ADD_ONE naming the active component); the active is
#     not disturbed. Every node shows the same AMF state.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/amf-lib.sh"

amf_config amf-node-failover.xml || fail "amf-node-failover.xml does not check"
cluster_start 3 || fail "the cluster did not start"

CSI=safCsi=nf-csi,safSi=nf-si,safApp=nf
amf_wait 20 1 '([su("nf1", "nf2").ha_state] | sort) == ["active", "standby"] and
	su("nf1").nodeid == 1 and su("nf2").nodeid == 2' \
	"one SU active, one standby, on nodes 1 and 2"
if [ "$(su_ha 1 nf1)" = active ]; then
	A=nf1 AN=1 B=nf2 BN=2
else
	A=nf2 AN=2 B=nf1 BN=1
fi
AC=${A}c BC=${B}c
AC_DN=safComp=$AC,safSu=$A,safSg=nf,safApp=nf
BC_DN=safComp=$BC,safSu=$B,safSg=nf,safApp=nf
# Each node runs its own SU's component and logs it in its own directory.
wait_csi_set 10 "$AN" "$AC" 0 "comp=$AC_DN ha=ACTIVE flags=ADD_ONE csi=$CSI " "$AC ACTIVE on node $AN"
wait_csi_set 10 "$BN" "$BC" 0 "comp=$BC_DN ha=STANDBY flags=ADD_ONE csi=$CSI .*active_comp=$AC_DN " \
	"$BC STANDBY on node $BN"
bpid=$(comp_field "$BN" "$BC" pid)
node_exec "$BN" kill -0 "$bpid" || fail "$BC's pid $bpid does not run on node $BN"
[ ! -s "$(comp_log "$AN" "$BC")" ] || fail "$BC also ran on node $AN"

# N-Way: wait until every SI has its ACTIVE and STANDBY, and remember them.
NW_DEFS='def role($c; $h): [csi($c).assignments[] | select(.ha_state == $h) |
	.su | capture("^safSu=(?<n>[^,]*)").n] | join(" ");'
nw_complete() {
	local c
	for c in nw-1-csi nw-2-csi nw-3-csi; do
		amf_true "$1" "$NW_DEFS"' role($c; "active") != "" and role($c; "standby") != "" and
			(role($c; "active") | test(" ") | not) and (role($c; "standby") | test(" ") | not)' \
			--arg c "$c" || return 1
	done
}
wait_until 20 nw_complete "$BN" || fail "N-Way: the SIs did not all get an ACTIVE and a STANDBY: $(amf_status "$BN")"
declare -A NW_ACTIVE NW_STANDBY
for c in nw-1-csi nw-2-csi nw-3-csi; do
	NW_ACTIVE[$c]=$(amf_jq "$BN" "$NW_DEFS"' role($c; "active")' --arg c "$c")
	NW_STANDBY[$c]=$(amf_jq "$BN" "$NW_DEFS"' role($c; "standby")' --arg c "$c")
done
harness_log "N-Way before: $(for c in nw-1-csi nw-2-csi nw-3-csi; do echo -n "$c ${NW_ACTIVE[$c]}/${NW_STANDBY[$c]} "; done)"

token=$(node_exec "$BN" corosync-cmapctl -g runtime.config.totem.token | awk '{print $NF}')
consensus=$(node_exec "$BN" corosync-cmapctl -g runtime.config.totem.consensus | awk '{print $NF}')
[ -n "$token" ] && [ -n "$consensus" ] || fail "cannot read corosync's token/consensus"
bound=$(( token + consensus + 2000 ))

# ------------------------------------------------------------ kill node AN
_took_over() {
	amf_true "$BN" "su(\"$B\").ha_state == \"active\""
}
mb=$(log_mark "$BN" "$BC")
t0=$(harness_now_ms)
node_kill "$AN" || fail "cannot kill node $AN"
wait_until 15 _took_over || fail "node $BN: $B not ACTIVE 15 s after node $AN died: $(amf_status "$BN")"
t_status=$(harness_now_ms)
wait_csi_set 5 "$BN" "$BC" "$mb" "comp=$BC_DN ha=ACTIVE flags=TARGET_ALL csi= transition=NOT_QUIESCED " \
	"$BC takes over on node $BN"
t_log=$(log_time "$BN" "$BC" "$mb" ' csi_set .* ha=ACTIVE flags=TARGET_ALL ')
failover=$(( t_log - t0 ))
echo "node-failover: node $AN killed; $BC on node $BN got its CSI set ACTIVE after $failover ms," \
	"safctl showed $B active after $(( t_status - t0 )) ms (bound $bound ms = token $token + consensus $consensus + 2000)"
[ "$failover" -lt "$bound" ] || fail "failover took $failover ms, bound $bound ms"
log_has "$BN" "$BC" "$mb" " ha_state csi=$CSI err=$AIS_OK ha=ACTIVE\$" ||
	check_later "$BC's saAmfHAStateGet does not say ACTIVE after the takeover"
# With NOT_QUIESCED, activeCompName is the previous active component
# (SAI-AIS-AMF-B.04.01; reference section 4.2).
log_has "$BN" "$BC" "$mb" " csi_set .* transition=NOT_QUIESCED active_comp=$AC_DN " ||
	check_later "the takeover's CSI set does not name the previous active $AC_DN: $(log_since "$BN" "$BC" "$mb" | grep csi_set)"
[ "$(comp_field "$BN" "$BC" pid)" = "$bpid" ] || fail "$BC was restarted instead of promoted in place"
amf_wait 5 "$BN" "node($AN).member == false and su(\"$A\").ha_state == null and
	su(\"$A\").presence == \"uninstantiated\" and su(\"$A\").readiness == \"out-of-service\" and
	(csi(\"nf-csi\").assignments | length) == 1" \
	"node $BN shows node $AN gone and $A uninstantiated, unassigned"
amf_true "$BN" "comp(\"$AC\").pid == 0" ||
	check_later "$AC (on the dead node) still shows pid $(comp_field "$BN" "$AC" pid)"

# N-Way: the dead node's SU is x$AN; its ACTIVEs went to their STANDBYs.
for c in nw-1-csi nw-2-csi nw-3-csi; do
	want=${NW_ACTIVE[$c]}
	[ "$want" = "x$AN" ] && want=${NW_STANDBY[$c]}
	wait_until 10 amf_true "$BN" "$NW_DEFS"' role($c; "active") == $w and
		(role($c; "standby") | contains($d) | not)' --arg c "$c" --arg w "$want" --arg d "x$AN" ||
		fail "N-Way: $c is not ACTIVE on $want alone, without x$AN, after node $AN died: $(amf_status "$BN")"
	if [ "${NW_ACTIVE[$c]}" = "x$AN" ]; then
		# TARGET_ALL when everything the component holds is ACTIVE now
		wait_csi_set 5 "${want#x}" "${want}c" 0 "ha=ACTIVE flags=TARGET_(ONE|ALL) csi=(safCsi=$c,safSi=${c%-csi},safApp=nw)? transition=NOT_QUIESCED " \
			"N-Way: ${want}c on node ${want#x} takes $c over"
	fi
done
echo "node-failover: N-Way: the SIs ACTIVE on node $AN went to their standbys"

# ------------------------------------------------------ node AN comes back
ma=$(log_mark "$AN" "$AC")
mb=$(log_mark "$BN" "$BC")
t0=$(harness_now_ms)
node_start "$AN" || fail "node $AN did not come back"
wait_csi_set 15 "$AN" "$AC" "$ma" "comp=$AC_DN ha=STANDBY flags=ADD_ONE csi=$CSI transition=- active_comp=$BC_DN " \
	"$AC instantiated again on node $AN and STANDBY"
echo "node-failover: node $AN back; $AC STANDBY $(( $(harness_now_ms) - t0 )) ms after node_start began"
amf_wait 5 "$AN" "su(\"$A\").ha_state == \"standby\" and su(\"$A\").presence == \"instantiated\" and
	su(\"$B\").ha_state == \"active\" and node($AN).member == true" \
	"node $AN shows $A standby, $B active"
[ "$(comp_field "$BN" "$BC" pid)" = "$bpid" ] || fail "$BC was restarted when node $AN came back"
[ "$(log_count "$BN" "$BC" "$mb" ' csi_(set|remove) ')" = 0 ] ||
	fail "the active $BC got callbacks when node $AN came back: $(log_since "$BN" "$BC" "$mb")"

wait_until 15 nw_complete "$AN" || fail "N-Way: not every SI has an ACTIVE and a STANDBY after node $AN came back: $(amf_status "$AN")"

# Every node holds the same AMF state.
s1=$(amf_status 1) && s2=$(amf_status 2) && s3=$(amf_status 3) || fail "safctl amf status failed"
[ "$s1" = "$s2" ] && [ "$s2" = "$s3" ] ||
	fail "the nodes disagree: node 1: $s1; node 2: $s2; node 3: $s3"
echo "node-failover: the three nodes show the same AMF state"
amf_done amf-node-failover
