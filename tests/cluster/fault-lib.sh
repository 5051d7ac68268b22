# tests/cluster/fault-lib.sh: clients that keep going through faults, and the
# judging of what they saw, for the fault-*.sh cluster tests (issue 5, fault
# injection).  Sourced after msg-lib.sh.
#
# A client here is a loop in the background of the test script that runs
# msg_tool on one node again and again, as an application does that
# re-initializes after an error: every run is a new saMsgInitialize.  So a
# client whose safd died (SA_AIS_ERR_LIBRARY) comes back by itself once a
# safd serves its node again, and its numbering goes on.  Every run leaves
# one line in the client's journal $MSG_DIR/NAME.log:
#	t=<ms, end of the run> node=<I> rc=<exit> <msg_tool's output, one line>
#
# Clients:
#   fault_sender NAME I QUEUE BASE
#	sends chunks of FAULT_CHUNK messages to QUEUE from node I, numbered
#	from BASE on, each chunk its own block of numbers (a chunk that fails
#	leaves the rest of its block unused); TRY_AGAIN, TIMEOUT and
#	QUEUE_FULL are retried for FAULT_SEND_DEADLINE s.  Acknowledged
#	numbers go to $MSG_DIR/NAME.acked.
#   fault_receiver NAME I QUEUE
#	reads QUEUE (persistent) on node I, FAULT_RECV_RUN s a run, every
#	message number to $MSG_DIR/NAME.recv.
#   fault_stop_clients TIMEOUT
#	asks every client to stop after its current run; false if one is
#	still running after TIMEOUT s.
#   fault_flowing TIMEOUT FILE...
#	waits until each $MSG_DIR/FILE (.acked or .recv) grew by 50 lines.
#   fault_served TIMEOUT NAME=LINES...
#	waits until each client NAME's .acked (sender) or .recv (receiver)
#	has LINES lines; FAULT_SERVED[NAME] is the time (ms) each got there.
#   fault_mid_run TIMEOUT SENDER...
#	waits until each SENDER is in the middle of a chunk (its last
#	acknowledged number 5 to 60 into its block), so that a fault injected
#	right after finds it inside a send rather than between two runs.
#
# Faults and judging:
#   fault_mark I  records that a fault hit node I now (FAULT_AT, FAULT_HIT).
#   fault_check_failures NAME...
#	fails the test if a run of a client ended in an error when the last
#	fault before it did not hit the client's node (or before any fault),
#	or if any call returned an error outside FAULT_DOCUMENTED.
#   fault_errors NAME...  the distinct error codes the clients' calls
#	returned: retried ones (last_error) and the ones that ended a run.
#   fault_failed_runs NAME  runs of NAME that ended in an error.
#   fault_first_failure NAME SINCE  end time of NAME's first failed run
#	after SINCE (ms), or nothing.
#   fault_max_stall T0 T1 NAME...  the longest single send (its retries
#	included) in the runs of senders NAME... that ended between T0 and T1.
#   fault_in_doubt NAME  numbers one of whose sends returned LIBRARY or
#	TIMEOUT: unknown whether stored (a sender gives up on a message only
#	on an error it does not retry, or at its deadline; a TIMEOUT it
#	retries may come back as a duplicate).
#   fault_judge RECV ACKED...  compares what was received with what was
#	acknowledged; sets FAULT_ACKED, FAULT_RECEIVED, FAULT_DISTINCT,
#	FAULT_LOST, FAULT_DUPS, FAULT_EXTRA (received, never acknowledged),
#	FAULT_EXTRA_UNEXPLAINED (of those, the ones not in doubt: refused,
#	or nobody sent them), and *_LIST with up to 20 examples.
#   fault_finish QUEUE I RECV SENDER...
#	stops the clients, reads what is left of QUEUE on node I into RECV's
#	log, checks the failures (fault_check_failures) and judges; prints the
#	figures; fails if an acknowledged message was lost or an unexplained
#	one was received.  Duplicates are left to the caller.
#
# Cluster state:
#   fault_queues I  node I's `safctl msg queues --json`, one line.
#   fault_queues_agree  true when every node with a safd prints the same.
#   fault_queue_shape I QUEUE  the attributes of QUEUE in node I's view that
#	neither traffic nor a receiver reopening it change: not the counts,
#	not open/owner (the probes of the nodes are not simultaneous).
#   fault_cluster_agrees QUEUE PARKED I...  true when nodes I... hold the
#	same cluster log, the same PARKED queue (all of it: a queue nobody
#	uses) and the same shape of QUEUE.

: "${FAULT_CHUNK:=100}"
: "${FAULT_RECV_RUN:=3}"
: "${FAULT_SEND_DEADLINE:=20}"
: "${FAULT_CLIENT_LIFE:=110}"	# no client loop outlives this, s
FAULT_STOP=$MSG_DIR/stop
declare -A FAULT_PID=() FAULT_NODE=() FAULT_BASE=() FAULT_SERVED=() _FAULT_TARGET=()
declare -a FAULT_AT=() FAULT_HIT=()

# The documented errors of a client whose safd dies, restarts or is cut
# off: saMsgInitialize, saMsgQueueOpen, saMsgMessageSend and
# saMsgMessageGet return SA_AIS_ERR_LIBRARY (2) once the connection is gone,
# TIMEOUT (5) when safd did not answer in time, TRY_AGAIN (6) while no safd
# runs, it is not synced or its partition has no majority, BAD_HANDLE (9)
# once the cluster closed the queue (man/saMsgInitialize.3,
# saMsgMessageSend.3, saMsgMessageGet.3).
FAULT_DOCUMENTED="2 5 6 9"

_fault_loop() {
	local name=$1 i=$2 kind=$3
	shift 3
	local end=$(( $(harness_now_ms) + FAULT_CLIENT_LIFE * 1000 ))
	local journal=$MSG_DIR/$name.log out rc from=${FAULT_FROM:-1}
	while [ ! -e "$FAULT_STOP" ] && [ "$(harness_now_ms)" -lt "$end" ]; do
		if [ "$kind" = send ]; then
			out=$(msg_tool "$i" send "$@" "$FAULT_CHUNK" --from "$from" \
				--acked "$MSG_DIR/$name.acked" \
				--deadline "$FAULT_SEND_DEADLINE" 2>&1)
			rc=$?
			from=$(( from + FAULT_CHUNK ))
		else
			out=$(msg_tool "$i" recv "$@" --count 16000000 --persistent \
				--log "$MSG_DIR/$name.recv" --timeout "$FAULT_RECV_RUN" \
				--open-timeout 20 2>&1)
			rc=$?
		fi
		echo "t=$(harness_now_ms) node=$i rc=$rc $(echo "$out" | tr '\n' ' ')" >>"$journal"
		case $rc in
		0 | 3) ;;
		*) sleep 0.1 ;;	# pacing after an error; the loop is bounded
		esac
	done
}

fault_sender() {
	local name=$1 i=$2 q=$3 base=$4
	: >>"$MSG_DIR/$name.acked"
	: >>"$MSG_DIR/$name.log"
	FAULT_FROM=$base _fault_loop "$name" "$i" send "$q" &
	FAULT_PID[$name]=$!
	FAULT_NODE[$name]=$i
	FAULT_BASE[$name]=$base
}

fault_receiver() {
	local name=$1 i=$2 q=$3
	: >>"$MSG_DIR/$name.recv"
	: >>"$MSG_DIR/$name.log"
	_fault_loop "$name" "$i" recv "$q" &
	FAULT_PID[$name]=$!
	FAULT_NODE[$name]=$i
}

_fault_all_stopped() {
	local n
	for n in "${!FAULT_PID[@]}"; do
		kill -0 "${FAULT_PID[$n]}" 2>/dev/null && return 1
	done
	return 0
}

fault_stop_clients() {
	local n
	touch "$FAULT_STOP"
	wait_until "$1" _fault_all_stopped || return 1
	for n in "${!FAULT_PID[@]}"; do
		wait "${FAULT_PID[$n]}" 2>/dev/null
	done
	return 0
}

fault_flowing() {
	local timeout=$1 f base
	shift
	for f in "$@"; do
		base=$(msg_lines "$MSG_DIR/$f")
		wait_until "$timeout" msg_has_lines "$MSG_DIR/$f" $(( base + 50 )) ||
			fail "no traffic: $f stuck at $base lines; last runs: $(tail -q -n 2 "$MSG_DIR"/*.log)"
	done
}

_fault_mid() {
	local c last off
	for c in "$@"; do
		last=$(tail -n 1 "$MSG_DIR/$c.acked")
		case $last in '' | *[!0-9]*) return 1 ;; esac
		off=$(( (last - FAULT_BASE[$c]) % FAULT_CHUNK ))
		[ "$off" -ge 5 ] && [ "$off" -le 60 ] || return 1
	done
}

fault_mid_run() {
	local timeout=$1
	shift
	wait_until "$timeout" _fault_mid "$@" ||
		fail "senders $* not in the middle of a chunk within $timeout s: $(for c in "$@"; do tail -n 1 "$MSG_DIR/$c.log"; done)"
}

_fault_served_poll() {
	local c f left=0
	for c in "${!_FAULT_TARGET[@]}"; do
		[ -n "${FAULT_SERVED[$c]:-}" ] && continue
		f=$MSG_DIR/$c.acked
		[ -f "$f" ] || f=$MSG_DIR/$c.recv
		if msg_has_lines "$f" "${_FAULT_TARGET[$c]}"; then
			FAULT_SERVED[$c]=$(harness_now_ms)
		else
			left=1
		fi
	done
	return "$left"
}

fault_served() {
	local timeout=$1 c
	shift
	_FAULT_TARGET=()
	FAULT_SERVED=()
	for c in "$@"; do
		_FAULT_TARGET[${c%%=*}]=${c#*=}
	done
	wait_until "$timeout" _fault_served_poll
}

fault_mark() {
	FAULT_AT+=("$(harness_now_ms)")
	FAULT_HIT+=("$1")
}

# A failed run: exit status not 0, except a receiver's run that ended at its
# time limit (exit 3 after its result line).
_FAULT_FAILED='{ ts = substr($1, 3); t = ts + 0; rc = substr($3, 4) + 0 }
	rc != 0 && !($0 ~ / recv: received=/ && rc == 3)'

fault_errors() {
	local n
	for n in "$@"; do
		grep -o 'error=[0-9]*' "$MSG_DIR/$n.log"
	done | sed 's/.*=//' | grep -v '^0$' | sort -n -u
}

fault_failed_runs() {
	awk "$_FAULT_FAILED"' { n++ } END { print n + 0 }' "$MSG_DIR/$1.log"
}

fault_first_failure() {
	awk -v since="$2" "$_FAULT_FAILED"' && t >= since + 0 { print ts; exit }' "$MSG_DIR/$1.log"
}

fault_max_stall() {
	local t0=$1 t1=$2 c
	shift 2
	for c in "$@"; do
		awk -v t0="$t0" -v t1="$t1" '{ t = substr($1, 3) + 0 }
			t >= t0 + 0 && t <= t1 + 0 && match($0, /max_stall_ms=[0-9]+/) {
				print substr($0, RSTART + 13, RLENGTH - 13) }' "$MSG_DIR/$c.log"
	done | sort -n | tail -n 1
}

fault_check_failures() {
	local c e t line k j errs
	errs=$(fault_errors "$@" | tr '\n' ' ')
	for e in $errs; do
		case " $FAULT_DOCUMENTED " in
		*" $e "*) ;;
		*) fail "a client got error $e, not among the documented ($FAULT_DOCUMENTED): $(grep -h "error=$e" "$MSG_DIR"/*.log | head -n 3)" ;;
		esac
	done
	for c in "$@"; do
		while read -r t line; do
			k=-1
			for j in "${!FAULT_AT[@]}"; do
				[ "$t" -ge "${FAULT_AT[$j]}" ] && k=$j
			done
			if [ "$k" -lt 0 ] || [ "${FAULT_HIT[$k]}" != "${FAULT_NODE[$c]}" ]; then
				fail "client $c on node ${FAULT_NODE[$c]} failed, but the last fault did not hit its node: $line"
			fi
		done < <(awk "$_FAULT_FAILED"' { print ts, $0 }' "$MSG_DIR/$c.log")
	done
	FAULT_ERRORS=${errs:-none}
}

fault_in_doubt() {
	sed -n -e 's/.*message \([0-9]*\): error=\(2\|5\), giving up.*/\1/p' \
		-e 's/.*message \([0-9]*\): in doubt (error=[0-9]*).*/\1/p' "$MSG_DIR/$1.log" |
		LC_ALL=C sort -u
}

fault_judge() {
	local recv=$1 tmp=$MSG_DIR/.judge name
	shift
	local -a acked=("$@")
	mkdir -p "$tmp"
	# comm(1) wants the order of sort(1) without -n, in the C locale.
	LC_ALL=C sort -u "${acked[@]}" >"$tmp/acked"
	LC_ALL=C sort "$recv" >"$tmp/received"
	LC_ALL=C sort -u "$recv" >"$tmp/distinct"
	for name in "${acked[@]}"; do
		name=${name##*/}
		fault_in_doubt "${name%.acked}"
	done | LC_ALL=C sort -u >"$tmp/doubt"
	LC_ALL=C comm -23 "$tmp/acked" "$tmp/distinct" >"$tmp/lost"
	LC_ALL=C comm -13 "$tmp/acked" "$tmp/distinct" >"$tmp/extra"
	LC_ALL=C comm -23 "$tmp/extra" "$tmp/doubt" >"$tmp/unexplained"
	FAULT_ACKED=$(wc -l <"$tmp/acked")
	FAULT_RECEIVED=$(wc -l <"$tmp/received")
	FAULT_DISTINCT=$(wc -l <"$tmp/distinct")
	FAULT_DUPS=$(( FAULT_RECEIVED - FAULT_DISTINCT ))
	FAULT_LOST=$(wc -l <"$tmp/lost")
	FAULT_EXTRA=$(wc -l <"$tmp/extra")
	FAULT_EXTRA_UNEXPLAINED=$(wc -l <"$tmp/unexplained")
	FAULT_LOST_LIST=$(sort -n "$tmp/lost" | head -n 20 | tr '\n' ' ')
	FAULT_DUP_LIST=$(uniq -d "$tmp/received" | sort -n | head -n 20 | tr '\n' ' ')
	# duplicates of messages whose send was in doubt: the sender retried
	uniq -d "$tmp/received" | LC_ALL=C sort >"$tmp/dups"
	FAULT_DUPS_UNEXPLAINED=$(LC_ALL=C comm -23 "$tmp/dups" "$tmp/doubt" | wc -l)
	FAULT_EXTRA_LIST=$(sort -n "$tmp/unexplained" | head -n 20 | tr '\n' ' ')
}

fault_finish() {
	local q=$1 i=$2 r=$3 c n_acked out sent doubt
	shift 3
	local -a senders=("$@") acked=()
	fault_stop_clients 40 || fail "the clients did not stop: $(tail -q -n 1 "$MSG_DIR"/*.log)"
	for c in "${senders[@]}"; do
		acked+=("$MSG_DIR/$c.acked")
	done
	n_acked=$(cat "${acked[@]}" | wc -l)
	# Until as many distinct numbers as acknowledged were seen (or 15 s),
	# then until the queue stays empty for 1 s; exit 3 (fewer seen) is
	# judged below, message by message.
	out=$(msg_tool "$i" recv "$q" --no-create --count "$n_acked" --drain 1000 \
		--log "$MSG_DIR/$r.recv" --timeout 15 2>&1)
	case $? in
	0 | 3) ;;
	*) fail "the final read on node $i failed: $out" ;;
	esac
	echo "final read on node $i: $(echo "$out" | tail -n 1)"

	fault_check_failures "$r" "${senders[@]}"
	for c in "$r" "${senders[@]}"; do
		echo "client $c (node ${FAULT_NODE[$c]}): $(grep -c . "$MSG_DIR/$c.log") runs, $(fault_failed_runs "$c") ended by an error"
	done
	echo "errors the clients saw (retried or not): $FAULT_ERRORS (documented: $FAULT_DOCUMENTED)"

	fault_judge "$MSG_DIR/$r.recv" "${acked[@]}"
	sent=$(for c in "${senders[@]}"; do cat "$MSG_DIR/$c.log"; done |
		sed -n 's/.* send: sent=\([0-9]*\) failed=\([0-9]*\).*/\1 \2/p' |
		awk '{ s += $1 + $2 } END { print s + 0 }')
	doubt=$(for c in "${senders[@]}"; do fault_in_doubt "$c"; done | wc -l)
	echo "messages: sent=$sent acknowledged=$FAULT_ACKED in_doubt=$doubt received=$FAULT_RECEIVED lost=$FAULT_LOST duplicates=$FAULT_DUPS received_unacknowledged=$FAULT_EXTRA"
	if [ "$FAULT_LOST" != 0 ]; then
		local where="" n
		for n in $FAULT_LOST_LIST; do
			where+=" $n ($(grep -n -x "$n" "${acked[@]}" | sed "s|$MSG_DIR/||; s|:\([0-9]*\):.*|, line \1|"))"
		done
		fail "$FAULT_LOST acknowledged messages lost:$where"
	fi
	[ "$FAULT_EXTRA_UNEXPLAINED" = 0 ] ||
		fail "received $FAULT_EXTRA_UNEXPLAINED messages that were neither acknowledged nor in doubt, e.g. $FAULT_EXTRA_LIST"
}

fault_queues() {
	node_exec "$1" timeout "$HARNESS_PROBE_TIMEOUT" "$SAFCTL" msg queues --json
}

fault_queues_agree() {
	local i first= q
	for i in $(seq 1 "$HARNESS_N"); do
		node_running "$i" && node_safd_alive "$i" || continue
		q=$(fault_queues "$i") || return 1
		if [ -z "$first" ]; then
			first=$q
		elif [ "$q" != "$first" ]; then
			return 1
		fi
	done
	[ -n "$first" ]
}

fault_queue_shape() {
	fault_queues "$1" | jq -c --arg q "$2" '.queues[] | select(.name == $q) |
		{name, id, persistent, retention_ms, size, priorities: [.priorities[] | {priority, size}]}'
}

fault_cluster_agrees() {
	local q=$1 p=$2 i e w s e1= w1= s1=
	shift 2
	for i in "$@"; do
		e=$(safd_events "$i") || return 1
		w=$(fault_queues "$i" | jq -c --arg q "$p" '.queues[] | select(.name == $q)') || return 1
		s=$(fault_queue_shape "$i" "$q") || return 1
		[ -n "$w" ] && [ -n "$s" ] || return 1
		if [ -z "$e1" ]; then
			e1=$e w1=$w s1=$s
		elif [ "$e" != "$e1" ] || [ "$w" != "$w1" ] || [ "$s" != "$s1" ]; then
			return 1
		fi
	done
	FAULT_PARKED=$w1
}

# fault_disagreement I...: the three views, for a failure message.
fault_disagreement() {
	local i
	for i in "$@"; do
		echo "node $i: events $(safd_events "$i"); queues $(fault_queues "$i")"
	done
}
