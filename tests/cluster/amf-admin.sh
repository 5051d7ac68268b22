#!/bin/bash
# amf-admin.sh: safctl amf admin operations on one node
# (amf-tests/amf-admin.xml: a 2N SG "adm" of SUs a1 and a2; a
# No-Redundancy SG "plain" whose component is not SA-aware).
#   si-swap    the active gets QUIESCED, then the standby ACTIVE (transition
#              QUIESCED, naming the old active), then the old active STANDBY.
#   lock       the active is QUIESCED before the standby becomes ACTIVE; the
#              locked SU loses the SI (CSI remove) and is out of service.
#   lock-in    the terminate callback; no process left; unlock-in starts it
#              again; unlock gives it the STANDBY.
#   shutdown   QUIESCING, saAmfCSIQuiescingComplete, then the standby takes
#              over and the SU ends locked.
#   restart    SU and component: terminate callback, a new process, the
#              assignment kept.
#   node, SG, application lock and unlock; lock-in of a component that is
#   not SA-aware (SIGTERM).
#   every operation that does not apply: its error and reason, exit 1.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/amf-lib.sh"

amf_config amf-admin.xml || fail "amf-admin.xml does not check"
cluster_start 1 || fail "the node did not start"

SI=safSi=adm-si,safApp=adm

# adm OP ENTITY: safctl amf OP ENTITY on node 1 must succeed.
adm() {
	local out
	out=$(node_exec 1 timeout 90 "$SAFCTL" amf "$1" "$2" 2>&1) ||
		fail "safctl amf $1 $2 failed: $out; status: $(node_exec 1 "$SAFCTL" amf status 2>&1)"
	harness_log "safctl amf $1 $2: $out"
}

# adm_fails OP ENTITY ERROR REASON_RE: it must fail with ERROR, a reason
# matching REASON_RE, exit status 1, and change nothing.
adm_fails() {
	local out rc before after
	before=$(amf_status 1)
	out=$(node_exec 1 timeout 90 "$SAFCTL" amf "$1" "$2" 2>&1)
	rc=$?
	[ "$rc" = 1 ] || fail "safctl amf $1 $2: exit status $rc, want 1 ($out)"
	grep -q -- "$3" <<<"$out" || fail "safctl amf $1 $2: '$out' does not say $3"
	grep -Eq -- "$4" <<<"$out" || fail "safctl amf $1 $2: '$out' does not explain '$4'"
	after=$(amf_status 1)
	[ "$(jq -c '[.. | .admin? // empty]' <<<"$before")" = \
	  "$(jq -c '[.. | .admin? // empty]' <<<"$after")" ] ||
		fail "safctl amf $1 $2 failed but changed admin states"
	harness_log "safctl amf $1 $2 refused: $out"
}

# t_of COMP MARK REGEX: the time of the first matching line since MARK.
t_of() { log_time 1 "$1" "$2" "$3"; }

# handed_over WHAT OLD NEW MARK_OLD MARK_NEW HA: NEW was told ACTIVE after
# OLD was told HA (QUIESCED or QUIESCING), and safd promoted NEW only once
# OLD confirmed (the log line hand_over() writes after the confirmation;
# the components' own lines cannot order the answer against the next
# callback: a process logs its answer after the call returns).
handed_over() {
	local what=$1 old=$2 new=$3 tq ta
	tq=$(t_of "${old}c" "$4" " csi_set .*ha=$6 ") ta=$(t_of "${new}c" "$5" " csi_set .*ha=ACTIVE ")
	[ -n "$tq" ] && [ -n "$ta" ] && [ "$tq" -le "$ta" ] ||
		fail "$what: $new was told ACTIVE ($ta) before $old was told $6 ($tq)"
	tail -n "+$((SAFD_MARK + 1))" "$HARNESS_DIR/node1/safd.log" |
		grep -Eq -- "$SI: safSu=$old,[^ ]* quiesced, safSu=$new,[^ ]* takes over" ||
		fail "$what: safd.log does not say $new took over once $old was quiesced"
}

# safd_mark: remember where node 1's safd.log ends now (for handed_over).
safd_mark() { SAFD_MARK=$(wc -l <"$HARNESS_DIR/node1/safd.log"); }

amf_wait 30 1 '(su("a1").ha_state == "active" and su("a2").ha_state == "standby") or
	(su("a2").ha_state == "active" and su("a1").ha_state == "standby")' \
	"one of a1, a2 ACTIVE, the other STANDBY"
if [ "$(su_ha 1 a1)" = active ]; then A=a1 B=a2; else A=a2 B=a1; fi
amf_wait 10 1 'su("p1").ha_state == "active"' "plain: p1 ACTIVE"
wait_csi_set 10 1 "${B}c" 0 "ha=STANDBY" "$B told STANDBY"

# ---------------------------------------------------------------- si-swap
ma=$(log_mark 1 "${A}c") mb=$(log_mark 1 "${B}c")
safd_mark
adm si-swap "$SI"
amf_expect 1 "su(\"$B\").ha_state == \"active\" and su(\"$A\").ha_state == \"standby\"" \
	"si-swap: $B ACTIVE, $A STANDBY"
wait_csi_set 5 1 "${A}c" "$ma" "ha=QUIESCED" "si-swap: $A quiesced"
wait_csi_set 5 1 "${B}c" "$mb" "ha=ACTIVE flags=TARGET_ALL csi= transition=QUIESCED active_comp=safComp=${A}c," \
	"si-swap: $B ACTIVE after a quiesced active"
wait_csi_set 5 1 "${A}c" "$ma" "ha=STANDBY" "si-swap: $A standby"
handed_over si-swap "$A" "$B" "$ma" "$mb" QUIESCED
X=$A A=$B B=$X

# ------------------------------------------------------------------- lock
ma=$(log_mark 1 "${A}c") mb=$(log_mark 1 "${B}c")
adm lock "safSu=$A"
amf_expect 1 "su(\"$A\") | .admin == \"locked\" and .readiness == \"out-of-service\" and
	.ha_state == null and .presence == \"instantiated\"" "lock: $A locked, unassigned, running"
amf_expect 1 "su(\"$B\").ha_state == \"active\"" "lock: $B ACTIVE"
wait_csi_set 5 1 "${A}c" "$ma" "ha=QUIESCED" "lock: $A quiesced"
log_wait 5 1 "${A}c" "$ma" " csi_remove " "lock: $A's CSI removed"
wait_csi_set 5 1 "${B}c" "$mb" "ha=ACTIVE .*transition=QUIESCED" "lock: $B ACTIVE"
adm_fails lock "safSu=$A" SA_AIS_ERR_NO_OP "already locked"
adm_fails unlock-in "safSu=$A" SA_AIS_ERR_NO_OP "not locked for instantiation"
adm_fails si-swap "$SI" SA_AIS_ERR_BAD_OPERATION "no standby"

# ---------------------------------------------------- lock-in / unlock-in
ma=$(log_mark 1 "${A}c")
pid=$(comp_field 1 "${A}c" pid)
adm lock-in "safSu=$A"
amf_expect 1 "su(\"$A\") | .admin == \"locked-instantiation\" and .presence == \"uninstantiated\" and
	.comps[0].pid == 0" "lock-in: $A locked for instantiation, not running"
log_wait 5 1 "${A}c" "$ma" " terminate invocation=" "lock-in: the terminate callback"
log_wait 5 1 "${A}c" "$ma" " exit status=0 on=terminate" "lock-in: the component exited"
node_exec 1 kill -0 "$pid" 2>/dev/null && fail "lock-in: pid $pid still runs"
adm_fails unlock "safSu=$A" SA_AIS_ERR_BAD_OPERATION "unlock-in first"
adm_fails shutdown "safSu=$A" SA_AIS_ERR_BAD_OPERATION "only an unlocked"
adm unlock-in "safSu=$A"
amf_expect 1 "su(\"$A\") | .admin == \"locked\" and .presence == \"instantiated\" and
	.ha_state == null" "unlock-in: $A instantiated, still locked and unassigned"
adm unlock "safSu=$A"
amf_wait 5 1 "su(\"$A\").ha_state == \"standby\"" "unlock: $A STANDBY"
wait_csi_set 5 1 "${A}c" "$ma" "ha=STANDBY flags=ADD_ONE" "unlock: $A told STANDBY"

# --------------------------------------------------------------- shutdown
ma=$(log_mark 1 "${A}c") mb=$(log_mark 1 "${B}c")
safd_mark
adm shutdown "safSu=$B"
amf_expect 1 "su(\"$B\") | .admin == \"locked\" and .ha_state == null" \
	"shutdown: $B ends locked, unassigned"
amf_expect 1 "su(\"$A\").ha_state == \"active\"" "shutdown: $A ACTIVE"
wait_csi_set 5 1 "${B}c" "$mb" "ha=QUIESCING" "shutdown: $B quiescing"
log_wait 5 1 "${B}c" "$mb" " quiescing_complete .*err=$AIS_OK" "shutdown: quiescing complete"
handed_over shutdown "$B" "$A" "$mb" "$ma" QUIESCING
adm unlock "safSu=$B"
amf_wait 5 1 "su(\"$B\").ha_state == \"standby\"" "unlock: $B STANDBY again"

# ---------------------------------------------------------------- restart
ma=$(log_mark 1 "${A}c")
pid=$(comp_field 1 "${A}c" pid) restarts=$(su_field 1 "$A" restarts)
adm restart "safSu=$A"
amf_expect 1 "su(\"$A\") | .ha_state == \"active\" and .restarts == $((restarts + 1)) and
	.comps[0].presence == \"instantiated\" and .comps[0].pid != $pid" \
	"SU restart: $A ACTIVE again in a new process"
log_wait 5 1 "${A}c" "$ma" " terminate invocation=" "SU restart: the terminate callback"
wait_csi_set 5 1 "${A}c" "$ma" "ha=ACTIVE flags=ADD_ONE" "SU restart: the new process told ACTIVE"
mb=$(log_mark 1 "${B}c")
pid=$(comp_field 1 "${B}c" pid)
adm restart "safComp=${B}c"
amf_expect 1 "comp(\"${B}c\") | .presence == \"instantiated\" and .pid != $pid" \
	"component restart: ${B}c in a new process"
wait_csi_set 5 1 "${B}c" "$mb" "ha=STANDBY flags=ADD_ONE" "component restart: told STANDBY again"

# ------------------------------------------- containers: node, SG, application
adm lock safSg=adm
amf_expect 1 '([.sgs[] | select(.name | startswith("safSg=adm,"))][0].admin == "locked") and
	(csi("adm-csi").assignments | length) == 0 and su("p1").ha_state == "active"' \
	"SG lock: adm unassigned, plain untouched"
adm unlock safSg=adm
amf_wait 10 1 '(csi("adm-csi").assignments | length) == 2' "SG unlock: adm assigned again"
adm lock safApp=plain
amf_expect 1 '(.apps[] | select(.name == "safApp=plain").admin) == "locked" and
	su("p1").ha_state == null' "application lock: p1 unassigned"
adm unlock safApp=plain
amf_wait 10 1 'su("p1").ha_state == "active"' "application unlock: p1 ACTIVE again"
adm lock safAmfNode=node1
amf_expect 1 '.nodes[0].admin == "locked" and ([.sis[].csis[].assignments[]] | length) == 0' \
	"node lock: nothing assigned on the node"
adm_fails unlock "safSu=$A" SA_AIS_ERR_NO_OP "already unlocked"
adm unlock safAmfNode=node1
amf_wait 10 1 '([.sis[].csis[].assignments[]] | length) == 3' "node unlock: everything assigned again"

# ----------------------------------------- lock-in of a non-SA-aware component
mp=$(log_mark 1 p1c)
adm lock safSu=p1
adm lock-in safSu=p1
amf_expect 1 'su("p1") | .presence == "uninstantiated" and .comps[0].pid == 0' \
	"lock-in: p1c stopped"
log_wait 5 1 p1c "$mp" " exit status=0 on=SIGTERM" "lock-in: p1c stopped with SIGTERM"
adm unlock-in safSu=p1
adm unlock safSu=p1
amf_wait 10 1 'su("p1") | .ha_state == "active" and .presence == "instantiated"' \
	"p1 back in service"

# ------------------------------------------------- what does not apply
adm_fails lock safSu=nosuch SA_AIS_ERR_NOT_EXIST "no AMF entity is named safSu=nosuch"
adm_fails si-swap "safSu=$A" SA_AIS_ERR_NOT_SUPPORTED "si-swap applies to a service instance"
adm_fails repaired "safSu=$A" SA_AIS_ERR_NO_OP "not disabled"
adm_fails lock "safComp=${A}c" SA_AIS_ERR_NOT_SUPPORTED "operate on its service unit"
adm_fails restart safSi=adm-si SA_AIS_ERR_NOT_SUPPORTED "service unit or a component"
adm_fails si-swap safSi=plain-si SA_AIS_ERR_NOT_SUPPORTED "needs 2N"
adm_fails lock-in safSi=plain-si SA_AIS_ERR_NOT_SUPPORTED "no components"
out=$(node_exec 1 "$SAFCTL" --json amf lock safSu=nosuch 2>/dev/null)
jq -e '.result == "SA_AIS_ERR_NOT_EXIST" and (.reason | test("nosuch"))' <<<"$out" >/dev/null ||
	fail "safctl --json amf lock of an unknown SU printed '$out'"
out=$(node_exec 1 "$SAFCTL" amf lock 2>&1) && fail "safctl amf lock without an entity succeeded"

amf_done amf-admin
