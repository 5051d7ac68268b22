#!/bin/bash
# amf-pg.sh: protection group tracking (saAmfProtectionGroupTrack, _4,
# TrackStop and both track callback types) on one node
# (amf-tests/amf-pg.xml), with tests/amf_pg_tool as the tracking client.
#   - CURRENT into a buffer (the caller's array, or one the library
#     allocates and NotificationFree releases; the _4 call and the B.01
#     one): the two members of fo-csi, the ACTIVE and the STANDBY
#     component, each with its SU's configured rank (3 and 7),
#     READY_FOR_ASSIGNMENT, NO_CHANGE. An array of 1 entry: NO_SPACE with
#     numberOfItems 2. An unknown CSI: NOT_EXIST. TrackStop without a track:
#     NOT_EXIST.
#   - CURRENT without a buffer: one callback listing both members.
#   - Killing fo's active component fails its SU over. CHANGES (B.04, and
#     the B.01 callback type): one callback with every member and the
#     removed one (the standby ACTIVE with STATE_CHANGE, the failed one
#     REMOVED with its last state, ACTIVE), then one when the failed SU is
#     back (ADDED as STANDBY). CHANGES_ONLY (set by tracking again over
#     CHANGES: the flags are replaced) lists only those. Nothing else is
#     called back.
#   - A tracker that stopped (TrackStop OK, a second one NOT_EXIST) gets
#     no callback for that failover.
#   - Killing rs's active component restarts it: its SU keeps the HA
#     state, so the protection group does not change and no callback comes.
# "Nothing else" is checked without waiting: at SIGTERM the tool first runs
# every callback already queued (safd sends them when the state changes,
# long before the later state the test waits for), then logs its count.
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "$@"
. "$(dirname "$0")/amf-lib.sh"

PG_TOOL=${PG_TOOL:-$TESTS_BINDIR/amf_pg_tool}
if [ ! -x "$PG_TOOL" ]; then
	echo "ERROR: $PG_TOOL is not built (make check builds it)" >&2
	exit 99
fi
PG_TOOL=$(cd "$(dirname "$PG_TOOL")" && pwd)/${PG_TOOL##*/}
PG_DIR=$HARNESS_DIR/pg
mkdir -p "$PG_DIR" || exit 99

FO1=safComp=fo1c,safSu=fo1,safSg=fo,safApp=fo
FO2=safComp=fo2c,safSu=fo2,safSg=fo,safApp=fo
RS1=safComp=rs1c,safSu=rs1,safSg=rs,safApp=rs
RS2=safComp=rs2c,safSu=rs2,safSg=rs,safApp=rs
FO_CSI=safCsi=fo-csi,safSi=fo-si,safApp=fo
RS_CSI=safCsi=rs-csi,safSi=rs-si,safApp=rs
AIS_NOT_EXIST=12
AIS_NO_SPACE=15
READY=READY_FOR_ASSIGNMENT

# ------------------------------------------------------------- the tool
# pg_run NAME ARGS...: the tool in node 1, bounded; output in
# $PG_DIR/NAME.out; returns its exit status.
pg_run() {
	local name=$1
	shift
	node_exec 1 timeout -k 5 30 "$PG_TOOL" "$@" >"$PG_DIR/$name.out" 2>&1
}

# pg_bg NAME ARGS...: the same in the background (hub pid in PG_BG[NAME]).
declare -A PG_BG=()
pg_bg() {
	local name=$1
	shift
	node_exec 1 timeout -k 5 120 "$PG_TOOL" "$@" >"$PG_DIR/$name.out" 2>&1 &
	PG_BG[$name]=$!
}

pg_out() { cat "$PG_DIR/$1.out" 2>/dev/null; }
pg_has() { grep -Eq -- "$2" "$PG_DIR/$1.out" 2>/dev/null; }

# pg_wait TIMEOUT NAME REGEX WHAT
pg_wait() {
	if ! wait_until "$1" pg_has "$2" "$3"; then
		fail "$4: amf_pg_tool '$2' logged no line matching '$3' within $1 s; it logged: $(pg_out "$2")"
	fi
}

# pg_members NAME CB: the member lines of callback CB (0: the track call's
# buffer), without time and pid, sorted.
pg_members() {
	pg_out "$1" | sed -n "s/^t=[0-9]* pid=[0-9]* \(member cb=$2 .*\)/\1/p" | sort
}

# expect_members NAME CB WHAT LINE...: callback CB listed exactly these
# members (each LINE without "member cb=CB ").
expect_members() {
	local name=$1 cb=$2 what=$3 got want
	shift 3
	got=$(pg_members "$name" "$cb")
	want=$(for l in "$@"; do echo "member cb=$cb $l"; done | sort)
	[ "$got" = "$want" ] ||
		fail "$what: amf_pg_tool '$name' callback $cb listed
$got
want
$want
(whole output: $(pg_out "$name"))"
}

# pg_term NAME: SIGTERM the background tool (it runs what is queued, logs
# "exit ... callbacks=N" and ends); waits for it.
_pg_gone() { ! kill -0 "$1" 2>/dev/null; }
pg_term() {
	local name=$1 pid
	pid=$(pg_out "$name" | sed -n 's/^t=[0-9]* pid=\([0-9]*\) initialize .*/\1/p' | head -n 1)
	[ -n "$pid" ] || fail "amf_pg_tool '$name' has not logged its pid: $(pg_out "$name")"
	node_exec 1 kill -TERM "$pid" || fail "cannot signal amf_pg_tool '$name' (pid $pid)"
	wait_until 10 _pg_gone "${PG_BG[$name]}" ||
		fail "amf_pg_tool '$name' still runs 10 s after SIGTERM: $(pg_out "$name")"
	wait "${PG_BG[$name]}"
}

# pg_callbacks NAME: the count the tool logged when it ended.
pg_callbacks() {
	pg_out "$1" | sed -n 's/^t=[0-9]* pid=[0-9]* exit status=0 callbacks=\([0-9]*\)$/\1/p'
}

# ------------------------------------------------------------ the cluster
amf_config amf-pg.xml || fail "amf-pg.xml does not check"
cluster_start 1 || fail "the node did not start"
amf_wait 20 1 '([su("fo1", "fo2").ha_state] | sort) == ["active", "standby"] and
	([su("rs1", "rs2").ha_state] | sort) == ["active", "standby"]' \
	"both SGs: one SU active, one standby"
if [ "$(su_ha 1 fo1)" = active ]; then
	ACT=fo1c ACT_DN=$FO1 ACT_RANK=3 STB=fo2c STB_DN=$FO2 STB_RANK=7
else
	ACT=fo2c ACT_DN=$FO2 ACT_RANK=7 STB=fo1c STB_DN=$FO1 STB_RANK=3
fi
if [ "$(su_ha 1 rs1)" = active ]; then
	RACT=rs1c RACT_DN=$RS1 RSTB_DN=$RS2 RACT_SU=rs1
else
	RACT=rs2c RACT_DN=$RS2 RSTB_DN=$RS1 RACT_SU=rs2
fi
echo "pg: fo: $ACT active (rank $ACT_RANK), $STB standby (rank $STB_RANK); rs: $RACT active"

# ------------------------------------------------------------- CURRENT
CUR_ACT="comp=$ACT_DN ha=ACTIVE readiness=$READY rank=$ACT_RANK change=NO_CHANGE"
CUR_STB="comp=$STB_DN ha=STANDBY readiness=$READY rank=$STB_RANK change=NO_CHANGE"

pg_run cur-array -f current -b 2 "$FO_CSI" ||
	fail "CURRENT into an array of 2 failed: $(pg_out cur-array)"
pg_has cur-array " track err=$AIS_OK flags=current items=2 array=caller\$" ||
	fail "CURRENT into an array of 2: not OK with 2 items in the caller's array: $(pg_out cur-array)"
expect_members cur-array 0 "CURRENT into the caller's array" "$CUR_ACT" "$CUR_STB"
echo "pg: CURRENT into the caller's array: $ACT ACTIVE rank $ACT_RANK, $STB STANDBY rank $STB_RANK"

pg_run cur-alloc -f current -b alloc "$FO_CSI" ||
	fail "CURRENT into a library array failed: $(pg_out cur-alloc)"
pg_has cur-alloc " track err=$AIS_OK flags=current items=2 array=library\$" &&
	pg_has cur-alloc " notification_free err=$AIS_OK\$" ||
	fail "CURRENT into a library array: not OK with 2 items, or not freed: $(pg_out cur-alloc)"
expect_members cur-alloc 0 "CURRENT into a library array" "$CUR_ACT" "$CUR_STB"
echo "pg: CURRENT into an array the library allocates, released with NotificationFree_4"

pg_run cur-b01 -v 1 -f current -b alloc "$FO_CSI" ||
	fail "B.01 CURRENT into a library array failed: $(pg_out cur-b01)"
pg_has cur-b01 " initialize err=$AIS_OK " &&
	pg_has cur-b01 " track err=$AIS_OK flags=current items=2 array=library\$" ||
	fail "B.01 CURRENT: not OK with 2 items: $(pg_out cur-b01)"
expect_members cur-b01 0 "B.01 CURRENT" "${CUR_ACT/readiness=$READY/readiness=-}" \
	"${CUR_STB/readiness=$READY/readiness=-}"
echo "pg: CURRENT through saAmfProtectionGroupTrack on a B.01.01 handle"

pg_run cur-small -f current -b 1 "$FO_CSI"
pg_has cur-small " track err=$AIS_NO_SPACE flags=current items=2 array=caller\$" ||
	fail "CURRENT into an array of 1: not NO_SPACE ($AIS_NO_SPACE) with numberOfItems 2: $(pg_out cur-small)"
[ -z "$(pg_members cur-small 0)" ] || fail "NO_SPACE came with members: $(pg_out cur-small)"
echo "pg: CURRENT into an array of 1: SA_AIS_ERR_NO_SPACE, numberOfItems 2"

pg_run unknown -f current+changes "safCsi=nope,safSi=fo-si,safApp=fo"
pg_has unknown " track err=$AIS_NOT_EXIST flags=current\\+changes items=- array=-\$" ||
	fail "tracking an unknown CSI is not NOT_EXIST ($AIS_NOT_EXIST): $(pg_out unknown)"
pg_run nostop -x "$FO_CSI"
pg_has nostop " track_stop err=$AIS_NOT_EXIST\$" ||
	fail "TrackStop without a track is not NOT_EXIST ($AIS_NOT_EXIST): $(pg_out nostop)"
echo "pg: an unknown CSI and a TrackStop without track: SA_AIS_ERR_NOT_EXIST"

# ----------------------------------------------------- trackers of changes
pg_bg chg -f current+changes "$FO_CSI"
pg_bg only -f changes -r changes_only "$FO_CSI"
pg_bg b01 -v 1 -f changes "$FO_CSI"
pg_bg stop -f current+changes -s 1 "$FO_CSI"
pg_bg rs -f changes_only "$RS_CSI"
pg_wait 10 chg " callback n=1 type=B04 csi=$FO_CSI members=2 items=2 err=$AIS_OK\$" \
	"CURRENT|CHANGES without a buffer: the current members in one callback"
expect_members chg 1 "CURRENT without a buffer" "$CUR_ACT" "$CUR_STB"
pg_wait 10 only " retrack err=$AIS_OK flags=changes_only\$" "tracking again with CHANGES_ONLY"
pg_wait 10 b01 " track err=$AIS_OK flags=changes items=- array=-\$" "B.01 tracking of changes"
pg_wait 10 stop " track_stop err=$AIS_OK\$" "TrackStop after the CURRENT callback"
pg_wait 10 stop " track_stop err=$AIS_NOT_EXIST\$" "a second TrackStop: NOT_EXIST"
pg_wait 10 rs " track err=$AIS_OK flags=changes_only items=- array=-\$" "tracking rs-csi"
echo "pg: CURRENT without a buffer: one callback; five trackers ready"

# ------------------------------------------------------------- failover
t_kill=$(harness_now_ms)
kill_comp 1 "$ACT" >/dev/null || fail "cannot kill $ACT"
pg_wait 15 chg " callback n=2 type=B04 csi=$FO_CSI members=1 items=2 err=$AIS_OK\$" \
	"CHANGES after the failover: the new active and the removed one"
t_cb=$(pg_out chg | sed -n 's/^t=\([0-9]*\) .* callback n=2 .*/\1/p')
expect_members chg 2 "CHANGES after the failover" \
	"comp=$STB_DN ha=ACTIVE readiness=$READY rank=$STB_RANK change=STATE_CHANGE" \
	"comp=$ACT_DN ha=ACTIVE readiness=$READY rank=$ACT_RANK change=REMOVED"
echo "pg: failover: CHANGES callback $(( t_cb - t_kill )) ms after the kill: $STB ACTIVE (STATE_CHANGE), $ACT REMOVED"

pg_wait 20 chg " callback n=3 type=B04 csi=$FO_CSI members=2 items=2 err=$AIS_OK\$" \
	"CHANGES when the failed SU is back"
expect_members chg 3 "CHANGES when the failed SU is back" \
	"comp=$STB_DN ha=ACTIVE readiness=$READY rank=$STB_RANK change=NO_CHANGE" \
	"comp=$ACT_DN ha=STANDBY readiness=$READY rank=$ACT_RANK change=ADDED"
amf_expect 1 "su(\"${STB%c}\").ha_state == \"active\" and su(\"${ACT%c}\").ha_state == \"standby\"" \
	"the status agrees with the callbacks"
echo "pg: $ACT back: CHANGES callback with it ADDED as STANDBY"

pg_wait 10 only " callback n=2 type=B04 csi=$FO_CSI members=2 items=1 err=$AIS_OK\$" \
	"CHANGES_ONLY: the two callbacks of the failover"
pg_has only " callback n=1 type=B04 csi=$FO_CSI members=1 items=2 err=$AIS_OK\$" ||
	fail "CHANGES_ONLY: the failover callback is not members=1 items=2: $(pg_out only)"
expect_members only 1 "CHANGES_ONLY after the failover" \
	"comp=$STB_DN ha=ACTIVE readiness=$READY rank=$STB_RANK change=STATE_CHANGE" \
	"comp=$ACT_DN ha=ACTIVE readiness=$READY rank=$ACT_RANK change=REMOVED"
expect_members only 2 "CHANGES_ONLY when the failed SU is back" \
	"comp=$ACT_DN ha=STANDBY readiness=$READY rank=$ACT_RANK change=ADDED"
echo "pg: CHANGES_ONLY (replacing CHANGES): only the changed members"

pg_wait 10 b01 " callback n=2 type=B01 csi=$FO_CSI members=2 items=2 err=$AIS_OK\$" \
	"the B.01 callback type: the two callbacks of the failover"
pg_has b01 " callback n=1 type=B01 csi=$FO_CSI members=1 items=2 err=$AIS_OK\$" ||
	fail "B.01 callback: the failover callback is not members=1 items=2: $(pg_out b01)"
expect_members b01 1 "B.01 CHANGES after the failover" \
	"comp=$STB_DN ha=ACTIVE readiness=- rank=$STB_RANK change=STATE_CHANGE" \
	"comp=$ACT_DN ha=ACTIVE readiness=- rank=$ACT_RANK change=REMOVED"
expect_members b01 2 "B.01 CHANGES when the failed SU is back" \
	"comp=$STB_DN ha=ACTIVE readiness=- rank=$STB_RANK change=NO_CHANGE" \
	"comp=$ACT_DN ha=STANDBY readiness=- rank=$ACT_RANK change=ADDED"
echo "pg: a B.01.01 handle gets the same through the B.01 callback type"

# Nothing else, and nothing after TrackStop: each tool runs what is queued
# at SIGTERM, then logs its count.
for t in chg:3 only:2 b01:2 stop:1; do
	name=${t%:*} want=${t#*:}
	pg_term "$name"
	n=$(pg_callbacks "$name")
	[ "$n" = "$want" ] ||
		fail "amf_pg_tool '$name' got ${n:-?} callbacks, want $want: $(pg_out "$name")"
done
echo "pg: one callback per change, none after TrackStop"

# ------------------------------------------------------------- restart
mark=$(log_mark 1 "$RACT")
kill_comp 1 "$RACT" >/dev/null || fail "cannot kill $RACT"
wait_csi_set 20 1 "$RACT" "$mark" "comp=$RACT_DN ha=ACTIVE flags=ADD_ONE csi=$RS_CSI " \
	"rs: the restarted component is ACTIVE again"
amf_expect 1 "su(\"$RACT_SU\").ha_state == \"active\" and comp(\"$RACT\").restarts == 1" \
	"rs: a component restart, not a failover"
pg_term rs
n=$(pg_callbacks rs)
[ "$n" = 0 ] || fail "a component restart called the CHANGES_ONLY tracker back $n times: $(pg_out rs)"
pg_run rs-after -f current -b 2 "$RS_CSI" ||
	fail "CURRENT of rs-csi after the restart failed: $(pg_out rs-after)"
expect_members rs-after 0 "rs-csi after the restart" \
	"comp=$RACT_DN ha=ACTIVE readiness=$READY rank=${RACT_SU#rs} change=NO_CHANGE" \
	"comp=$RSTB_DN ha=STANDBY readiness=$READY rank=$(( 3 - ${RACT_SU#rs} )) change=NO_CHANGE"
echo "pg: a component restart keeps the HA states: no callback, the same members"

amf_done amf-pg
