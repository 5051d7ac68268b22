#!/bin/bash
# tests/bench/run.sh -- safd's benchmarks (issue #6; BENCHMARKS.md explains
# every figure). Starts private corosync + safd clusters through
# tests/harness (no root needed), runs the bench_* programs in them, and
# prints one table; with --json FILE it also writes the figures as JSON.
#
# Usage: run.sh [--quick] [--json FILE] [--trials N] [--nf-trials N]
#               [--duration S] [--rtt-count N] [--fill N] [--only LIST]
#        run.sh --report FILE    (the table of an earlier run's JSON)
#
#   --quick        short run (< 3 min): 1 s per throughput point, 300
#                  round trips, 10 restart/failover trials, 3 (3 nodes)
#                  and 2 (5 nodes) node-failover trials, 10,000 queued
#                  messages, queue scaling up to 100 queues
#   --json FILE    also write every figure to FILE (an absolute path, or
#                  relative to the directory run.sh was started in)
#   --trials N     component-restart and SU-failover trials (default 50)
#   --nf-trials N  node-failover trials on 3 nodes (default 10); the
#                  5-node cluster gets half as many (at least 2)
#   --duration S   seconds per throughput point (default 3)
#   --rtt-count N  round trips per latency point (default 2000, at most
#                  as many as fit in 2 x --duration seconds)
#   --fill N       messages queued for the memory figure (default 100000)
#   --only LIST    comma list of sections: c3 (3 nodes: MSG and the raw
#                  ceilings), amf (3 nodes: component restart, SU
#                  failover), c1 (1 node: memory, queue scaling), c2 (2
#                  nodes), j3 (3 nodes with journals: what the disk
#                  costs), nf3, nf5 (node failover, scaling); default all
#
# Programs: $BENCH_BINDIR (make sets it), else $top_builddir/tests/bench,
# else the in-tree build next to this script. safd and safctl as for the
# cluster tests (tests/harness/README.md). Exit status 0 when every figure
# was measured, 1 when some could not be (they are null in the JSON and
# "fail" in the table), 77 (SKIP) without namespaces or corosync.
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
	sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
	exit 0
fi
# --report FILE: print the table of an earlier run's JSON (no cluster).
if [ "${1:-}" = "--report" ]; then
	[ -r "${2:-}" ] || { echo "run.sh: --report needs a JSON file" >&2; exit 99; }
	jq -e 'type == "object"' "$2" >/dev/null 2>&1 ||
		{ echo "run.sh: --report: $2 is not the JSON of a run" >&2; exit 99; }
	declare -A R=()
	KEYS=()
	while read -r k v; do
		[ "$v" = null ] && v=
		R[$k]=$v
		KEYS+=("$k")
	done < <(jq -r 'to_entries[] | select(.value | type != "string") | "\(.key) \(.value)"' "$2")
	QUICK=0
	[ "$(jq -r .mode "$2")" = quick ] && QUICK=1
	DURATION=${R[duration_s]:-?}
	. "$(dirname "$0")/report.sh"
	BENCH_MACHINE=$(jq -r .machine "$2") BENCH_DATE=$(jq -r .date "$2") bench_report
	exit 0
fi
# ------------------------------------------------------------------ options
# Checked before anything starts (and again inside the namespaces).
usage_error() {
	echo "run.sh: $* (see --help)" >&2
	exit 99
}

# count OPTION VALUE: VALUE is a whole number >= 1.
count() {
	[[ $2 =~ ^[1-9][0-9]{0,8}$ ]] || usage_error "$1 needs a whole number >= 1, not '$2'"
}

ARGS=("$@")
QUICK=0 JSON= TRIALS= NF_TRIALS= DURATION= RTT_COUNT= FILL= ONLY=c3,amf,c1,c2,j3,nf3,nf5
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1; shift; continue ;;
	--json | --trials | --nf-trials | --duration | --rtt-count | --fill | --only)
		[ $# -ge 2 ] && [ -n "$2" ] || usage_error "$1 needs a value" ;;
	*) usage_error "unknown option $1" ;;
	esac
	case $1 in
	--json) JSON=$2 ;;
	--trials) count "$1" "$2"; TRIALS=$2 ;;
	--nf-trials) count "$1" "$2"; NF_TRIALS=$2 ;;
	--rtt-count) count "$1" "$2"; RTT_COUNT=$2 ;;
	--fill) count "$1" "$2"; FILL=$2 ;;
	--duration)
		[[ $2 =~ ^([0-9]{1,4}(\.[0-9]*)?|\.[0-9]+)$ ]] && awk -v d="$2" 'BEGIN { exit !(d > 0) }' ||
			usage_error "--duration needs seconds > 0, not '$2'"
		DURATION=$2 ;;
	--only)
		IFS=, read -ra sections <<<"$2"
		for section in "${sections[@]}"; do
			case $section in
			c3 | amf | c1 | c2 | j3 | nf3 | nf5) ;;
			*) usage_error "--only: no section '$section' (c3, amf, c1, c2, j3, nf3, nf5)" ;;
			esac
		done
		ONLY=$2 ;;
	esac
	shift 2
done

# The whole run is bounded (a full run takes 4 - 7 minutes).
: "${HARNESS_TIMEOUT:=2400}"
export HARNESS_TIMEOUT
BENCH_START_DIR=${BENCH_START_DIR:-$PWD}
export BENCH_START_DIR
. "$(dirname "$0")/../harness/cluster.sh"
harness_enter "${ARGS[@]}"

if [ "$QUICK" = 1 ]; then
	: "${TRIALS:=10}" "${NF_TRIALS:=3}" "${DURATION:=1}" "${RTT_COUNT:=300}" "${FILL:=10000}"
	SESSIONS=30
	QUEUE_POINTS="1 10 100"
else
	: "${TRIALS:=50}" "${NF_TRIALS:=10}" "${DURATION:=3}" "${RTT_COUNT:=2000}" "${FILL:=100000}"
	SESSIONS=100
	QUEUE_POINTS="1 10 100 1000"
fi
NF5_TRIALS=$(( NF_TRIALS / 2 > 2 ? NF_TRIALS / 2 : 2 ))
RTT_DURATION=$(awk -v d="$DURATION" 'BEGIN { print 2 * d }')
case $JSON in
'' | /*) ;;
*) JSON=$BENCH_START_DIR/$JSON ;;
esac
SIZES="64 1024 65536"

_top=${top_builddir:-$HARNESS_LIB/../..}
for d in "${BENCH_BINDIR:-}" "$_top/tests/bench" "$HARNESS_LIB/../bench"; do
	if [ -n "$d" ] && [ -x "$d/bench_msg" ]; then
		BENCH_BINDIR=$(cd "$d" && pwd)
		break
	fi
done
for p in bench_msg bench_cpg bench_qbipc bench_mq bench_comp bench_amf; do
	if [ ! -x "${BENCH_BINDIR:-}/$p" ]; then
		echo "ERROR: $p is not built (run make first; BENCH_BINDIR=${BENCH_BINDIR:-unset})" >&2
		exit 99
	fi
done
BENCH_SRC=$HARNESS_LIB/../bench
BD=$HARNESS_DIR/bench		# readiness marks, outputs, trial lines
# bench_comp's state files, on a tmpfs: a component writes its state on
# the path being timed (before it registers, when it becomes ACTIVE), and a
# write to the disk can wait hundreds of ms for the filesystem's journal.
CS=$BD/comp
mkdir -p "$BD" "$CS"
if mount -t tmpfs -o size=16m bench-comp "$CS"; then
	harness_at_exit 'umount "$CS"'
else
	echo "bench: WARNING: no tmpfs for $CS: the components' state files go to disk" >&2
fi

# ------------------------------------------------------------------ results
# R[key]=number (or empty when it could not be measured); KEYS keeps order.
declare -A R=()
KEYS=()
FAILED=()
put() {
	[ -n "${R[$1]+x}" ] || KEYS+=("$1")
	R[$1]=$2
}
# A figure that could not be measured: null in the JSON, "fail" in the table.
missed() {
	local k
	FAILED+=("$1")
	shift
	for k in "$@"; do
		put "$k" ""
	done
}
# kv LINE KEY: the value of KEY=value in a result line.
kv() {
	awk -v k="$2" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit } }' <<<"$1"
}
# calc EXPR: awk arithmetic, printed with up to 6 significant digits.
calc() {
	awk "BEGIN { v = $1; if (v == int(v) && v < 1e15) printf \"%d\n\", v; else printf \"%.6g\n\", v }"
}
# pct P: nearest-rank P-th percentile of the numbers on stdin.
pct() {
	sort -g | awk -v p="$1" '{ a[NR] = $1 } END { if (NR == 0) exit;
		r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1; if (r > NR) r = NR; print a[r] }'
}
blog() {
	harness_log "bench: $*"
}
# put_rate KEY SIZE SEND_OUTPUT RECV_FILE: KEY_msgs_per_s and KEY_mb_per_s,
# from the sender's first send to the receiver's last message; sets COUNT
# (a variable: see new_name).
put_rate() {
	local recv first last
	recv=$(cat "$4")
	COUNT=$(kv "$recv" count)
	first=$(kv "$3" first_ns)
	last=$(kv "$recv" last_ns)
	put "$1_msgs_per_s" "$(calc "$COUNT * 1e9 / ($last - $first)")"
	put "$1_mb_per_s" "$(calc "$COUNT * $2 / ($last - $first) * 1e3")"
}
# new_name TAG: sets NAME to a name no other measurement of this run uses
# (a variable, not output: a $(...) subshell would lose the counter).
SEQ=0
new_name() {
	SEQ=$(( SEQ + 1 ))
	NAME=bench.$1.$SEQ
}

# ------------------------------------------------------------ measurements
# no_safctl_rings I PID: node I's safd (PID) maps no safctl connection's
# rings (3 x 1 MiB): safd frees a closed connection's rings 100 ms later
# (services/ipc.c, "graves"), so the harness's last safctl's are still
# mapped just after it exits.
no_safctl_rings() {
	! node_exec "$1" grep -q -- '-safd-adm-data' "/proc/$2/maps"
}

# rss_read I: node I's safd's VmRSS, RssAnon and RssShmem in kB into
# RSS_VM, RSS_ANON, RSS_SHMEM: its resident memory, its own part, and the
# part that is its clients' shared-memory IPC rings (libqb: 3 rings per
# connection, mapped by both sides). Read once no safctl is connected.
rss_read() {
	local pid out
	RSS_VM= RSS_ANON= RSS_SHMEM=
	pid=$(cat "$(node_dir "$1")/safd.pid" 2>/dev/null) || return 1
	wait_until 5 no_safctl_rings "$1" "$pid" ||
		blog "rss: node $1's safd still maps a safctl connection's rings"
	out=$(node_exec "$1" awk '/^(VmRSS|RssAnon|RssShmem):/ { printf "%s ", $2 }' \
		"/proc/$pid/status") || return 1
	read -r RSS_VM RSS_ANON RSS_SHMEM <<<"$out"
	[ -n "$RSS_VM" ]
}

# put_rss KEY I: KEY_kb, KEY_anon_kb, KEY_shmem_kb of node I's safd.
put_rss() {
	if rss_read "$2"; then
		put "$1_kb" "$RSS_VM"
		put "$1_anon_kb" "$RSS_ANON"
		put "$1_shmem_kb" "$RSS_SHMEM"
	else
		missed "RSS of node $2's safd ($1)" "$1_kb"
	fi
}

# cpu_snap: "SAFD CORO": CPU time (clock ticks, user + system) used so far
# by every running node's safd, and by every corosync.
cpu_snap() {
	local i sa co ts=0 tc=0 v
	for i in $(seq 1 "$HARNESS_N"); do
		node_running "$i" || continue
		sa=$(cat "$(node_dir "$i")/safd.pid" 2>/dev/null) || continue
		co=$(cat "$(node_dir "$i")/corosync.pid" 2>/dev/null) || continue
		v=($(node_exec "$i" awk '{ print $14 + $15 }' "/proc/$sa/stat" "/proc/$co/stat"))
		ts=$(( ts + ${v[0]:-0} ))
		tc=$(( tc + ${v[1]:-0} ))
	done
	echo "$ts $tc"
}
CLK_TCK=$(getconf CLK_TCK)

# totem_snap [STAT]: a totem counter (default mcast_tx: the multicasts
# sent; corosync packs several small CPG messages into one) summed over
# all running nodes' corosyncs (stats.srp.STAT).
totem_snap() {
	local stat=${1:-mcast_tx} i t=0 v
	for i in $(seq 1 "$HARNESS_N"); do
		node_running "$i" || continue
		v=$(node_exec "$i" timeout "$HARNESS_PROBE_TIMEOUT" corosync-cmapctl -m stats 2>/dev/null |
			awk -F'= ' -v k="stats.srp.$stat " 'index($0, k) == 1 { print $2 }')
		t=$(( t + ${v:-0} ))
	done
	echo "$t"
}

# What totem resent, dropped or lost while the AMF trials ran (corosync
# counts no token retransmits: a token resent after token_retransmit,
# 238 ms with token 1000, leaves no trace here; see BENCHMARKS.md).
TOTEM_TROUBLE="mcast_retx rx_msg_dropped operational_token_lost"
totem_trouble_snap() {
	local s
	for s in $TOTEM_TROUBLE; do
		printf '%s ' "$(totem_snap "$s")"
	done
	printf '%s ' "$(udp_errors_snap)"
}

# udp_errors_snap: UDP datagrams the nodes' kernels dropped (InErrors:
# mostly a full socket buffer), summed over the nodes' network namespaces:
# the datagrams corosync's knet never saw.
udp_errors_snap() {
	local i t=0 v
	for i in $(seq 1 "$HARNESS_N"); do
		node_running "$i" || continue
		v=$(node_exec "$i" awk '/^Udp:/ && $2 ~ /^[0-9]+$/ { print $4 }' /proc/net/snmp 2>/dev/null)
		t=$(( t + ${v:-0} ))
	done
	echo "$t"
}
# totem_trouble_put KEY BEFORE: KEY_totem_<stat> = now - BEFORE, per stat.
totem_trouble_put() {
	local key=$1 s i=0
	local -a a b
	a=($2)
	b=($(totem_trouble_snap))
	for s in $TOTEM_TROUBLE udp_in_errors; do
		put "${key}_totem_$s" "$(( ${b[$i]:-0} - ${a[$i]:-0} ))"
		i=$(( i + 1 ))
	done
}
IDLE_SAFD=0 IDLE_CORO=0		# ticks per second the idle cluster uses (cpu_idle)

# cpu_idle SECONDS: the CPU the idle cluster uses, subtracted from the
# per-message figures (corosync keeps its token going when idle).
cpu_idle() {
	local -a a b
	a=($(cpu_snap))
	sleep "$1"
	b=($(cpu_snap))
	IDLE_SAFD=$(calc "(${b[0]} - ${a[0]}) / $1")
	IDLE_CORO=$(calc "(${b[1]} - ${a[1]}) / $1")
	put safd_idle_cpu_pct "$(calc "$IDLE_SAFD * 100 / $CLK_TCK")"
	put corosync_idle_cpu_pct "$(calc "$IDLE_CORO * 100 / $CLK_TCK")"
	blog "idle cluster: safds ${R[safd_idle_cpu_pct]}% of a CPU, corosyncs ${R[corosync_idle_cpu_pct]}%"
}

# cpu_per_msg KEY PREFIX T0_MS CPU0 CPU1 COUNT: puts KEY_safd_cpu_us_per_msg
# and KEY_corosync_cpu_us_per_msg, idle use subtracted (PREFIX "coro" for
# corosync only).
cpu_per_msg() {
	local key=$1 what=$2 secs
	local -a a=($4) b=($5)
	[ "$6" -gt 0 ] || return 0
	secs=$(calc "($(harness_now_ms) - $3) / 1000")
	if [ "$what" != coro ]; then
		put "${key}_safd_cpu_us_per_msg" "$(calc "int(((${b[0]} - ${a[0]}) - $IDLE_SAFD * $secs) * 1e6 / $CLK_TCK / $6)")"
	fi
	put "${key}_corosync_cpu_us_per_msg" "$(calc "int(((${b[1]} - ${a[1]}) - $IDLE_CORO * $secs) * 1e6 / $CLK_TCK / $6)")"
}

# msg_thr KEY SENDER RECEIVER SIZE [send options...]: one-way throughput of
# synchronous (or --async / --threads) sends, timed from the first send to
# the receiver's last message. Sets KEY_msgs_per_s and KEY_mb_per_s.
# RECV_ARGS: options of the receiver (--queues K). CPU=1: also the CPU time
# all safds and all corosyncs used per message (KEY_safd_cpu_us_per_msg...)
# and the totem multicasts per message (KEY_totem_mcasts_per_msg).
msg_thr() {
	local key=$1 s=$2 r=$3 size=$4 q ready out rout rp rc rrc cpu0 cpu1 ct0 tm0 tm1
	shift 4
	new_name thr
	q=$NAME
	ready=$BD/ready.$q
	rout=$BD/out.$q.recv
	# shellcheck disable=SC2086
	node_exec "$r" "$BENCH_BINDIR/bench_msg" recv "$q" --ready "$ready" --timeout 120 \
		--unlink ${RECV_ARGS:-} >"$rout" 2>&1 &
	rp=$!
	if ! wait_until 30 test -e "$ready"; then
		kill "$rp" 2>/dev/null
		missed "$key: the receiver did not open $q: $(cat "$rout")" "${key}_msgs_per_s" "${key}_mb_per_s"
		return 1
	fi
	[ "${CPU:-0}" = 1 ] && cpu0=$(cpu_snap) && ct0=$(harness_now_ms) && tm0=$(totem_snap)
	out=$(node_exec "$s" "$BENCH_BINDIR/bench_msg" send "$q" --size "$size" \
		--duration "$DURATION" --timeout 120 "$@" 2>&1)
	rc=$?
	wait "$rp"
	rrc=$?
	[ "${CPU:-0}" = 1 ] && cpu1=$(cpu_snap) && tm1=$(totem_snap)
	if [ "$rc" != 0 ] || [ "$rrc" != 0 ]; then
		missed "$key: send: $out; recv: $(cat "$rout")" "${key}_msgs_per_s" "${key}_mb_per_s"
		return 1
	fi
	put_rate "$key" "$size" "$out" "$rout"
	local count=$COUNT
	if [ "${CPU:-0}" = 1 ]; then
		cpu_per_msg "$key" all "$ct0" "$cpu0" "$cpu1" "$count"
		[ "$count" -gt 0 ] &&
			put "${key}_totem_mcasts_per_msg" "$(calc "int(($tm1 - $tm0) * 100 / $count) / 100")"
	fi
	if [ -n "$(kv "$out" p50_us)" ]; then
		put "${key}_send_p50_us" "$(kv "$out" p50_us)"
		put "${key}_send_p99_us" "$(kv "$out" p99_us)"
	fi
	blog "$key: ${R[${key}_msgs_per_s]} msg/s (${count} messages of $size B; $(kv "$out" retries) retries; send p50 $(kv "$out" p50_us) us)"
}

# msg_rtt KEY CLIENT SERVER SIZE: SendReceive + Reply round trips.
msg_rtt() {
	local key=$1 c=$2 s=$3 size=$4 q ready out sout sp
	new_name rtt
	q=$NAME
	ready=$BD/ready.$q
	sout=$BD/out.$q.replier
	node_exec "$s" "$BENCH_BINDIR/bench_msg" replier "$q" --ready "$ready" --timeout 120 \
		>"$sout" 2>&1 &
	sp=$!
	if ! wait_until 30 test -e "$ready"; then
		kill "$sp" 2>/dev/null
		missed "$key: the replier did not open $q: $(cat "$sout")" \
			"${key}_p50_us" "${key}_p99_us" "${key}_p999_us"
		return 1
	fi
	if ! out=$(node_exec "$c" "$BENCH_BINDIR/bench_msg" rtt "$q" --size "$size" \
		--count "$RTT_COUNT" --duration "$RTT_DURATION" --timeout 120 2>&1); then
		wait "$sp"
		missed "$key: rtt: $out; replier: $(cat "$sout")" \
			"${key}_p50_us" "${key}_p99_us" "${key}_p999_us"
		return 1
	fi
	wait "$sp"
	put "${key}_p50_us" "$(kv "$out" p50_us)"
	put "${key}_p99_us" "$(kv "$out" p99_us)"
	put "${key}_p999_us" "$(kv "$out" p999_us)"
	put "${key}_samples" "$(kv "$out" samples)"
	blog "$key: p50 $(kv "$out" p50_us) us, p99 $(kv "$out" p99_us) us ($(kv "$out" samples) samples)"
}

# cpg_thr KEY SENDER RECEIVER SIZE [--sync]: raw CPG, a group of its own.
cpg_thr() {
	local key=$1 s=$2 r=$3 size=$4 g ready out rout rp cpu0 cpu1 ct0
	shift 4
	new_name cpg
	g=$NAME
	ready=$BD/ready.$g
	rout=$BD/out.$g.recv
	node_exec "$r" "$BENCH_BINDIR/bench_cpg" recv --group "$g" --ready "$ready" \
		--timeout 120 >"$rout" 2>&1 &
	rp=$!
	if ! wait_until 30 test -e "$ready"; then
		kill "$rp" 2>/dev/null
		missed "$key: the CPG receiver did not join: $(cat "$rout")" "${key}_msgs_per_s"
		return 1
	fi
	[ "${CPU:-0}" = 1 ] && cpu0=$(cpu_snap) && ct0=$(harness_now_ms)
	if ! out=$(node_exec "$s" "$BENCH_BINDIR/bench_cpg" send --group "$g" --size "$size" \
		--duration "$DURATION" --timeout 120 "$@" 2>&1); then
		wait "$rp"
		missed "$key: cpg send: $out" "${key}_msgs_per_s"
		return 1
	fi
	wait "$rp"
	[ "${CPU:-0}" = 1 ] && cpu1=$(cpu_snap)
	put_rate "$key" "$size" "$out" "$rout"
	local count=$COUNT
	[ "${CPU:-0}" = 1 ] && cpu_per_msg "$key" coro "$ct0" "$cpu0" "$cpu1" "$count"
	if [ "${1:-}" = --sync ]; then
		put "${key}_p50_us" "$(kv "$out" p50_us)"
		put "${key}_p99_us" "$(kv "$out" p99_us)"
		put "${key}_p999_us" "$(kv "$out" p999_us)"
	fi
	blog "$key: ${R[${key}_msgs_per_s]} msg/s ($count of $size B)"
}

# local_raw KEY NODE PROGRAM MODE SIZE: bench_qbipc or bench_mq in node NODE.
# bench_mq runs in an IPC namespace of its own, where fs.mqueue.msgsize_max
# can be raised to 1 MiB (the host's limits are not touched).
local_raw() {
	local key=$1 n=$2 prog=$3 mode=$4 size=$5 out
	local -a cmd=("$BENCH_BINDIR/$prog" --mode "$mode" --size "$size" --duration "$DURATION")
	if [ "$mode" = rtt ]; then
		cmd+=(--count "$RTT_COUNT" --duration "$RTT_DURATION")
	fi
	if [ "$prog" = bench_mq ]; then
		out=$(node_exec "$n" unshare -i sh -c \
			'echo 1048576 > /proc/sys/fs/mqueue/msgsize_max 2>/dev/null; exec "$@"' \
			sh "${cmd[@]}" 2>&1)
	else
		out=$(node_exec "$n" "${cmd[@]}" 2>&1)
	fi
	if [ $? != 0 ] || [ "$(kv "$out" unsupported)" = 1 ]; then
		missed "$key: $out" "${key}_msgs_per_s"
		return 1
	fi
	if [ "$mode" = rtt ]; then
		put "${key}_p50_us" "$(kv "$out" p50_us)"
		put "${key}_p99_us" "$(kv "$out" p99_us)"
		put "${key}_p999_us" "$(kv "$out" p999_us)"
		blog "$key: p50 $(kv "$out" p50_us) us, p99 $(kv "$out" p99_us) us"
	else
		put "${key}_msgs_per_s" "$(kv "$out" msgs_per_s)"
		put "${key}_mb_per_s" "$(kv "$out" mb_per_s)"
		blog "$key: $(kv "$out" msgs_per_s) msg/s"
	fi
}

size_tag() {
	case $1 in
	64) echo 64 ;;
	1024) echo 1k ;;
	65536) echo 64k ;;
	*) echo "$1" ;;
	esac
}

# ratio KEY NUM DEN: NUM / DEN when both were measured.
ratio() {
	if [ -n "${R[$2]:-}" ] && [ -n "${R[$3]:-}" ]; then
		put "$1" "$(awk -v a="${R[$2]}" -v b="${R[$3]}" 'BEGIN { printf "%.4f\n", a / b }')"
	else
		put "$1" ""
	fi
}

# --------------------------------------------------------------- AMF trials
# amf_config TEMPLATE NODES: the model from tests/bench/TEMPLATE, checked,
# passed to every safd started from now on.
amf_config() {
	local src=$BENCH_SRC/$1 dst=$HARNESS_DIR/$1 n=$2 nodes="" i out
	for i in $(seq 1 "$n"); do
		nodes+="    <node name=\"node$i\" nodeid=\"$i\"/>\\n"
	done
	sed -e "s#@BENCH_COMP@#$BENCH_BINDIR/bench_comp#g" -e "s#@BENCH_DIR@#$CS#g" \
		-e "s#^@NODES@\$#${nodes%\\n}#" "$src" >"$dst" || return 1
	if ! out=$("$SAFCTL" config check "$dst" 2>&1); then
		echo "bench: $dst does not check: $out" >&2
		return 1
	fi
	HARNESS_SAFD_ARGS="-c $dst"
	export HARNESS_SAFD_ARGS
}

no_amf() {
	HARNESS_SAFD_ARGS=
	export HARNESS_SAFD_ARGS
}

# comp_state SG I: "pid node ha qopen" from bench_comp's state file of
# component <SG><I>c.
comp_state() {
	local f=$CS/${1}${2}c.state line
	[ -s "$f" ] || return 1
	line=$(<"$f")
	echo "$(kv "$line" pid) $(kv "$line" node) $(kv "$line" ha) $(kv "$line" qopen)"
}

# pair_ready SG: one component ACTIVE with its queue open, the other STANDBY.
# Sets ACT_PID, ACT_NODE, SBY_NODE.
pair_ready() {
	local a b
	a=($(comp_state "$1" 1)) && b=($(comp_state "$1" 2)) || return 1
	if [ "${a[2]}" = ACTIVE ] && [ "${a[3]}" = 1 ] && [ "${b[2]}" = STANDBY ]; then
		ACT_PID=${a[0]} ACT_NODE=${a[1]} SBY_NODE=${b[1]}
	elif [ "${b[2]}" = ACTIVE ] && [ "${b[3]}" = 1 ] && [ "${a[2]}" = STANDBY ]; then
		ACT_PID=${b[0]} ACT_NODE=${b[1]} SBY_NODE=${a[1]}
	else
		return 1
	fi
}

# amf_stats KEY FILE: p50/p99/max of the column values in FILE (one trial
# a line, "recovered csi recv" in ms).
amf_stats() {
	local key=$1 f=$2 n line
	n=$(wc -l <"$f")
	put "${key}_trials" "$n"
	put "${key}_p50_ms" "$(awk '{ print $1 }' "$f" | pct 50)"
	put "${key}_p99_ms" "$(awk '{ print $1 }' "$f" | pct 99)"
	put "${key}_max_ms" "$(awk '{ print $1 }' "$f" | pct 100)"
	put "${key}_csi_p50_ms" "$(awk '{ print $2 }' "$f" | pct 50)"
	put "${key}_csi_p99_ms" "$(awk '{ print $2 }' "$f" | pct 99)"
	# the stages, from the whole probe line (bench_amf's fields)
	local stage
	for stage in started registered open; do
		n=$(while read -r line; do kv "$line" "${stage}_ms"; done <"$f" |
			awk '$1 >= 0' | pct 50)
		[ -n "$n" ] && put "${key}_${stage}_p50_ms" "$n"
	done
	# saMsgQueueOpen calls the new active needed (more than 1: BUSY, the
	# dead opener's queue not closed yet)
	put "${key}_open_tries_max" "$(while read -r line; do kv "$line" open_tries; done <"$f" | pct 100)"
	put "${key}_open_busy_trials" "$(while read -r line; do kv "$line" open_tries; done <"$f" | awk '$1 > 1' | wc -l)"
}

# amf_trials KEY SG N: N kills of SG's active component (restart in place or
# SU failover, as the model says), each timed by bench_amf.
amf_trials() {
	local key=$1 sg=$2 n=$3 k out f=$BD/trials.$1 bad=0
	: >"$f"
	for k in $(seq 1 "$n"); do
		if ! wait_until 30 pair_ready "$sg"; then
			missed "$key: trial $k: $sg has no ACTIVE + STANDBY pair after 30 s: $(cat "$CS/${sg}"*.state)" \
				"${key}_p50_ms" "${key}_p99_ms"
			return 1
		fi
		sleep 0.2	# let the previous trial's tail (standby, consume) settle
		pair_ready "$sg" || { wait_until 30 pair_ready "$sg" || continue; }
		if ! out=$(node_exec "$ACT_NODE" "$BENCH_BINDIR/bench_amf" probe --queue "bench.$sg" \
			--kill "$ACT_PID" --trial "$k" 2>&1); then
			bad=$(( bad + 1 ))
			blog "$key: trial $k failed: $out"
			[ "$bad" -lt 3 ] && continue
			missed "$key: 3 trials failed, the last: $out" "${key}_p50_ms" "${key}_p99_ms"
			return 1
		fi
		echo "$(kv "$out" recovered_ms) $(kv "$out" csi_ms) $(kv "$out" recv_ms) $(kv "$out" node) $out" >>"$f"
	done
	amf_stats "$key" "$f"
	[ "$bad" = 0 ] || FAILED+=("$key: $bad of $n trials failed (not counted)")
	blog "$key: p50 ${R[${key}_p50_ms]} ms, p99 ${R[${key}_p99_ms]} ms over ${R[${key}_trials]} trials"
}

# corosync_formed_ms NODE T0_NS: ms from T0 to the first "A new membership"
# line after T0 in node NODE's corosync.log (timestamp hires).
corosync_formed_ms() {
	local f line ts
	f=$(node_dir "$1")/corosync.log
	while read -r line; do
		ts=$(awk '{ print $1, $2, $3 }' <<<"$line")
		ts=$(date -d "$ts" +%s%N 2>/dev/null) || continue
		if [ "$ts" -ge "$2" ]; then
			calc "($ts - $2) / 1e6"
			return 0
		fi
	done < <(grep 'A new membership' "$f")
	return 1
}

# safd_left_ms OBSERVER NODE T0_NS: ms from T0 to the cluster log's last
# "left" event of NODE (the time safd put on it).
safd_left_ms() {
	local t
	t=$(safd_status "$1" | jq -r --argjson n "$2" \
		'[.events[] | select(.event == "left" and .nodeid == $n)] | last | .time_ms // empty')
	[ -n "$t" ] || return 1
	calc "$t - $3 / 1e6"
}

# nf_trials KEY N: N node failovers of the nf SG; the probe runs on node 3.
nf_trials() {
	local key=$1 n=$2 k out f=$BD/trials.$1 t0 cs sl obs=3
	: >"$f"
	for k in $(seq 1 "$n"); do
		if ! wait_until 60 pair_ready nf; then
			missed "$key: trial $k: no ACTIVE + STANDBY pair after 60 s" "${key}_p50_ms" "${key}_p99_ms"
			return 1
		fi
		sleep 0.5
		local an=$ACT_NODE sn=$SBY_NODE
		t0=${EPOCHREALTIME/[.,]/}000
		node_kill "$an" >/dev/null 2>&1 || { missed "$key: cannot kill node $an" "${key}_p50_ms"; return 1; }
		if ! out=$(node_exec "$obs" "$BENCH_BINDIR/bench_amf" probe --queue bench.nf \
			--t0-ns "$t0" --trial "$k" --timeout 30 2>&1); then
			missed "$key: trial $k: $out" "${key}_p50_ms" "${key}_p99_ms"
			return 1
		fi
		cs=$(corosync_formed_ms "$sn" "$t0") || cs=
		sl=$(safd_left_ms "$obs" "$an" "$t0") || sl=
		echo "$(kv "$out" recovered_ms) $(kv "$out" csi_ms) $(kv "$out" recv_ms) ${cs:--} ${sl:--}" >>"$f"
		blog "$key: trial $k: node $an killed; new active on node $(kv "$out" node) after $(kv "$out" recovered_ms) ms (corosync membership ${cs:-?} ms, safd 'left' ${sl:-?} ms)"
		node_start "$an" >/dev/null 2>&1 || { missed "$key: node $an did not come back" "${key}_p50_ms"; return 1; }
	done
	amf_stats "$key" "$f"
	put "${key}_corosync_p50_ms" "$(awk '$4 != "-" { print $4 }' "$f" | pct 50)"
	put "${key}_corosync_p99_ms" "$(awk '$4 != "-" { print $4 }' "$f" | pct 99)"
	put "${key}_safd_left_p50_ms" "$(awk '$5 != "-" { print $5 }' "$f" | pct 50)"
	# ours: from corosync's new membership to the new active serving
	put "${key}_ours_p50_ms" "$(awk '$4 != "-" { print $1 - $4 }' "$f" | pct 50)"
	put "${key}_ours_p99_ms" "$(awk '$4 != "-" { print $1 - $4 }' "$f" | pct 99)"
	blog "$key: p50 ${R[${key}_p50_ms]} ms, p99 ${R[${key}_p99_ms]} ms over ${R[${key}_trials]} trials"
}

# token + consensus as the running corosync has them.
corosync_timeouts() {
	local tok cons
	tok=$(node_exec 1 corosync-cmapctl -g runtime.config.totem.token 2>/dev/null | awk '{ print $NF }')
	cons=$(node_exec 1 corosync-cmapctl -g runtime.config.totem.consensus 2>/dev/null | awk '{ print $NF }')
	put corosync_token_ms "${tok:-}"
	put corosync_consensus_ms "${cons:-}"
}

# fresh_cluster N: stop whatever runs, forget its logs, start N nodes.
fresh_cluster() {
	cluster_stop >/dev/null 2>&1
	rm -rf "$HARNESS_DIR"/node* "$CS"/*.state
	cluster_start "$1" || fail "bench: a $1-node cluster did not start"
}

on() {
	case ",$ONLY," in *",$1,"*) return 0 ;; esac
	return 1
}

T_START=$(harness_now_ms)
put load_avg_start "$(awk '{ print $1 }' /proc/loadavg)"

# ========================================================== 3 nodes: c3
if on c3 || on amf; then
	blog "=== 3 nodes: MSG, raw ceilings, component restart, SU failover"
	amf_config bench-amf.xml 3 || fail "bench: bench-amf.xml does not check"
	fresh_cluster 3
	corosync_timeouts
	put_rss safd_rss_idle 1
fi
if on c3; then
	cpu_idle 2
	put_rss safd_rss_idle_node3 3
	for size in $SIZES; do
		t=$(size_tag "$size")
		CPU=$( [ "$size" = 1024 ] && echo 1) msg_thr "msg_local_$t" 1 1 "$size"
		CPU=$( [ "$size" = 1024 ] && echo 1) msg_thr "msg_cross_$t" 1 2 "$size"
	done
	CPU=1 msg_thr msg_local_1k_async 1 1 1024 --async --window 32
	CPU=1 msg_thr msg_cross_1k_async 1 2 1024 --async --window 32
	msg_thr msg_local_1k_4threads 1 1 1024 --threads 4
	msg_thr msg_cross_1k_4threads 1 2 1024 --threads 4
	for size in $SIZES; do
		t=$(size_tag "$size")
		msg_rtt "msg_local_${t}_rtt" 1 1 "$size"
		msg_rtt "msg_cross_${t}_rtt" 1 2 "$size"
	done
	for size in $SIZES; do
		t=$(size_tag "$size")
		CPU=$( [ "$size" = 1024 ] && echo 1) cpg_thr "cpg_cross_$t" 1 2 "$size"
		CPU=$( [ "$size" = 1024 ] && echo 1) cpg_thr "cpg_cross_${t}_sync" 1 2 "$size" --sync
		local_raw "qbipc_$t" 1 bench_qbipc oneway "$size"
		local_raw "qbipc_${t}_rtt" 1 bench_qbipc rtt "$size"
		local_raw "mq_$t" 1 bench_mq oneway "$size"
		local_raw "mq_${t}_rtt" 1 bench_mq rtt "$size"
		ratio "msg_local_${t}_ratio_qb_ipc" "msg_local_${t}_msgs_per_s" "qbipc_${t}_msgs_per_s"
		ratio "msg_cross_${t}_ratio_cpg" "msg_cross_${t}_msgs_per_s" "cpg_cross_${t}_msgs_per_s"
		ratio "msg_cross_${t}_ratio_cpg_sync" "msg_cross_${t}_msgs_per_s" \
			"cpg_cross_${t}_sync_msgs_per_s"
		ratio "msg_local_${t}_rtt_p50_ratio_qb_ipc" "msg_local_${t}_rtt_p50_us" "qbipc_${t}_rtt_p50_us"
	done
	# what a client session costs before its first answer (see the
	# analysis in BENCHMARKS.md: AMF restarts pay it)
	if out=$(node_exec 1 "$BENCH_BINDIR/bench_msg" session bench.none --count "$SESSIONS" 2>&1); then
		for k in init_p50_us init_p99_us first_p50_us first_p99_us p50_us p99_us; do
			put "msg_session_$k" "$(kv "$out" "$k")"
		done
		blog "client session: initialize p50 $(kv "$out" init_p50_us) us, first request p50 $(kv "$out" first_p50_us) us"
	else
		missed "session: $out" msg_session_p50_us
	fi
	for b in 1114112:1m 131072:128k 65536:64k; do
		if out=$(node_exec 1 "$BENCH_BINDIR/bench_qbipc" --mode connect --buffer "${b%%:*}" \
			--count "$SESSIONS" 2>&1); then
			put "qbipc_connect_${b#*:}_p50_us" "$(kv "$out" connect_p50_us)"
			put "qbipc_connect_${b#*:}_p99_us" "$(kv "$out" connect_p99_us)"
		else
			missed "qbipc connect: $out" "qbipc_connect_${b#*:}_p50_us"
		fi
	done
fi
if on amf; then
	tt=$(totem_trouble_snap)
	amf_trials amf_comp_restart rst "$TRIALS"
	totem_trouble_put amf_comp_restart "$tt"
	tt=$(totem_trouble_snap)
	amf_trials amf_su_failover fo "$TRIALS"
	totem_trouble_put amf_su_failover "$tt"
	put_rss safd_rss_after_amf 1
fi

# ========================================================== 1 node: c1
if on c1; then
	blog "=== 1 node: memory, queue scaling"
	no_amf
	fresh_cluster 1
	put_rss safd_rss_idle_1node 1
	msg_thr scale_n1_local_1k 1 1 1024
	# K queues, the sender round robin, the receiver by the received
	# callback (also for K = 1, so that the points compare)
	for k in $QUEUE_POINTS; do
		RECV_ARGS="--queues $k --callback" msg_thr "scale_q${k}_1k" 1 1 1024 --queues "$k"
	done
	ready=$BD/ready.hold until=$BD/until.hold
	node_exec 1 "$BENCH_BINDIR/bench_msg" hold bench.hold --queues 1000 --ready "$ready" \
		--until "$until" --timeout 300 >"$BD/out.hold" 2>&1 &
	hp=$!
	if wait_until 120 test -e "$ready"; then
		put_rss safd_rss_1000_queues 1
		put msg_open_1000_queues_ms "$(kv "$(cat "$BD/out.hold")" open_ms)"
		blog "1000 open queues: RSS ${R[safd_rss_1000_queues_kb]} kB"
	else
		missed "hold 1000 queues: $(cat "$BD/out.hold")" safd_rss_1000_queues_kb
	fi
	touch "$until"
	wait "$hp"
	rss_read 1
	rss0=$RSS_VM
	if node_exec 1 "$BENCH_BINDIR/bench_msg" create bench.fill --area 268435456 >/dev/null &&
	   out=$(node_exec 1 "$BENCH_BINDIR/bench_msg" send bench.fill --size 1024 --count "$FILL" \
		--threads 4 --duration 900 --area 268435456 --timeout 900 2>&1) &&
	   st=$(node_exec 1 "$BENCH_BINDIR/bench_msg" status bench.fill 2>&1); then
		# the END message is one more
		put msg_fill_count "$(( $(kv "$st" messages) - 1 ))"
		put msg_fill_msgs_per_s "$(kv "$out" msgs_per_s)"
		put_rss safd_rss_queued 1
		# what the fill added, from just before it
		if [ -n "$rss0" ] && [ "${R[msg_fill_count]}" -gt 0 ]; then
			put safd_rss_per_queued_msg_b "$(calc "int((${R[safd_rss_queued_kb]} - $rss0) * 1024 / ${R[msg_fill_count]})")"
		fi
		blog "$FILL queued 1 KiB messages: RSS ${R[safd_rss_queued_kb]} kB (filled at $(kv "$out" msgs_per_s) msg/s, 4 threads)"
	else
		missed "fill: $out $st" safd_rss_queued_kb
	fi
fi

# ========================================================== 2 nodes: c2
if on c2; then
	blog "=== 2 nodes: throughput"
	no_amf
	fresh_cluster 2
	msg_thr scale_n2_local_1k 1 1 1024
	msg_thr scale_n2_cross_1k 1 2 1024
fi

# ========================================================== journal: j3
# The same sends as msg_local_1k / msg_cross_1k (to a persistent queue),
# every node writing its journal: flushed at each commit, then not.
if on j3; then
	blog "=== 3 nodes with journals: what the disk costs"
	for mode in sync:yes nosync:no; do
		HARNESS_SAFD_ARGS="--journal journal --journal-sync ${mode#*:}"
		export HARNESS_SAFD_ARGS
		fresh_cluster 3
		msg_thr "msg_journal_${mode%%:*}_local_1k" 1 1 1024
		msg_thr "msg_journal_${mode%%:*}_cross_1k" 1 2 1024
		msg_thr "msg_journal_${mode%%:*}_cross_1k_4threads" 1 2 1024 --threads 4
		ratio "msg_journal_${mode%%:*}_cross_1k_4threads_ratio_memory" \
			"msg_journal_${mode%%:*}_cross_1k_4threads_msgs_per_s" \
			msg_cross_1k_4threads_msgs_per_s
		ratio "msg_journal_${mode%%:*}_local_1k_ratio_memory" \
			"msg_journal_${mode%%:*}_local_1k_msgs_per_s" msg_local_1k_msgs_per_s
		ratio "msg_journal_${mode%%:*}_cross_1k_ratio_memory" \
			"msg_journal_${mode%%:*}_cross_1k_msgs_per_s" msg_cross_1k_msgs_per_s
	done
	no_amf
fi

# ========================================================== node failover
if on nf3; then
	blog "=== 3 nodes: node failover"
	amf_config bench-node-failover.xml 3 || fail "bench: bench-node-failover.xml does not check"
	fresh_cluster 3
	corosync_timeouts
	nf_trials amf_node_failover "$NF_TRIALS"
fi
if on nf5; then
	blog "=== 5 nodes: throughput, node failover"
	amf_config bench-node-failover.xml 5 || fail "bench: bench-node-failover.xml (5 nodes) does not check"
	fresh_cluster 5
	msg_thr scale_n5_local_1k 1 1 1024
	msg_thr scale_n5_cross_1k 1 2 1024
	nf_trials scale_n5_node_failover "$NF5_TRIALS"
fi
cluster_stop >/dev/null 2>&1
put load_avg_end "$(awk '{ print $1 }' /proc/loadavg)"
put bench_seconds "$(( ($(harness_now_ms) - T_START) / 1000 ))"

# ================================================================== output
. "$BENCH_SRC/report.sh"
bench_report
if [ -n "$JSON" ]; then
	bench_json | jq . >"$JSON" || fail "bench: cannot write $JSON"
	echo "bench: figures written to $JSON" >&2
fi
if [ ${#FAILED[@]} -gt 0 ]; then
	echo "bench: ${#FAILED[@]} figure(s) could not be measured:" >&2
	printf '  %s\n' "${FAILED[@]}" >&2
	exit 1
fi
exit 0
