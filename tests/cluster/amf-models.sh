#!/bin/bash
# amf-models.sh: the N+M, N-Way and N-Way-Active redundancy models, one
# node (amf-tests/amf-models.xml: one SG per model, every SU's component
# failing over its SU when killed). Every SU starts for the first time, so
# the assignments follow the ranks and spread evenly:
#   N+M (2+1)      n1 ACTIVE npm-a and npm-c, n2 ACTIVE npm-b, n3 STANDBY
#                  for all three. n1 killed: n3 takes npm-a and npm-c over
#                  (told ACTIVE for one CSI at a time, TARGET_ONE first) and
#                  gives up its standby of npm-b (an SU is never active and
#                  standby in N+M); n1 comes back as the standby of all.
#   N-Way          w1 ACTIVE nw-a, w2 ACTIVE nw-b, w3 ACTIVE nw-c; standbys
#                  w2 for nw-a, w1 for nw-b, w1 and w2 (ranks 1, 2) for
#                  nw-c. w3 killed: w1, the first standby, takes nw-c over
#                  (TARGET_ONE: it stays standby of nw-b); w3 comes back as
#                  nw-c's second standby. si-swap nw-a: w2 ACTIVE, w1 STANDBY.
#   N-Way-Active   nwa-x ACTIVE on v1, v2, v3 (every SU, the default),
#                  nwa-y on v1, v2 (active-assignments 2). v1 killed: nwa-y
#                  moves to v3; v1 comes back and takes nwa-x again.
#   SI ranks       l1 and l2 hold at most one SI each (max-active-sis):
#                  lim-y (rank 1) takes l1, lim-x (rank 2, listed first,
#                  wanting both) gets l2 only.
#   spares         in-service-sus 2 of 3: p3 is not started until p1 fails
#                  and stays disabled; then p3 starts and takes sp-x.
#   quiescing      q1 holds qx and qy and takes 1.5 s to quiesce: both are
#                  shut down, the second while the first quiesces; each is
#                  told QUIESCING once (the second after the first
#                  completed), the component is never restarted.
#   dependencies   dep-top depends on dep-base, listed after it: dep-base
#                  is assigned first. Locking dep-base takes dep-top away
#                  first (QUIESCED, then removed), then dep-base; unlocking
#                  gives both back.
#                  d1 killed: d2 takes dep-base over, then dep-top (each a
#                  takeover, NOT_QUIESCED; dep-top is never removed).
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/amf-lib.sh"

amf_config amf-models.xml || fail "amf-models.xml does not check"
cluster_start 1 || fail "the node did not start"

# holders("CSI"): the SUs holding the CSI with their HA states, sorted,
# e.g. "n1:active n3:standby".
HOLD='def holders($c): [csi($c).assignments[] |
	(.su | capture("^safSu=(?<n>[^,]*)").n) + ":" + .ha_state] | sort | join(" ");'

# expect_holders WHAT CSI=HOLDERS...: wait until every CSI has exactly
# those holders.
expect_holders() {
	local what=$1 expr=true pair
	shift
	for pair in "$@"; do
		expr="$expr and holders(\"${pair%%=*}\") == \"${pair#*=}\""
	done
	amf_wait 30 1 "$HOLD $expr" "$what"
}

csi_dn() { echo "safCsi=$1-csi,safSi=$1,safApp=$2"; }

# --------------------------------------------------------------- start
expect_holders "assignments at start" \
	"npm-a-csi=n1:active n3:standby" "npm-b-csi=n2:active n3:standby" \
	"npm-c-csi=n1:active n3:standby" \
	"nw-a-csi=w1:active w2:standby" "nw-b-csi=w1:standby w2:active" \
	"nw-c-csi=w1:standby w2:standby w3:active" \
	"nwa-x-csi=v1:active v2:active v3:active" "nwa-y-csi=v1:active v2:active" \
	"lim-x-csi=l2:active" "lim-y-csi=l1:active" \
	"dep-base-csi=d1:active d2:standby" "dep-top-csi=d1:active d2:standby" \
	"sp-x-csi=p1:active p2:active"
amf_expect 1 'su("p3").presence == "uninstantiated" and comp("p3c").pid == 0' \
	"in-service-sus 2: the spare p3 is not started"
[ -s "$(comp_log 1 p3c)" ] && fail "the spare p3c was started: $(cat "$(comp_log 1 p3c)")"
# What each component was told agrees: the standby ranks of nw-c.
wait_csi_set 10 1 w1c 0 "ha=STANDBY flags=ADD_ONE csi=$(csi_dn nw-c nway) .* standby_rank=1 " \
	"N-Way: w1 is nw-c's first standby"
wait_csi_set 10 1 w2c 0 "ha=STANDBY flags=ADD_ONE csi=$(csi_dn nw-c nway) .* standby_rank=2 " \
	"N-Way: w2 is nw-c's second standby"
# safctl shows an SU's mixed roles, and an SI without room.
out=$(node_exec 1 timeout 30 "$SAFCTL" amf status) || fail "safctl amf status failed: $out"
grep -Eq "in-service  active for 1 SI, standby for 2  restarts 0" <<<"$out" ||
	fail "safctl amf status does not show w1's roles: $out"
grep -A1 "^  safCsi=lim-x-csi" <<<"$out" | grep -q "active     safSu=l2," ||
	fail "safctl amf status does not show lim-x on l2: $out"
# The active d1 took dep-base (and answered) before it was told of dep-top
# (dependencies order ACTIVE assignments; standbys come in rank order).
first=$(log_since 1 d1c 0 | grep -E " (csi_set|response) " | head -2 | tr '\n' ' ')
grep -Eq "csi_set invocation=([0-9]+) .*ha=ACTIVE .*csi=$(csi_dn dep-base dep) .* response invocation=\1 error=$AIS_OK " <<<"$first" ||
	fail "dependencies: d1c's first CSI set, answered before the next, is not dep-base's: $(log_since 1 d1c 0)"
amf_expect 1 'su("w1").sis == {"active":1,"standby":2,"quiesced":0,"quiescing":0}' \
	"the JSON status counts w1's SIs per HA state"
echo "models: start: N+M 2+1, N-Way with ranked standbys, N-Way-Active, SI ranks and max-active-sis, dependencies as configured"

# ------------------------------------------------------------ failures
mark_n3=$(log_mark 1 n3c) mark_w1=$(log_mark 1 w1c)
kill_comp 1 n1c >/dev/null || fail "could not kill n1c"
kill_comp 1 w3c >/dev/null || fail "could not kill w3c"
kill_comp 1 v1c >/dev/null || fail "could not kill v1c"
expect_holders "assignments after n1, w3 and v1 failed over and came back" \
	"npm-a-csi=n1:standby n3:active" "npm-b-csi=n1:standby n2:active" \
	"npm-c-csi=n1:standby n3:active" \
	"nw-a-csi=w1:active w2:standby" "nw-b-csi=w1:standby w2:active" \
	"nw-c-csi=w1:active w2:standby w3:standby" \
	"nwa-x-csi=v1:active v2:active v3:active" "nwa-y-csi=v2:active v3:active"
wait_csi_set 10 1 n3c "$mark_n3" "ha=ACTIVE flags=TARGET_ONE csi=$(csi_dn npm-a npm) transition=NOT_QUIESCED " \
	"N+M: n3 takes npm-a over"
wait_csi_set 10 1 n3c "$mark_n3" "ha=ACTIVE flags=TARGET_(ONE|ALL) csi=($(csi_dn npm-c npm))? transition=NOT_QUIESCED " \
	"N+M: n3 takes npm-c over"
log_has 1 n3c "$mark_n3" " csi_remove .*csi=$(csi_dn npm-b npm)" ||
	fail "N+M: n3 was not told to give up its standby of npm-b: $(log_since 1 n3c "$mark_n3")"
wait_csi_set 10 1 w1c "$mark_w1" "ha=ACTIVE flags=TARGET_ONE csi=$(csi_dn nw-c nway) transition=NOT_QUIESCED " \
	"N-Way: w1 takes nw-c over"
log_has 1 w1c "$mark_w1" " csi_(set|remove) .*csi=$(csi_dn nw-b nway)" &&
	fail "N-Way: w1's standby of nw-b changed: $(log_since 1 w1c "$mark_w1")"
echo "models: failover: N+M standby SU took over and left its other standby; N-Way first standby promoted (TARGET_ONE); N-Way-Active moved"

# -------------------------------------------------------------- si-swap
mark_w1=$(log_mark 1 w1c)
out=$(node_exec 1 timeout 60 "$SAFCTL" amf si-swap safSi=nw-a 2>&1) ||
	fail "N-Way si-swap failed: $out"
expect_holders "N-Way si-swap of nw-a" "nw-a-csi=w1:standby w2:active" \
	"nw-c-csi=w1:active w2:standby w3:standby"
wait_csi_set 10 1 w1c "$mark_w1" "ha=QUIESCED flags=TARGET_ONE csi=$(csi_dn nw-a nway) " \
	"N-Way si-swap: w1 quiesces nw-a alone"
out=$(node_exec 1 timeout 60 "$SAFCTL" amf si-swap safSi=npm-a 2>&1) &&
	fail "si-swap of an N+M SI succeeded: $out"
grep -q "SA_AIS_ERR_NOT_SUPPORTED: .*N+M service group: si-swap needs 2N or N-Way" <<<"$out" ||
	fail "si-swap of an N+M SI refused without the reason: $out"
echo "models: si-swap: N-Way swapped one SI; N+M refused with the reason"

# --------------------------------------------------------------- spares
kill_comp 1 p1c >/dev/null || fail "could not kill p1c"
expect_holders "spares: p1 failed and stays disabled, the spare p3 takes its place" \
	"sp-x-csi=p2:active p3:active"
amf_expect 1 'su("p1").oper == "disabled" and su("p3").presence == "instantiated"' \
	"spares: p1 disabled, p3 instantiated"
echo "models: spares: p3 was started only when p1 failed"

# ------------------------------------------------------------ quiescing
mark_q=$(log_mark 1 q1c)
qpid=$(comp_field 1 q1c pid)
node_exec 1 timeout 60 "$SAFCTL" amf shutdown safSi=qx >"$HARNESS_DIR/qx.out" 2>&1 &
qx_job=$!
log_wait 10 1 q1c "$mark_q" " quiescing_deferred " "quiescing: q1c quiesces qx"
out=$(node_exec 1 timeout 60 "$SAFCTL" amf shutdown safSi=qy 2>&1) ||
	fail "quiescing: shutdown of qy failed: $out"
wait "$qx_job" || fail "quiescing: shutdown of qx failed: $(cat "$HARNESS_DIR/qx.out")"
expect_holders "quiescing: qx and qy shut down" "qx-csi=" "qy-csi="
for c in qx qy; do
	n=$(log_count 1 q1c "$mark_q" " csi_set .*ha=QUIESCING .*csi=($(csi_dn "$c" qsd))? ")
	[ "$n" = 1 ] || fail "quiescing: q1c was told QUIESCING $n times for $c, want 1: $(log_since 1 q1c "$mark_q")"
done
[ "$(log_count 1 q1c "$mark_q" " quiescing_complete .*err=$AIS_OK")" = 2 ] ||
	fail "quiescing: q1c's two saAmfCSIQuiescingComplete did not both succeed: $(log_since 1 q1c "$mark_q")"
[ "$(comp_field 1 q1c pid)" = "$qpid" ] && [ "$(comp_field 1 q1c restarts)" = 0 ] ||
	fail "quiescing: q1c was restarted: $(log_since 1 q1c "$mark_q")"
echo "models: quiescing: two SIs of one component shut down while it quiesces: one QUIESCING each, no restart"

# --------------------------------------------------------- dependencies
mark_d1=$(log_mark 1 d1c)
out=$(node_exec 1 timeout 60 "$SAFCTL" amf lock safSi=dep-base 2>&1) ||
	fail "lock of dep-base failed: $out"
expect_holders "dep-base locked: dep-top, which depends on it, goes too" \
	"dep-base-csi=" "dep-top-csi="
wait_csi_set 10 1 d1c "$mark_d1" "ha=QUIESCED flags=TARGET_ONE csi=$(csi_dn dep-top dep) " \
	"dependencies: d1 quiesces dep-top first"
wait_csi_set 10 1 d1c "$mark_d1" "ha=QUIESCED flags=TARGET_ALL csi= " \
	"dependencies: then dep-base"
tt=$(log_time 1 d1c "$mark_d1" " csi_remove .*csi=$(csi_dn dep-top dep) ")
tb=$(log_time 1 d1c "$mark_d1" " csi_set .*ha=QUIESCED flags=TARGET_ALL ")
[ -n "$tt" ] && [ -n "$tb" ] && [ "$tt" -le "$tb" ] &&
	[ "$(log_since 1 d1c "$mark_d1" | grep -nE " csi_(set|remove) " | head -2 | grep -c "dep-top")" = 2 ] ||
	fail "dependencies: dep-top was not quiesced and removed before dep-base was quiesced: $(log_since 1 d1c "$mark_d1")"
out=$(node_exec 1 timeout 60 "$SAFCTL" amf unlock safSi=dep-base 2>&1) ||
	fail "unlock of dep-base failed: $out"
expect_holders "dep-base unlocked: both back" \
	"dep-base-csi=d1:active d2:standby" "dep-top-csi=d1:active d2:standby"
mark_d2=$(log_mark 1 d2c)
kill_comp 1 d1c >/dev/null || fail "could not kill d1c"
expect_holders "dependencies: d1 failed over" \
	"dep-base-csi=d1:standby d2:active" "dep-top-csi=d1:standby d2:active"
wait_csi_set 10 1 d2c "$mark_d2" "ha=ACTIVE flags=TARGET_ONE csi=$(csi_dn dep-base dep) transition=NOT_QUIESCED " \
	"dependencies: d2 takes dep-base over"
wait_csi_set 10 1 d2c "$mark_d2" "ha=ACTIVE flags=TARGET_ALL csi= transition=NOT_QUIESCED " \
	"dependencies: then dep-top"
log_has 1 d2c "$mark_d2" " csi_remove " &&
	fail "dependencies: d2 lost an assignment in the failover: $(log_since 1 d2c "$mark_d2")"
echo "models: dependencies: dep-base locked -> dep-top quiesced and removed first; unlocked -> both back; failover: dep-base then dep-top taken over"
amf_done amf-models
