# tests/cluster/amf-lib.sh -- helpers of the AMF engine scripts (amf-*.sh).
#
# Source it after harness/cluster.sh and harness_enter:
#
#	. "$(dirname "$0")/../harness/cluster.sh"
#	harness_enter "$@"
#	. "$(dirname "$0")/amf-lib.sh"
#	amf_config amf-lifecycle.xml || fail "..."
#	cluster_start 1 || fail "..."
#
# amf_config generates the model from tests/amf-tests/NAME (@AMF_COMP@
# becomes the absolute path of the amf_comp test component), checks it with
# `safctl config check` and makes the harness start safd with -c on it.
#
# Entities are named by their short names, which the configurations keep
# unique across the whole file: an SU "su1" is the SU whose DN starts with
# "safSu=su1,", a component "c1" the one whose DN starts with "safComp=c1,".
# A component's output (amf_comp logs every callback) is
# $HARNESS_DIR/node<I>/safd-state/<short name>.log on the node running it.
#
# On failure the harness dumps the daemons' logs; this file adds every
# component log and the last `safctl amf status` of each running node.

AMF_TESTS_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../amf-tests" && pwd)
: "${TESTS_BINDIR:=${top_builddir:-$HARNESS_LIB/../..}/tests}"
AMF_COMP=${AMF_COMP:-$TESTS_BINDIR/amf_comp}

# SaAisErrorT values as amf_comp logs them (err=N).
AIS_OK=1
AIS_ERR_EXIST=14

if [ ! -x "$AMF_COMP" ]; then
	echo "ERROR: the test component $AMF_COMP is not built (make check builds it)" >&2
	exit 99
fi
AMF_COMP=$(cd "$(dirname "$AMF_COMP")" && pwd)/${AMF_COMP##*/}

# amf_config NAME: $HARNESS_DIR/NAME from tests/amf-tests/NAME, checked, and
# passed to every safd the harness starts from now on.
amf_config() {
	local src=$AMF_TESTS_SRC/$1 dst=$HARNESS_DIR/$1 out
	[ -f "$src" ] || { echo "amf_config: no $src" >&2; return 1; }
	sed "s#@AMF_COMP@#$AMF_COMP#g" "$src" >"$dst" || return 1
	if ! out=$("$SAFCTL" config check "$dst" 2>&1); then
		echo "amf_config: $dst does not check: $out" >&2
		return 1
	fi
	harness_log "AMF model: $out"
	HARNESS_SAFD_ARGS="${HARNESS_SAFD_ARGS:+$HARNESS_SAFD_ARGS }-c $dst"
	export HARNESS_SAFD_ARGS
	AMF_MODEL=$dst
}

# ----------------------------------------------------------------- status
# amf_status I: node I's `safctl amf status --json`.
amf_status() {
	node_exec "$1" timeout "$HARNESS_PROBE_TIMEOUT" "$SAFCTL" amf status --json
}

# amf_jq I FILTER [JQ ARGS...]: FILTER (jq -r) applied to node I's status,
# with $su and $comp helpers: su("x") is SU x's object, comp("x") comp x's.
_AMF_JQ_DEFS='
def su($n): [.sgs[].sus[] | select(.name | startswith("safSu=" + $n + ","))] | first;
def comp($n): [.sgs[].sus[].comps[] | select(.name | startswith("safComp=" + $n + ","))] | first;
def csi($n): [.sis[].csis[] | select(.name | startswith("safCsi=" + $n + ","))] | first;
def node($id): [.nodes[] | select(.nodeid == $id)] | first;
'
amf_jq() {
	local i=$1 filter=$2 st
	shift 2
	st=$(amf_status "$i") || return 1
	jq -r "$@" "$_AMF_JQ_DEFS $filter" <<<"$st"
}

# amf_true I JQ_EXPR [JQ ARGS...]: the expression is true in node I's status.
amf_true() {
	local i=$1 expr=$2 st
	shift 2
	st=$(amf_status "$i" 2>/dev/null) || return 1
	jq -e "$@" "$_AMF_JQ_DEFS $expr" >/dev/null 2>&1 <<<"$st"
}

# amf_wait TIMEOUT I JQ_EXPR WHAT: wait until the expression holds on node
# I, else fail with WHAT and the status.
amf_wait() {
	local timeout=$1 i=$2 expr=$3 what=$4 t0
	t0=$(harness_now_ms)
	if ! wait_until "$timeout" amf_true "$i" "$expr"; then
		fail "$what: not after ${timeout}s (node $i: $expr); status: $(amf_status "$i" 2>&1)"
	fi
	harness_log "$what ($(( $(harness_now_ms) - t0 )) ms)"
}

# amf_expect I JQ_EXPR WHAT: the expression holds now, else fail.
amf_expect() {
	amf_true "$1" "$2" ||
		fail "$3: expected $2 on node $1; status: $(amf_status "$1" 2>&1)"
}

# su_ha I SU, su_field I SU FIELD, comp_field I COMP FIELD
su_ha() { amf_jq "$1" 'su($s).ha_state // "none"' --arg s "$2"; }
su_field() { amf_jq "$1" 'su($s)[$f]' --arg s "$2" --arg f "$3"; }
comp_field() { amf_jq "$1" 'comp($c)[$f]' --arg c "$2" --arg f "$3"; }

# --------------------------------------------------------- component logs
# comp_log I COMP: the log file of component COMP run by node I.
comp_log() {
	echo "$HARNESS_DIR/node$1/safd-state/$2.log"
}

# log_mark I COMP: the number of lines of the log now; log_since I COMP MARK
# prints the lines written after it. Steps of a test look only at what the
# component wrote since the step began (pids may repeat after a node
# restart, so lines are told apart by position, not by pid).
log_mark() {
	local f
	f=$(comp_log "$1" "$2")
	if [ -f "$f" ]; then wc -l <"$f"; else echo 0; fi
}

log_since() {
	local f
	f=$(comp_log "$1" "$2")
	[ -f "$f" ] || return 0
	tail -n "+$(( $3 + 1 ))" "$f"
}

# log_has I COMP MARK REGEX: a line written since MARK matches REGEX (ERE).
log_has() {
	log_since "$1" "$2" "$3" | grep -Eq -- "$4"
}

# log_count I COMP MARK REGEX: how many lines since MARK match REGEX.
log_count() {
	log_since "$1" "$2" "$3" | grep -Ec -- "$4"
}

# log_time I COMP MARK REGEX: the t= (wall clock ms) of the first line since
# MARK that matches REGEX.
log_time() {
	log_since "$1" "$2" "$3" | grep -E -m1 -- "$4" | sed -n 's/^t=\([0-9]*\) .*/\1/p'
}

# log_wait TIMEOUT I COMP MARK REGEX WHAT: wait until such a line appears.
log_wait() {
	local timeout=$1 i=$2 c=$3 mark=$4 re=$5 what=$6
	if ! wait_until "$timeout" log_has "$i" "$c" "$mark" "$re"; then
		fail "$what: component $c (node $i) logged no line matching '$re' within ${timeout}s; it logged: $(log_since "$i" "$c" "$mark" | tail -n 20)"
	fi
}

# The answered CSI set of one process: a csi_set line with these
# key=value words (an ERE fragment, e.g. 'ha=ACTIVE flags=ADD_ONE'), and
# its response OK, both from one pid, since MARK. Prints that pid.
csi_set_answered_pid() {
	local i=$1 c=$2 mark=$3 want=$4 line pid inv
	while read -r line; do
		pid=$(sed -n 's/^t=[0-9]* pid=\([0-9]*\) .*/\1/p' <<<"$line")
		inv=$(sed -n 's/.* invocation=\([0-9]*\) .*/\1/p' <<<"$line")
		if log_has "$i" "$c" "$mark" \
			"^t=[0-9]+ pid=$pid response invocation=$inv error=$AIS_OK err=$AIS_OK\$"; then
			echo "$pid"
			return 0
		fi
	done < <(log_since "$i" "$c" "$mark" | grep -E -- " csi_set .*$want")
	return 1
}

_csi_set_answered() {
	csi_set_answered_pid "$@" >/dev/null
}

# wait_csi_set TIMEOUT I COMP MARK WANT WHAT: wait until a process of COMP
# answered OK a CSI set matching WANT (see csi_set_answered_pid).
wait_csi_set() {
	local timeout=$1 i=$2 c=$3 mark=$4 want=$5 what=$6 t0
	t0=$(harness_now_ms)
	if ! wait_until "$timeout" _csi_set_answered "$i" "$c" "$mark" "$want"; then
		fail "$what: component $c (node $i) did not answer a CSI set with '$want' within ${timeout}s; it logged: $(log_since "$i" "$c" "$mark" | tail -n 20); status: $(amf_status "$i" 2>&1)"
	fi
	harness_log "$what: $c answered a CSI set with '$want' ($(( $(harness_now_ms) - t0 )) ms)"
}

# kill_comp I COMP: SIGKILL the process of COMP (pid from node I's status);
# prints the pid killed.
kill_comp() {
	local i=$1 c=$2 pid
	pid=$(comp_field "$i" "$c" pid) || return 1
	case $pid in ''|null|0|*[!0-9]*) echo "kill_comp: $c has no pid ($pid)" >&2; return 1 ;; esac
	node_exec "$i" kill -KILL "$pid" || return 1
	harness_log "killed $c (pid $pid)"
	echo "$pid"
}

# safd_log_count I REGEX: lines of node I's safd.log matching REGEX.
safd_log_count() {
	grep -Ec -- "$2" "$HARNESS_DIR/node$1/safd.log"
}

# --------------------------------------------------------- failure dumps
# The harness's dump, then every component log and each node's AMF status.
eval "_amf_harness_dump_logs() $(declare -f cluster_dump_logs | tail -n +2)"
cluster_dump_logs() {
	local nd f i
	_amf_harness_dump_logs
	[ -n "${HARNESS_DIR:-}" ] && [ -d "$HARNESS_DIR" ] || return 0
	{
		echo "==================== AMF component logs ===================="
		for nd in "$HARNESS_DIR"/node*; do
			for f in "$nd"/safd-state/*.log; do
				[ -f "$f" ] || continue
				echo "-------------------- ${nd##*/}/safd-state/${f##*/} (last $HARNESS_DUMP_LINES lines) --------------------"
				tail -n "$HARNESS_DUMP_LINES" "$f"
			done
		done
		for i in $(seq 1 "$HARNESS_N"); do
			node_running "$i" && node_safd_alive "$i" || continue
			echo "-------------------- node$i: safctl amf status --------------------"
			node_exec "$i" timeout "$HARNESS_PROBE_TIMEOUT" "$SAFCTL" amf status 2>&1
		done
		echo "==================== end of AMF component logs ===================="
	} >&2
}

# ------------------------------------------------------- checks that go on
# check_later MSG: a failed check after which the rest of the test still
# means something (e.g. a wrong descriptor field): reported at once, and
# amf_done fails the test at the end. Anything that makes later steps
# meaningless uses fail.
AMF_LATER=()
check_later() {
	echo "FAIL (the test goes on): $*" >&2
	AMF_LATER+=("$*")
}

# amf_done NAME: PASS, or FAIL listing every check_later.
amf_done() {
	local m
	if [ ${#AMF_LATER[@]} -gt 0 ]; then
		for m in "${AMF_LATER[@]}"; do
			echo "FAIL: $m" >&2
		done
		fail "$1: ${#AMF_LATER[@]} check(s) failed (listed above)"
	fi
	echo "$1: PASS"
}

# wait_past MS: wait until the wall clock (harness_now_ms) reaches MS: the
# probation windows are time itself, there is nothing else to poll.
wait_past() {
	while [ "$(harness_now_ms)" -lt "$1" ]; do
		sleep "$HARNESS_POLL"
	done
}
