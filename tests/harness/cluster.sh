# tests/harness/cluster.sh -- private multi-node corosync + safd clusters.
#
# A bash library for integration tests.  A test script starts with
#
#	. "$(dirname "$0")/../harness/cluster.sh"
#	harness_enter "$@"
#
# harness_enter re-executes the script through tests/harness/in-ns (private
# user + network + mount + pid namespaces, no root needed) unless it already
# runs there, then sets up traps and the per-run directory.  See README.md
# in this directory for the API, the layout and how to debug a failure.
#
# Layout: the test script runs in the "hub" namespaces created by in-ns; the
# hub holds bridge $HARNESS_BRIDGE.  Node i lives in its own net + mount + pid
# namespaces (pid 1 is a small bash "init"), reached through veth pair
# vh<i> (hub side, on the bridge) / eth0 (node side, $HARNESS_NET.<i>/24).
# Each node has private tmpfs on /run, /var/run, /dev/shm, /var/lib/corosync
# and /var/log/corosync, runs one corosync (knet) and one safd, and keeps its
# files in $HARNESS_DIR/node<i>/.

# ---------------------------------------------------------------- settings
HARNESS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PATH=$PATH:/usr/sbin:/sbin
export PATH

: "${HARNESS_NET:=10.77.0}"		# node i has address $HARNESS_NET.i/24
: "${HARNESS_BRIDGE:=hbr0}"
: "${HARNESS_TOKEN:=1000}"		# totem token, ms (as in shipped configs)
: "${HARNESS_TOKEN_COEFFICIENT:=0}"	# see README.md: keeps the token at 1000 ms for N >= 3
: "${HARNESS_POLL:=0.05}"		# polling interval of wait_until, s
: "${HARNESS_START_TIMEOUT:=20}"	# bound for one node to become ready, s
: "${HARNESS_STOP_TIMEOUT:=5}"		# bound for a graceful safd stop, s
: "${HARNESS_PROBE_TIMEOUT:=3}"		# bound for one probe command (safctl, cfgtool), s
: "${HARNESS_DUMP_LINES:=400}"		# lines per log file in cluster_dump_logs
: "${HARNESS_KEEP:=0}"			# 1: keep $HARNESS_DIR after the test
: "${HARNESS_NO_SAFD:=0}"		# 1: corosync only (harness development)
: "${SAFD_DEBUG:=0}"			# 1: start safd with --debug
: "${HARNESS_COROSYNC_DEBUG:=off}"	# corosync logging debug: on|off|trace
: "${HARNESS_TOTEM_EXTRA:=}"		# more lines for corosync.conf's totem section
: "${HARNESS_SANITIZER_PRINT:=200}"	# lines printed per sanitizer finding
: "${HARNESS_SLOW:=1}"			# timing factor of a slow build (sanitizers: 2), see harness_slow

HARNESS_N=0			# nodes in the corosync nodelist
declare -a _NODE_INIT=()	# node i: pid (hub view) of its pid-namespace init
declare -a _NODE_UNSHARE=()	# node i: pid of the unshare process holding it
declare -a _NODE_SAFD_JOB=()	# node i: pid (hub view) of the nsenter running safd
declare -a _NODE_COROSYNC_JOB=()
declare -a _NODE_CUT=()		# node i: 1 while its link is cut
declare -a _NODE_BOOT=()	# node i: how many times it was booted
declare -a _HARNESS_AT_EXIT=()	# commands (eval'd) run at exit, see harness_at_exit
_HARNESS_T0=
_HARNESS_OWN_DIR=0
_HARNESS_STOPPING=0
_HARNESS_STOP_LATE=		# nodes whose safd outlived cluster_stop's bound

# ---------------------------------------------------------------- utilities
harness_now_ms() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		local t=${EPOCHREALTIME/[.,]/}
		echo $(( t / 1000 ))
	else
		date +%s%3N
	fi
}

# "2.5" -> 2500
_harness_to_ms() {
	local s=$1 int frac
	int=${s%%.*}
	if [ "$int" = "$s" ]; then
		frac=0
	else
		frac=${s#*.}000
		frac=${frac:0:3}
	fi
	echo $(( 10#${int:-0} * 1000 + 10#$frac ))
}

# harness_slow MS: MS times HARNESS_SLOW.  For a tolerance that covers
# process start-up or CPU time, which a sanitizer build multiplies
# (scripts/check-sanitizers sets HARNESS_SLOW=2); not for a deadline that
# safd itself must keep.
harness_slow() {
	echo $(( $1 * HARNESS_SLOW ))
}

harness_log() {
	local now
	now=$(harness_now_ms)
	printf '[harness +%d.%03ds] %s\n' $(( (now - _HARNESS_T0) / 1000 )) \
		$(( (now - _HARNESS_T0) % 1000 )) "$*" >&2
}

# fail MSG: report a test failure and exit 1 (the EXIT trap dumps the logs).
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# skip MSG: report a SKIP loudly and exit 77.
skip() {
	echo "SKIP: $*" >&2
	exit 77
}

# wait_until TIMEOUT CMD...: run CMD every $HARNESS_POLL s until it succeeds
# (return 0) or TIMEOUT seconds (may be fractional) have passed (return 1).
# CMD runs at least once.
wait_until() {
	local timeout_ms deadline
	timeout_ms=$(_harness_to_ms "$1")
	shift
	deadline=$(( $(harness_now_ms) + timeout_ms ))
	while :; do
		if "$@"; then
			return 0
		fi
		if [ "$(harness_now_ms)" -ge "$deadline" ]; then
			return 1
		fi
		sleep "$HARNESS_POLL"
	done
}

_harness_check_node() {
	case $1 in
	''|*[!0-9]*) echo "harness: bad node index '$1'" >&2; return 1 ;;
	esac
	if [ "$1" -lt 1 ] || [ "$1" -gt "$HARNESS_N" ]; then
		echo "harness: node $1 is not in the cluster (1..$HARNESS_N)" >&2
		return 1
	fi
}

node_dir() {
	echo "$HARNESS_DIR/node$1"
}

# node_running I: true if node I's namespaces exist.
node_running() {
	local pid=${_NODE_INIT[$1]:-}
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# node_exec I CMD...: run CMD inside node I (its net, mount and pid
# namespaces), in the current directory, with the current environment.
node_exec() {
	local i=$1
	shift
	if ! node_running "$i"; then
		echo "harness: node_exec: node $i is not running" >&2
		return 125
	fi
	_harness_san_env "$i" nsenter -t "${_NODE_INIT[$i]}" -n -m -p --wd="$PWD" -- "$@"
}

# --------------------------------------------------------- corosync config
# harness_corosync_conf N I: print node I's corosync.conf for an N node cluster.
harness_corosync_conf() {
	local n=$1 i=$2 j dir
	dir=$(node_dir "$i")
	cat <<EOF
# generated by tests/harness/cluster.sh for node $i of $n
totem {
	version: 2
	cluster_name: safd-harness
	transport: knet
	ip_version: ipv4
	token: $HARNESS_TOKEN
	token_coefficient: $HARNESS_TOKEN_COEFFICIENT
	crypto_cipher: none
	crypto_hash: none
$HARNESS_TOTEM_EXTRA
}

nodelist {
EOF
	for j in $(seq 1 "$n"); do
		cat <<EOF
	node {
		nodeid: $j
		name: node$j
		ring0_addr: $HARNESS_NET.$j
	}
EOF
	done
	cat <<EOF
}

quorum {
	provider: corosync_votequorum
}

logging {
	to_logfile: yes
	logfile: $dir/corosync.log
	to_stderr: no
	to_syslog: no
	timestamp: hires
	fileline: off
	debug: $HARNESS_COROSYNC_DEBUG
}

system {
	state_dir: $dir/state
}
EOF
}

# ------------------------------------------------------------- node pieces
# Body of a node's pid-namespace init.  $1 = node dir.  Prints nothing;
# writes its pid as seen from the hub to $1/init.pid once the node's mounts
# are private, then idles (reaping orphans) until killed.
_HARNESS_INIT='set -e
nd=$1
# /proc is still the hub'"'"'s: this is our pid as the hub sees it.
read -r hubpid _ < /proc/self/stat
mount -t proc proc /proc
mount -t tmpfs -o mode=0755 harness-run /run
if [ ! -L /var/run ]; then mount -t tmpfs -o mode=0755 harness-varrun /var/run; fi
mount -t tmpfs -o mode=1777 harness-shm /dev/shm
for d in /var/lib/corosync /var/log/corosync /var/log/cluster /var/lib/safd /var/run/safd; do
	if [ -d "$d" ] && [ ! -L "$d" ]; then mount -t tmpfs -o mode=0755 harness-state "$d"; fi
done
ip link set lo up
echo "$hubpid" > "$nd/init.pid.tmp"
mv "$nd/init.pid.tmp" "$nd/init.pid"
set +e
trap "" TERM INT HUP
while :; do sleep 3600 & wait $!; done'

# _node_boot_ns I: create node I's namespaces and wire it to the bridge.
_node_boot_ns() {
	local i=$1 nd pid
	nd=$(node_dir "$i")
	mkdir -p "$nd/state"
	rm -f "$nd/init.pid" "$nd"/*.pid
	_NODE_BOOT[$i]=$(( ${_NODE_BOOT[$i]:-0} + 1 ))
	(
		unshare -n -m -p --fork --propagation private \
			bash -c "$_HARNESS_INIT" "node$i-init" "$nd" \
			</dev/null >>"$nd/init.out" 2>&1
		rc=$?
		exit $rc
	) 2>/dev/null &
	_NODE_UNSHARE[$i]=$!
	if ! wait_until 5 _node_init_up_or_dead "$i" || [ ! -s "$nd/init.pid" ]; then
		cat "$nd/init.out" >&2
		echo "harness: node $i: namespace init did not come up" >&2
		return 1
	fi
	pid=$(<"$nd/init.pid")
	_NODE_INIT[$i]=$pid
	# For a human in harness_debug_shell.
	printf '#!/bin/bash\n# enter node %s of the running test cluster\nexec nsenter -t %s -n -m -p --wd="$PWD" -- "${@:-bash}"\n' \
		"$i" "$pid" >"$nd/enter"
	chmod +x "$nd/enter"

	# A killed node's veth may still be on its way out with its netns.
	ip link del "vh$i" 2>/dev/null
	if ! wait_until 5 _harness_link_absent "vh$i"; then
		echo "harness: node $i: old link vh$i does not go away" >&2
		return 1
	fi
	ip link add "vh$i" type veth peer name eth0 netns "$pid" || return 1
	ip link set "vh$i" master "$HARNESS_BRIDGE" up || return 1
	node_exec "$i" ip addr add "$HARNESS_NET.$i/24" dev eth0 || return 1
	node_exec "$i" ip link set eth0 up || return 1
}

_node_init_up_or_dead() {
	[ -s "$(node_dir "$1")/init.pid" ] || _harness_pid_gone "${_NODE_UNSHARE[$1]}"
}

_harness_link_absent() {
	! ip link show "$1" >/dev/null 2>&1
}

# _node_spawn I NAME CMD...: start CMD in node I in the background, in the node
# dir, stdout+stderr appended to NAME.out; its pid (node view) goes to NAME.pid.
# Prints nothing; sets _NODE_LAST_JOB to the hub pid of the nsenter holding it.
_node_spawn() {
	local i=$1 name=$2 nd
	shift 2
	nd=$(node_dir "$i")
	rm -f "$nd/$name.pid"
	echo "=== $(date '+%F %T') $*" >>"$nd/$name.out"
	# The subshell keeps bash from printing "Killed" notices when nodes die.
	(
		_harness_san_env "$i" \
		nsenter -t "${_NODE_INIT[$i]}" -n -m -p --wd="$nd" -- \
			bash -c 'echo $$ > "$0"; exec "$@"' "$nd/$name.pid" "$@" \
			</dev/null >>"$nd/$name.out" 2>&1
		rc=$?
		exit $rc
	) 2>/dev/null &
	_NODE_LAST_JOB=$!
}

_node_corosync_up() {
	node_exec "$1" timeout "$HARNESS_PROBE_TIMEOUT" corosync-cfgtool -s >/dev/null 2>&1
}

_node_start_corosync() {
	local i=$1 nd
	nd=$(node_dir "$i")
	harness_corosync_conf "$HARNESS_N" "$i" >"$nd/corosync.conf"
	_node_spawn "$i" corosync "$COROSYNC" -f -c "$nd/corosync.conf"
	_NODE_COROSYNC_JOB[$i]=$_NODE_LAST_JOB
}

_node_wait_corosync() {
	local i=$1
	if ! wait_until "$HARNESS_START_TIMEOUT" _node_corosync_up "$i"; then
		echo "harness: node $i: corosync not ready after ${HARNESS_START_TIMEOUT}s" >&2
		return 1
	fi
}

_node_start_safd() {
	local i=$1 nd
	nd=$(node_dir "$i")
	local -a args=(-f -l "$nd/safd.log")
	mkdir -p "$nd/safd-state"
	if [ "$SAFD_DEBUG" = 1 ]; then
		args+=(--debug)
	fi
	# shellcheck disable=SC2206
	args+=(${HARNESS_SAFD_ARGS:-})
	_node_spawn "$i" safd env SAFD_STATE_DIR="$nd/safd-state" "$SAFD" "${args[@]}"
	_NODE_SAFD_JOB[$i]=$_NODE_LAST_JOB
}

# node_safd_alive I: true if the safd the harness started on node I still runs.
node_safd_alive() {
	local job=${_NODE_SAFD_JOB[$1]:-}
	[ -n "$job" ] && kill -0 "$job" 2>/dev/null
}

_node_safd_alive() {
	node_safd_alive "$@"
}

_node_safd_synced() {
	safd_status "$1" 2>/dev/null | jq -e '.synced == true' >/dev/null 2>&1
}

_node_safd_ready_or_dead() {
	_node_safd_synced "$1" || ! _node_safd_alive "$1"
}

_node_wait_safd() {
	local i=$1
	# The second probe may miss once on a loaded machine: it gets a few
	# seconds of its own rather than failing on one slow safctl.
	if ! wait_until "$HARNESS_START_TIMEOUT" _node_safd_ready_or_dead "$i" ||
	   ! wait_until "$HARNESS_PROBE_TIMEOUT" _node_safd_synced "$i"; then
		if _node_safd_alive "$i"; then
			echo "harness: node $i: safd not synced after ${HARNESS_START_TIMEOUT}s" >&2
		else
			echo "harness: node $i: safd exited during startup" >&2
		fi
		return 1
	fi
}

# ------------------------------------------------------------- status helpers
# safd_status I: print node I's `safctl status --json` (bounded in time).
safd_status() {
	node_exec "$1" timeout "$HARNESS_PROBE_TIMEOUT" "$SAFCTL" status --json
}

# safd_member_count I: number of nodes with "member": true in node I's view.
safd_member_count() {
	safd_status "$1" | jq -e '[.nodes[] | select(.member == true)] | length'
}

# safd_events I: node I's cluster log, one compact JSON array of
# {seq, time, event, nodeid}, for comparing the logs of two nodes.
safd_events() {
	safd_status "$1" | jq -c '[.events[] | {seq, time, event, nodeid}]'
}

# corosync_member_count I: number of members in node I's corosync membership.
corosync_member_count() {
	node_exec "$1" timeout "$HARNESS_PROBE_TIMEOUT" corosync-cmapctl -b runtime.members |
		grep -c '\.status (str) = joined$'
}

# corosync_quorate I: true if node I's votequorum says quorate.
corosync_quorate() {
	node_exec "$1" timeout "$HARNESS_PROBE_TIMEOUT" corosync-quorumtool -s 2>/dev/null |
		grep -q '^Quorate: *Yes'
}

_harness_members_is() {
	local i=$1 want=$2 got
	if [ "$HARNESS_NO_SAFD" = 1 ]; then
		got=$(corosync_member_count "$i" 2>/dev/null)
	else
		got=$(safd_member_count "$i" 2>/dev/null)
	fi
	[ "$got" = "$want" ]
}

# wait_for_members I COUNT TIMEOUT: wait until node I's safd reports exactly
# COUNT nodes with "member": true (corosync's count if HARNESS_NO_SAFD=1).
wait_for_members() {
	local i=$1 want=$2 timeout=$3
	if wait_until "$timeout" _harness_members_is "$i" "$want"; then
		return 0
	fi
	echo "harness: node $i: not $want members after ${timeout}s" >&2
	return 1
}

# wait_for_members_all COUNT TIMEOUT I...: wait until each of nodes I...
# reports COUNT members (as wait_for_members); the nodes are polled in
# parallel.  Sets HARNESS_SEEN_AT[I] to the time (harness_now_ms) node I was
# first seen with COUNT members (the end of that probe, so an upper bound),
# so a test can time each node from one start point.
declare -a HARNESS_SEEN_AT=()
wait_for_members_all() {
	local want=$1 timeout=$2 i rc=0 f
	local -a jobs=()
	shift 2
	f=$(mktemp "$HARNESS_DIR/.seen.XXXXXX") || return 1
	for i in "$@"; do
		HARNESS_SEEN_AT[$i]=
		(
			if wait_until "$timeout" _harness_members_is "$i" "$want"; then
				echo "$i $(harness_now_ms)" >>"$f"
			fi
		) &
		jobs+=($!)
	done
	wait "${jobs[@]}"
	while read -r i t; do
		HARNESS_SEEN_AT[$i]=$t
	done <"$f"
	rm -f "$f"
	for i in "$@"; do
		if [ -z "${HARNESS_SEEN_AT[$i]}" ]; then
			echo "harness: node $i: not $want members after ${timeout}s" >&2
			rc=1
		fi
	done
	return "$rc"
}

_harness_corosync_members_is() {
	[ "$(corosync_member_count "$1" 2>/dev/null)" = "$2" ]
}

# _harness_reachable_nodes: number of running nodes with a running corosync
# and a link that is not cut.
_harness_reachable_nodes() {
	local i n=0 job
	for i in $(seq 1 "$HARNESS_N"); do
		job=${_NODE_COROSYNC_JOB[$i]:-}
		if node_running "$i" && [ "${_NODE_CUT[$i]:-0}" != 1 ] &&
		   [ -n "$job" ] && kill -0 "$job" 2>/dev/null; then
			n=$(( n + 1 ))
		fi
	done
	echo "$n"
}

# --------------------------------------------------------------- node control
# node_start I [--unsynced]: start node I (or restart it after node_kill):
# fresh namespaces, corosync, safd.  Returns once node I's corosync has
# merged with every running node whose link is not cut, and then its safd is
# synced (--unsynced: answers `safctl status`, synced or not).
node_start() {
	local i=$1 unsynced=${2:-} want
	_harness_check_node "$i" || return 1
	if node_running "$i"; then
		echo "harness: node_start: node $i is already running" >&2
		return 1
	fi
	harness_log "node $i: starting"
	_node_boot_ns "$i" || return 1
	_node_start_corosync "$i"
	_node_wait_corosync "$i" || return 1
	# Let corosync merge with the running nodes first, so that safd joins
	# the cluster rather than forming a cluster of its own for a moment.
	want=$(_harness_reachable_nodes)
	if ! wait_until "$HARNESS_START_TIMEOUT" _harness_corosync_members_is "$i" "$want"; then
		echo "harness: node $i: corosync does not see the $want running nodes" >&2
		return 1
	fi
	if [ "$HARNESS_NO_SAFD" != 1 ]; then
		_node_start_safd "$i"
		if [ "$unsynced" = --unsynced ]; then
			wait_until "$HARNESS_START_TIMEOUT" _node_safd_answers_or_dead "$i" &&
				_node_safd_alive "$i" || {
				echo "harness: node $i: safd does not answer" >&2
				return 1
			}
		else
			_node_wait_safd "$i" || return 1
		fi
	fi
	harness_log "node $i: ready"
}

_node_safd_answers_or_dead() {
	safd_status "$1" >/dev/null 2>&1 || ! _node_safd_alive "$1"
}

# node_kill I: SIGKILL every process of node I at once (through its
# pid-namespace init); its veth and addresses vanish with the namespace.
node_kill() {
	local i=$1 up
	_harness_check_node "$i" || return 1
	if ! node_running "$i"; then
		echo "harness: node_kill: node $i is not running" >&2
		return 1
	fi
	kill -KILL "${_NODE_INIT[$i]}"
	up=${_NODE_UNSHARE[$i]:-}
	if [ -n "$up" ]; then
		wait_until 5 _harness_pid_gone "$up" ||
			echo "harness: node $i: unshare $up still there" >&2
		wait "$up" 2>/dev/null
	fi
	_harness_reap "${_NODE_SAFD_JOB[$i]:-}" "${_NODE_COROSYNC_JOB[$i]:-}"
	_NODE_INIT[$i]=
	_NODE_UNSHARE[$i]=
	_NODE_SAFD_JOB[$i]=
	_NODE_COROSYNC_JOB[$i]=
	_NODE_CUT[$i]=
	harness_log "node $i: killed"
}

_harness_pid_gone() {
	! kill -0 "$1" 2>/dev/null
}

# _harness_reap PID...: collect exited background jobs (bounded).
_harness_reap() {
	local p
	for p in "$@"; do
		[ -n "$p" ] || continue
		wait_until 5 _harness_pid_gone "$p" && wait "$p" 2>/dev/null
	done
	return 0
}

_node_signal_safd() {
	local i=$1 sig=$2 pid
	pid=$(cat "$(node_dir "$i")/safd.pid" 2>/dev/null)
	[ -n "$pid" ] || return 1
	node_exec "$i" kill "-$sig" "$pid" 2>/dev/null
}

# node_stop_safd I: SIGTERM node I's safd, wait (bounded) for it to exit,
# SIGKILL it if it does not.  Returns safd's exit status (1 if killed).
node_stop_safd() {
	local i=$1 job rc
	_harness_check_node "$i" || return 1
	job=${_NODE_SAFD_JOB[$i]:-}
	if ! _node_safd_alive "$i"; then
		echo "harness: node_stop_safd: safd on node $i is not running" >&2
		return 1
	fi
	_node_signal_safd "$i" TERM
	if ! wait_until "$HARNESS_STOP_TIMEOUT" _harness_pid_gone "$job"; then
		echo "harness: node $i: safd ignored SIGTERM for ${HARNESS_STOP_TIMEOUT}s, killing it" >&2
		_node_signal_safd "$i" KILL
		_harness_reap "$job"
		_NODE_SAFD_JOB[$i]=
		return 1
	fi
	wait "$job"
	rc=$?
	_NODE_SAFD_JOB[$i]=
	harness_log "node $i: safd stopped (exit $rc)"
	return "$rc"
}

# node_kill_safd I: SIGKILL node I's safd only.
node_kill_safd() {
	local i=$1 job
	_harness_check_node "$i" || return 1
	job=${_NODE_SAFD_JOB[$i]:-}
	if ! _node_safd_alive "$i"; then
		echo "harness: node_kill_safd: safd on node $i is not running" >&2
		return 1
	fi
	_node_signal_safd "$i" KILL
	_harness_reap "$job"
	_NODE_SAFD_JOB[$i]=
	harness_log "node $i: safd killed"
}

# node_stop_corosync I: SIGTERM node I's corosync (safd stays), wait for it to
# exit (bounded), SIGKILL it if it does not.
node_stop_corosync() {
	local i=$1 job pid
	_harness_check_node "$i" || return 1
	job=${_NODE_COROSYNC_JOB[$i]:-}
	pid=$(cat "$(node_dir "$i")/corosync.pid" 2>/dev/null)
	if [ -z "$job" ] || [ -z "$pid" ] || ! kill -0 "$job" 2>/dev/null; then
		echo "harness: node_stop_corosync: corosync on node $i is not running" >&2
		return 1
	fi
	node_exec "$i" kill -TERM "$pid"
	if ! wait_until "$HARNESS_STOP_TIMEOUT" _harness_pid_gone "$job"; then
		echo "harness: node $i: corosync ignored SIGTERM for ${HARNESS_STOP_TIMEOUT}s, killing it" >&2
		node_exec "$i" kill -KILL "$pid"
	fi
	_harness_reap "$job"
	_NODE_COROSYNC_JOB[$i]=
	harness_log "node $i: corosync stopped"
}

# node_start_safd I: (re)start safd on a running node and wait until synced.
node_start_safd() {
	local i=$1
	_harness_check_node "$i" || return 1
	if _node_safd_alive "$i"; then
		echo "harness: node_start_safd: safd on node $i is already running" >&2
		return 1
	fi
	_node_start_safd "$i"
	_node_wait_safd "$i" || return 1
	harness_log "node $i: safd ready"
}

# link_cut I / link_heal I: take node I's link down / up (hub side of its veth;
# the node keeps its address, its packets go nowhere).
link_cut() {
	_harness_check_node "$1" || return 1
	ip link set "vh$1" down || return 1
	_NODE_CUT[$1]=1
	harness_log "node $1: link cut"
}

link_heal() {
	_harness_check_node "$1" || return 1
	ip link set "vh$1" up || return 1
	_NODE_CUT[$1]=
	harness_log "node $1: link healed"
}

# ------------------------------------------------------------- whole cluster
# cluster_start N [I...]: define an N node cluster (nodelist 1..N) and boot
# nodes I... (default: all).  Returns once every booted node's corosync sees
# all booted nodes, and (unless HARNESS_NO_SAFD=1) every booted safd is
# synced and reports all booted nodes as members.
cluster_start() {
	local n=$1 i
	shift
	local -a boot=("$@")
	case $n in
	''|*[!0-9]*|0) echo "harness: cluster_start: bad node count '$n'" >&2; return 1 ;;
	esac
	if [ "$n" -gt 250 ]; then
		echo "harness: cluster_start: at most 250 nodes" >&2
		return 1
	fi
	if [ ${#boot[@]} -eq 0 ]; then
		mapfile -t boot < <(seq 1 "$n")
	fi
	HARNESS_N=$n
	for i in "${boot[@]}"; do
		_harness_check_node "$i" || return 1
	done
	harness_log "cluster: $n nodes defined, booting: ${boot[*]} (dir $HARNESS_DIR)"
	if ! ip link show "$HARNESS_BRIDGE" >/dev/null 2>&1; then
		ip link add "$HARNESS_BRIDGE" type bridge || return 1
		ip link set "$HARNESS_BRIDGE" up || return 1
	fi
	for i in "${boot[@]}"; do
		_node_boot_ns "$i" || return 1
		_node_start_corosync "$i"
	done
	for i in "${boot[@]}"; do
		_node_wait_corosync "$i" || return 1
	done
	for i in "${boot[@]}"; do
		if ! wait_until "$HARNESS_START_TIMEOUT" _harness_corosync_members_is "$i" ${#boot[@]}; then
			echo "harness: node $i: corosync does not see ${#boot[@]} members" >&2
			return 1
		fi
	done
	harness_log "cluster: corosync membership of ${#boot[@]} formed"
	if [ "$HARNESS_NO_SAFD" = 1 ]; then
		return 0
	fi
	for i in "${boot[@]}"; do
		_node_start_safd "$i"
	done
	for i in "${boot[@]}"; do
		_node_wait_safd "$i" || return 1
	done
	for i in "${boot[@]}"; do
		wait_for_members "$i" ${#boot[@]} "$HARNESS_START_TIMEOUT" || return 1
	done
	harness_log "cluster: ready"
}

# cluster_stop: stop safd gracefully on every node (in parallel, bounded),
# then kill every node.  Safe to call more than once and from traps.
cluster_stop() {
	local i job
	for i in $(seq 1 "$HARNESS_N"); do
		if node_running "$i" && _node_safd_alive "$i"; then
			_node_signal_safd "$i" TERM
		fi
	done
	for i in $(seq 1 "$HARNESS_N"); do
		job=${_NODE_SAFD_JOB[$i]:-}
		[ -n "$job" ] || continue
		if ! wait_until "$HARNESS_STOP_TIMEOUT" _harness_pid_gone "$job"; then
			echo "harness: node $i: safd ignored SIGTERM for ${HARNESS_STOP_TIMEOUT}s" >&2
			_HARNESS_STOP_LATE+=" $i"
		fi
	done
	for i in $(seq 1 "$HARNESS_N"); do
		if node_running "$i"; then
			node_kill "$i" >/dev/null 2>&1
		fi
	done
	ip link del "$HARNESS_BRIDGE" 2>/dev/null
	return 0
}

# cluster_dump_logs: print every node's logs to stderr.
cluster_dump_logs() {
	local nd f
	[ -n "${HARNESS_DIR:-}" ] && [ -d "$HARNESS_DIR" ] || return 0
	{
		echo "==================== cluster logs ($HARNESS_DIR) ===================="
		for nd in "$HARNESS_DIR"/node*; do
			[ -d "$nd" ] || continue
			for f in init.out corosync.out corosync.log safd.log safd.out; do
				[ -s "$nd/$f" ] || continue
				if [ "$f" = safd.out ] && [ -s "$nd/safd.log" ]; then
					# safd -f logs to stderr too: show only what is
					# not in safd.log (crash reports, sanitizers...).
					echo "-------------------- ${nd##*/}/$f (lines not in safd.log) --------------------"
					grep -vxF -f "$nd/safd.log" "$nd/$f" | tail -n "$HARNESS_DUMP_LINES"
				else
					echo "-------------------- ${nd##*/}/$f (last $HARNESS_DUMP_LINES lines) --------------------"
					tail -n "$HARNESS_DUMP_LINES" "$nd/$f"
				fi
			done
		done
		echo "==================== end of cluster logs ===================="
	} >&2
}

# harness_debug_shell: on a terminal, open an interactive shell in the hub
# while the cluster is up (a breakpoint; also run on failure when
# HARNESS_DEBUG_SHELL=1).  Returns when the shell exits.
harness_debug_shell() {
	local nd
	if [ ! -t 0 ] || [ ! -t 2 ]; then
		echo "harness: harness_debug_shell needs a terminal" >&2
		return 1
	fi
	{
		echo "harness: debug shell in the hub namespace; the cluster is up."
		echo "  dir:  $HARNESS_DIR   (logs: nodeI/corosync.log, nodeI/safd.log)"
		for nd in "$HARNESS_DIR"/node*; do
			[ -x "$nd/enter" ] && node_running "${nd##*node}" || continue
			echo "  node ${nd##*node}: $nd/enter [CMD...]"
		done
		echo "  e.g.  $HARNESS_DIR/node1/enter \"\$SAFCTL\" status"
		echo "  exit (or ^D) to go on; the test then ends and the cluster is stopped."
	} >&2
	# The test runs with SIGINT ignored (async command): give ^C back.
	PS1='harness> ' env --default-signal=INT,QUIT bash --norc --noprofile -i
	return 0
}

# ------------------------------------------------------------- sanitizers
# With a build configured --with-sanitizers=asan,ubsan (scripts/check-sanitizers)
# every instrumented process of a test -- safd, the components it starts,
# safctl, msg_tool, the check programs -- reports what it finds: a memory
# error or undefined behaviour when it happens, leaks when it exits normally
# (so cluster_stop stops safd with SIGTERM; a node_kill'ed node reports no
# leaks).  Such a report fails the test whatever the test asserted:
#
# - the processes write their reports to files, not to a stderr the test may
#   have captured or discarded: log_path (ASAN_, UBSAN_ and LSAN_OPTIONS,
#   appended to what the caller set) is $HARNESS_DIR/sanitizer/nodeI.B for
#   the processes of boot B of node I (each node has its own pid namespace,
#   so pids alone would collide) and .../hub for the test script's own; the
#   sanitizer adds ".<exe>.<pid>";
# - at exit, after cluster_stop, _harness_sanitizer_findings prints those
#   files and any report in the files under $HARNESS_DIR (safd.out, the
#   components' safd-state/*.log, files a test wrote), and the test fails.
#   That scan is what catches UBSan: with ASan linked in, GCC's UBSan writes
#   to stderr whatever log_path says.
#
# Without sanitizers this costs three environment variables nobody reads.
_HARNESS_SAN_DIR=
_HARNESS_SAN_PATTERN='ERROR: [A-Za-z]*Sanitizer|runtime error:|Sanitizer CHECK failed'

# _harness_san_env I CMD...: run CMD with node I's sanitizer log_path.
_harness_san_env() {
	local lp
	if [ -z "$_HARNESS_SAN_DIR" ]; then
		shift
		"$@"
		return
	fi
	lp="log_path=$_HARNESS_SAN_DIR/node$1.${_NODE_BOOT[$1]:-0}:log_exe_name=1"
	shift
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}$lp" \
	UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}$lp" \
	LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}$lp" \
		"$@"
}

_harness_sanitizer_init() {
	local lp
	_HARNESS_SAN_DIR=$HARNESS_DIR/sanitizer
	mkdir -p "$_HARNESS_SAN_DIR" || exit 99
	# Reports older than this run (a HARNESS_DIR given by the caller) are
	# not this test's.
	: >"$_HARNESS_SAN_DIR/.start"
	lp="log_path=$_HARNESS_SAN_DIR/hub:log_exe_name=1"
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}$lp"
	UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}$lp"
	LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}$lp"
	export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
}

# _harness_sanitizer_findings: print every sanitizer report this test left
# (report files, reports in logs) to stderr; true if there was one.
_harness_sanitizer_findings() {
	local f found=1
	[ -n "$_HARNESS_SAN_DIR" ] && [ -d "$_HARNESS_SAN_DIR" ] || return 1
	while IFS= read -r -d '' f; do
		if [ "${f#"$_HARNESS_SAN_DIR"/}" != "$f" ]; then
			# A report file: all of it is the finding.
			echo "==================== sanitizer report ${f#"$HARNESS_DIR"/} ===================="
			head -n "$HARNESS_SANITIZER_PRINT" "$f"
		elif grep -qaE "$_HARNESS_SAN_PATTERN" "$f"; then
			echo "==================== sanitizer report in ${f#"$HARNESS_DIR"/} ===================="
			grep -aE -A "$HARNESS_SANITIZER_PRINT" "$_HARNESS_SAN_PATTERN" "$f" |
				head -n "$HARNESS_SANITIZER_PRINT"
		else
			continue
		fi
		found=0
	done < <(find "$HARNESS_DIR" -type f -size +0 -newer "$_HARNESS_SAN_DIR/.start" \
		! -name '*.pid' -print0 2>/dev/null)
	return "$found"
} >&2

# ------------------------------------------------------------- entry / exit
_harness_on_exit() {
	local rc=$?
	trap - EXIT
	[ "$_HARNESS_STOPPING" = 1 ] && exit "$rc"
	_HARNESS_STOPPING=1
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
		echo "harness: test failed (exit $rc)" >&2
		cluster_dump_logs
		if [ "${HARNESS_DEBUG_SHELL:-0}" = 1 ] && [ "$rc" -ne 143 ]; then
			harness_debug_shell
		fi
	fi
	# Cleanup is bounded; a second signal (timeout signals the child and
	# then the whole group) must not cut it short.
	trap '' TERM INT HUP
	cluster_stop
	local cmd
	for cmd in "${_HARNESS_AT_EXIT[@]}"; do
		eval "$cmd" || echo "harness: at exit: '$cmd' failed" >&2
	done
	# A safd that does not stop on SIGTERM is a bug, and one killed at the
	# end of cluster_stop never ran its leak check.
	if [ -n "$_HARNESS_STOP_LATE" ]; then
		echo "FAIL: safd did not exit within ${HARNESS_STOP_TIMEOUT}s of SIGTERM on node(s)$_HARNESS_STOP_LATE (killed; no leak check)" >&2
		if [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ]; then
			rc=1
		fi
	fi
	if _harness_sanitizer_findings; then
		echo "FAIL: sanitizer findings (reports above)" >&2
		if [ "$rc" -eq 0 ] || [ "$rc" -eq 77 ]; then
			rc=1
		fi
	fi
	if [ "$HARNESS_KEEP" = 1 ]; then
		echo "harness: kept $HARNESS_DIR" >&2
	elif [ "$_HARNESS_OWN_DIR" = 1 ]; then
		rm -rf "$HARNESS_DIR"
	fi
	exit "$rc"
}

# harness_at_exit CMD: run CMD (a string, eval'd) when the script ends, after
# the cluster has stopped and before $HARNESS_DIR is removed: to undo what
# the script set up there (a mount, say), which rm -rf cannot remove.
harness_at_exit() {
	_HARNESS_AT_EXIT+=("$1")
}

# harness_enter "$@": call first in a test script.  Re-executes the script in
# private namespaces (via in-ns) if needed, checks prerequisites, creates
# $HARNESS_DIR and installs the cleanup traps.
harness_enter() {
	if [ "${HARNESS_IN_NS:-}" != 1 ]; then
		exec "$HARNESS_LIB/in-ns" "$0" "$@"
	fi
	_HARNESS_T0=$(harness_now_ms)

	COROSYNC=${COROSYNC:-$(command -v corosync 2>/dev/null)}
	[ -n "$COROSYNC" ] || skip "corosync is not installed"
	export COROSYNC
	command -v jq >/dev/null 2>&1 || skip "jq is not installed"

	if [ "$HARNESS_NO_SAFD" != 1 ]; then
		local top=${top_builddir:-$HARNESS_LIB/../..}
		: "${SAFD:=$top/services/safd}"
		: "${SAFCTL:=$top/tools/safctl}"
		if [ ! -x "$SAFD" ] || [ ! -x "$SAFCTL" ]; then
			echo "ERROR: safd ($SAFD) or safctl ($SAFCTL) is not built" >&2
			exit 99
		fi
		SAFD=$(cd "$(dirname "$SAFD")" && pwd)/${SAFD##*/}
		SAFCTL=$(cd "$(dirname "$SAFCTL")" && pwd)/${SAFCTL##*/}
		export SAFD SAFCTL
	fi

	if [ -z "${HARNESS_DIR:-}" ]; then
		HARNESS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/safd-harness.XXXXXX") || exit 99
		_HARNESS_OWN_DIR=1
	else
		mkdir -p "$HARNESS_DIR" || exit 99
		HARNESS_DIR=$(cd "$HARNESS_DIR" && pwd)
	fi
	export HARNESS_DIR
	_harness_sanitizer_init

	trap _harness_on_exit EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'echo "harness: SIGTERM: interrupted, or HARNESS_TIMEOUT=${HARNESS_TIMEOUT:-?}s exceeded" >&2; exit 143' TERM
	harness_log "${0##*/}: running in private namespaces, dir $HARNESS_DIR"
}
