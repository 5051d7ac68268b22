#!/bin/bash
# amf-lifecycle.sh: the component life cycle and assignments on one node
# (amf-tests/amf-lifecycle.xml).
#   - A 2N SG of two amf_comp SUs: AMF starts each component once with
#     SA_AMF_COMPONENT_NAME (saAmfComponentNameGet returns it), each
#     registers (a second register is SA_AIS_ERR_EXIST), one SU gets a CSI
#     set ACTIVE and the other STANDBY: ADD_ONE, the CSI's name and its
#     attributes in file order, NEW_ASSIGN for the active, the active
#     component's name and rank 1 for the standby; saAmfHAStateGet agrees
#     with each callback. Nothing else is called back.
#   - A No-Redundancy SG of one SU is assigned ACTIVE.
#   - safctl amf status --json holds every field the other scripts read,
#     with the right values (pids included); the text form lists every SU
#     with its states.
#   - safd stopping takes its components with it.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/amf-lib.sh"

LC1=safComp=lc1c,safSu=lc1,safSg=life,safApp=life
LC2=safComp=lc2c,safSu=lc2,safSg=life,safApp=life
SO1=safComp=so1c,safSu=so1,safSg=solo,safApp=solo
CSI=safCsi=life-csi,safSi=life-si,safApp=life
SOLO_CSI=safCsi=solo-csi,safSi=solo-si,safApp=solo

amf_config amf-lifecycle.xml || fail "amf-lifecycle.xml does not check"
t0=$(harness_now_ms)
cluster_start 1 || fail "the node did not start"

# ------------------------------------------------------------ assignments
# Which of the two SUs becomes ACTIVE is not asserted: safd assigns the
# first SU that comes into service, whatever the ranks (engine.c assigns as
# soon as one SU of the SG is in service; nothing waits for the others).
amf_wait 15 1 '([su("lc1", "lc2").ha_state] | sort) == ["active", "standby"] and su("so1").ha_state == "active"' \
	"2N: one SU active, one standby; No-Redundancy: the only SU active"
if [ "$(su_ha 1 lc1)" = active ]; then
	ACT=lc1c ACT_DN=$LC1 STB=lc2c STB_DN=$LC2
else
	ACT=lc2c ACT_DN=$LC2 STB=lc1c STB_DN=$LC1
fi
wait_csi_set 10 1 "$ACT" 0 "comp=$ACT_DN ha=ACTIVE flags=ADD_ONE csi=$CSI transition=NEW_ASSIGN .* attrs=3\$" \
	"2N: the active SU's component is told ACTIVE"
wait_csi_set 10 1 "$STB" 0 "comp=$STB_DN ha=STANDBY flags=ADD_ONE csi=$CSI transition=- active_comp=$ACT_DN standby_rank=1 attrs=3\$" \
	"2N: the other SU's component is told STANDBY, naming the active"
wait_csi_set 10 1 so1c 0 "comp=$SO1 ha=ACTIVE flags=ADD_ONE csi=$SOLO_CSI transition=NEW_ASSIGN .* attrs=0\$" \
	"No-Redundancy: the only SU's component is told ACTIVE"
echo "lifecycle: every component assigned $(( $(harness_now_ms) - t0 )) ms after the cluster start began ($ACT active, $STB standby)"

# ------------------------------------------------------ what each one saw
# check_comp COMP DN HA: one process, started with its DN, which name get
# returned; registered; its only CSI set (HA) answered OK; HA state get
# agrees; no other callback.
check_comp() {
	local c=$1 dn=$2 ha=$3 csi=$4 n
	n=$(log_count 1 "$c" 0 ' start ')
	[ "$n" = 1 ] || fail "$c was started $n times, want 1: $(log_since 1 "$c" 0)"
	log_has 1 "$c" 0 " start comp=$dn\$" ||
		fail "$c: SA_AMF_COMPONENT_NAME is not $dn: $(log_since 1 "$c" 0)"
	log_has 1 "$c" 0 " name_get err=$AIS_OK name=$dn\$" ||
		fail "$c: saAmfComponentNameGet did not return $dn: $(log_since 1 "$c" 0)"
	log_has 1 "$c" 0 " register err=$AIS_OK\$" ||
		fail "$c: saAmfComponentRegister did not return OK: $(log_since 1 "$c" 0)"
	n=$(log_count 1 "$c" 0 ' csi_set ')
	[ "$n" = 1 ] || fail "$c got $n CSI set callbacks, want 1: $(log_since 1 "$c" 0)"
	log_has 1 "$c" 0 " ha_state csi=$csi err=$AIS_OK ha=$ha\$" ||
		fail "$c: saAmfHAStateGet does not say $ha for $csi: $(log_since 1 "$c" 0)"
	n=$(log_count 1 "$c" 0 ' (csi_remove|terminate|healthcheck|dispatch|no_answer) ')
	[ "$n" = 0 ] || fail "$c got unexpected callbacks or errors: $(log_since 1 "$c" 0)"
	echo "lifecycle: $c: started once as $dn, registered, $ha, HA state get agrees"
}
check_comp "$ACT" "$ACT_DN" ACTIVE "$CSI"
check_comp "$STB" "$STB_DN" STANDBY "$CSI"
check_comp so1c "$SO1" ACTIVE "$SOLO_CSI"

log_has 1 lc1c 0 " register_again err=$AIS_ERR_EXIST\$" ||
	fail "lc1c: a second saAmfComponentRegister did not return EXIST ($AIS_ERR_EXIST): $(log_since 1 lc1c 0)"
echo "lifecycle: lc1c: registering again gives SA_AIS_ERR_EXIST"

# The CSI's attributes, in file order, to both components.
for c in lc1c lc2c; do
	got=$(log_since 1 "$c" 0 | sed -n 's/.* csi_attr csi=[^ ]* \(name=.*\)$/\1/p' | tr '\n' ';')
	want="name=color value=blue;name=port value=4711;name=color value=green;"
	[ "$got" = "$want" ] || fail "$c: CSI attributes are '$got', want '$want'"
done
echo "lifecycle: both components got the CSI's three attributes in file order"

# ------------------------------------------------------------ safctl JSON
st=$(amf_status 1) || fail "safctl amf status --json failed"
pid1=$(log_since 1 lc1c 0 | sed -n 's/^t=[0-9]* pid=\([0-9]*\) start .*/\1/p')
pid2=$(log_since 1 lc2c 0 | sed -n 's/^t=[0-9]* pid=\([0-9]*\) start .*/\1/p')
ha1=$(su_ha 1 lc1) ha2=$(su_ha 1 lc2)
jq -e --arg lc1 "$LC1" --arg lc2 "$LC2" --arg csi "$CSI" --arg ha1 "$ha1" --arg ha2 "$ha2" \
	--argjson pid1 "$pid1" --argjson pid2 "$pid2" "$_AMF_JQ_DEFS"'
	def sis($ha): {active: (if $ha == "active" then 1 else 0 end),
		standby: (if $ha == "standby" then 1 else 0 end), quiesced: 0, quiescing: 0};
	.configured == true and
	.nodes == [{name: "safAmfNode=node1,safAmfCluster=lifecycle", nodeid: 1, member: true,
		admin: "unlocked"}] and
	.apps == [{name: "safApp=life", admin: "unlocked"}, {name: "safApp=solo", admin: "unlocked"}] and
	([.sgs[].name] | sort) == ["safSg=life,safApp=life", "safSg=solo,safApp=solo"] and
	([.sgs[].admin] | unique) == ["unlocked"] and ([.sis[].admin] | unique) == ["unlocked"] and
	su("lc1") == {name: "safSu=lc1,safSg=life,safApp=life", nodeid: 1, admin: "unlocked",
		oper: "enabled", presence: "instantiated", readiness: "in-service", restarts: 0,
		ha_state: $ha1, sis: sis($ha1), comps: [{name: $lc1, oper: "enabled", presence: "instantiated",
		readiness: "in-service", restarts: 0, pid: $pid1, ha_state: $ha1}]} and
	su("lc2") == {name: "safSu=lc2,safSg=life,safApp=life", nodeid: 1, admin: "unlocked",
		oper: "enabled", presence: "instantiated", readiness: "in-service", restarts: 0,
		ha_state: $ha2, sis: sis($ha2), comps: [{name: $lc2, oper: "enabled", presence: "instantiated",
		readiness: "in-service", restarts: 0, pid: $pid2, ha_state: $ha2}]} and
	(csi("life-csi") | .name == $csi and (.assignments | sort_by(.su)) == [
		{su: "safSu=lc1,safSg=life,safApp=life", ha_state: $ha1},
		{su: "safSu=lc2,safSg=life,safApp=life", ha_state: $ha2}]) and
	([.sis[].name] | sort) == ["safSi=life-si,safApp=life", "safSi=solo-si,safApp=solo"]
	' >/dev/null <<<"$st" || fail "safctl amf status --json is not as expected: $st"
echo "lifecycle: safctl amf status --json: every field as expected"

# ------------------------------------------------------------ safctl text
txt=$(node_exec 1 timeout "$HARNESS_PROBE_TIMEOUT" "$SAFCTL" amf status) ||
	fail "safctl amf status failed"
# text_su SU HA: the SU's line, then its states on the next one.
text_su() {
	grep -A1 -E "^  safSu=$1," <<<"$txt" | tail -n 1 |
		grep -Eq "^ +node 1 +unlocked enabled instantiated in-service +$2 +restarts 0\$"
}
text_su lc1 "$ha1" && text_su lc2 "$ha2" && text_su so1 active ||
	fail "safctl amf status does not list the SUs with their states: $txt"
grep -q "safAmfNode=node1,safAmfCluster=lifecycle (node 1, up)" <<<"$txt" ||
	fail "safctl amf status does not list node1 as up: $txt"
grep -A1 -E "^    $LC1\$" <<<"$txt" | grep -Eq "enabled instantiated +pid $pid1 +restarts 0" ||
	fail "safctl amf status does not list lc1c with its pid $pid1: $txt"
echo "lifecycle: safctl amf status lists every SU and component with its states"

# Every HA state change is logged (notice) with the entity's name.
n=$(safd_log_count 1 "ACTIVE: safSi=life-si,safApp=life assigned to safSu=${ACT%c},")
[ "$n" -ge 1 ] || fail "safd.log does not log the ACTIVE assignment of life-si to ${ACT%c}"
n=$(safd_log_count 1 "STANDBY: safSi=life-si,safApp=life assigned to safSu=${STB%c},")
[ "$n" -ge 1 ] || fail "safd.log does not log the STANDBY assignment of life-si to ${STB%c}"

# ------------------------------------------------------------ safd stops
pids="$pid1 $pid2 $(comp_field 1 so1c pid)"
_comps_gone() {
	local p s
	for p in $pids; do
		s=$(node_exec 1 awk '{print $3}' "/proc/$p/stat" 2>/dev/null)
		[ -z "$s" ] || [ "$s" = Z ] || return 1
	done
}
node_stop_safd 1 || fail "safd did not stop cleanly"
wait_until 5 _comps_gone || fail "components ($pids) still run 5 s after safd stopped"
echo "lifecycle: safd stopped, its components ($pids) with it"
echo "amf-lifecycle: PASS"
