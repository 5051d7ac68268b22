# tests/bench/report.sh -- the table and the JSON of tests/bench/run.sh
# (sourced by it at the end; reads R[], KEYS[], FAILED[] and the options).

# f KEY [DECIMALS]: a figure for the table; "fail" if it was attempted and
# not measured, "-" if it was not part of this run.
f() {
	local v
	if [ -z "${R[$1]+x}" ]; then
		echo "-"
		return
	fi
	v=${R[$1]}
	if [ -z "$v" ]; then
		echo "fail"
	elif [ -n "${2:-}" ]; then
		awk -v v="$v" -v d="$2" 'BEGIN { printf "%.*f\n", d, v }'
	else
		awk -v v="$v" 'BEGIN { if (v >= 100 || v == int(v)) printf "%.0f\n", v; else printf "%.3g\n", v }'
	fi
}

# verdict KEY OP LIMIT: "met" / "MISSED" / "?" for the targets.
verdict() {
	local v=${R[$1]:-}
	[ -n "$v" ] || { echo "?"; return; }
	if awk -v v="$v" -v l="$3" -v op="$2" 'BEGIN { exit !(op == ">=" ? v >= l : v <= l) }'; then
		echo "met"
	else
		echo "MISSED"
	fi
}

bench_machine() {
	local cpu
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	echo "${cpu:-unknown cpu}, $(nproc) cpus, $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
}

bench_report() {
	local t s
	echo
	echo "safd benchmarks ($( [ "$QUICK" = 1 ] && echo quick || echo full ) run, ${BENCH_DATE:-$(date -u '+%Y-%m-%d %H:%M UTC')}, ${R[bench_seconds]:-?} s)"
	echo "machine: ${BENCH_MACHINE:-$(bench_machine)}; load average ${R[load_avg_start]:-?} at the start, ${R[load_avg_end]:-?} at the end"
	echo "corosync $(corosync -v 2>/dev/null | sed -n 's/.*version .\([0-9.]*\).*/\1/p' | head -n 1), knet over veth; token ${R[corosync_token_ms]:--} ms, consensus ${R[corosync_consensus_ms]:--} ms"
	echo
	echo "MSG one-way throughput: saMsgMessageSend (synchronous, 1 thread) -> saMsgMessageGet loop; 3-node cluster, ${DURATION} s per point"
	printf '%-34s %12s %12s %12s\n' "" "64 B" "1 KiB" "64 KiB"
	for s in local cross; do
		printf '%-34s %12s %12s %12s\n' "$( [ $s = local ] && echo "same node: msg/s" || echo "node1 -> node2: msg/s")" \
			"$(f msg_${s}_64_msgs_per_s)" "$(f msg_${s}_1k_msgs_per_s)" "$(f msg_${s}_64k_msgs_per_s)"
		printf '%-34s %12s %12s %12s\n' "   MB/s" \
			"$(f msg_${s}_64_mb_per_s 2)" "$(f msg_${s}_1k_mb_per_s 2)" "$(f msg_${s}_64k_mb_per_s 2)"
		if [ $s = local ]; then
			printf '%-34s %12s %12s %12s\n' "   ratio to raw libqb IPC one-way" \
				"$(f msg_local_64_ratio_qb_ipc 3)" "$(f msg_local_1k_ratio_qb_ipc 3)" "$(f msg_local_64k_ratio_qb_ipc 3)"
		else
			printf '%-34s %12s %12s %12s\n' "   ratio to raw CPG (stream)" \
				"$(f msg_cross_64_ratio_cpg 3)" "$(f msg_cross_1k_ratio_cpg 3)" "$(f msg_cross_64k_ratio_cpg 3)"
			printf '%-34s %12s %12s %12s\n' "   ratio to raw CPG (one at a time)" \
				"$(f msg_cross_64_ratio_cpg_sync 3)" "$(f msg_cross_1k_ratio_cpg_sync 3)" \
				"$(f msg_cross_64k_ratio_cpg_sync 3)"
		fi
	done
	printf '%-34s %12s %12s\n' "1 KiB variants, msg/s" "same node" "node1->node2"
	printf '%-34s %12s %12s\n' "   SendAsync, 32 unacknowledged" "$(f msg_local_1k_async_msgs_per_s)" "$(f msg_cross_1k_async_msgs_per_s)"
	printf '%-34s %12s %12s\n' "   Send from 4 threads" "$(f msg_local_1k_4threads_msgs_per_s)" "$(f msg_cross_1k_4threads_msgs_per_s)"
	printf '%-34s %12s %12s\n' "   send duration p50 / p99, us" \
		"$(f msg_local_1k_send_p50_us 0)/$(f msg_local_1k_send_p99_us 0)" "$(f msg_cross_1k_send_p50_us 0)/$(f msg_cross_1k_send_p99_us 0)"
	echo "CPU per 1 KiB message, all 3 nodes together (us; idle use subtracted): safd / corosync"
	printf '%-34s %12s %12s\n' "   Send, 1 thread" \
		"$(f msg_local_1k_safd_cpu_us_per_msg)/$(f msg_local_1k_corosync_cpu_us_per_msg)" \
		"$(f msg_cross_1k_safd_cpu_us_per_msg)/$(f msg_cross_1k_corosync_cpu_us_per_msg)"
	printf '%-34s %12s %12s\n' "   SendAsync, 32 unacknowledged" \
		"$(f msg_local_1k_async_safd_cpu_us_per_msg)/$(f msg_local_1k_async_corosync_cpu_us_per_msg)" \
		"$(f msg_cross_1k_async_safd_cpu_us_per_msg)/$(f msg_cross_1k_async_corosync_cpu_us_per_msg)"
	printf '%-34s %12s %12s\n' "   raw CPG: stream, one at a time" "-/$(f cpg_cross_1k_corosync_cpu_us_per_msg)" \
		"-/$(f cpg_cross_1k_sync_corosync_cpu_us_per_msg)"
	printf '%-34s %12s %12s\n' "totem multicasts per message: Send" "$(f msg_local_1k_totem_mcasts_per_msg 2)" \
		"$(f msg_cross_1k_totem_mcasts_per_msg 2)"
	printf '%-34s %12s %12s\n' "   SendAsync, 32 unacknowledged" "$(f msg_local_1k_async_totem_mcasts_per_msg 2)" \
		"$(f msg_cross_1k_async_totem_mcasts_per_msg 2)"
	echo
	echo "MSG round trip: saMsgMessageSendReceive -> Get + saMsgMessageReply, us (p50 / p99 / p99.9)"
	for s in local cross; do
		printf '%-34s' "$( [ $s = local ] && echo "same node" || echo "node1 -> node2")"
		for t in 64 1k 64k; do
			printf ' %22s' "$(f msg_${s}_${t}_rtt_p50_us 0) / $(f msg_${s}_${t}_rtt_p99_us 0) / $(f msg_${s}_${t}_rtt_p999_us 0)"
		done
		echo
	done
	echo
	echo "Raw ceilings, same run, same sizes (node 1, or node1 -> node2)"
	printf '%-34s %12s %12s %12s\n' "" "64 B" "1 KiB" "64 KiB"
	printf '%-34s %12s %12s %12s\n' "libqb IPC request/ack, msg/s" "$(f qbipc_64_msgs_per_s)" "$(f qbipc_1k_msgs_per_s)" "$(f qbipc_64k_msgs_per_s)"
	printf '%-34s %12s %12s %12s\n' "libqb IPC echo p50 / p99, us" \
		"$(f qbipc_64_rtt_p50_us 0)/$(f qbipc_64_rtt_p99_us 0)" "$(f qbipc_1k_rtt_p50_us 0)/$(f qbipc_1k_rtt_p99_us 0)" "$(f qbipc_64k_rtt_p50_us 0)/$(f qbipc_64k_rtt_p99_us 0)"
	printf '%-34s %12s %12s %12s\n' "CPG AGREED stream, msg/s" "$(f cpg_cross_64_msgs_per_s)" "$(f cpg_cross_1k_msgs_per_s)" "$(f cpg_cross_64k_msgs_per_s)"
	printf '%-34s %12s %12s %12s\n' "CPG one at a time, msg/s" "$(f cpg_cross_64_sync_msgs_per_s)" "$(f cpg_cross_1k_sync_msgs_per_s)" "$(f cpg_cross_64k_sync_msgs_per_s)"
	printf '%-34s %12s %12s %12s\n' "CPG round trip p50 / p99, us" \
		"$(f cpg_cross_64_sync_p50_us 0)/$(f cpg_cross_64_sync_p99_us 0)" "$(f cpg_cross_1k_sync_p50_us 0)/$(f cpg_cross_1k_sync_p99_us 0)" "$(f cpg_cross_64k_sync_p50_us 0)/$(f cpg_cross_64k_sync_p99_us 0)"
	printf '%-34s %12s %12s %12s\n' "POSIX mq one-way, msg/s" "$(f mq_64_msgs_per_s)" "$(f mq_1k_msgs_per_s)" "$(f mq_64k_msgs_per_s)"
	printf '%-34s %12s %12s %12s\n' "POSIX mq echo p50 / p99, us" \
		"$(f mq_64_rtt_p50_us 0)/$(f mq_64_rtt_p99_us 0)" "$(f mq_1k_rtt_p50_us 0)/$(f mq_1k_rtt_p99_us 0)" "$(f mq_64k_rtt_p50_us 0)/$(f mq_64k_rtt_p99_us 0)"
	printf '%-34s %12s %12s %12s\n' "client session: init / 1st request" \
		"$(f msg_session_init_p50_us 0) us" "$(f msg_session_first_p50_us 0) us" "(p50)"
	printf '%-34s %12s %12s %12s\n' "libqb connect, buffer 1 MiB/128k/64k" \
		"$(f qbipc_connect_1m_p50_us 0) us" "$(f qbipc_connect_128k_p50_us 0) us" "$(f qbipc_connect_64k_p50_us 0) us"
	echo
	echo "AMF recovery, ms: SIGKILL of the active -> the new active's CSI set returned AND it took its first message"
	printf '%-34s %7s %9s %9s %9s %18s\n' "" trials p50 p99 max "CSI set p50/p99"
	for s in amf_comp_restart:"component restart (3 nodes)" amf_su_failover:"SU failover (node1<->node2)" \
		 amf_node_failover:"node failover (3 nodes)" scale_n5_node_failover:"node failover (5 nodes)"; do
		t=${s%%:*}
		printf '%-34s %7s %9s %9s %9s %18s\n' "${s#*:}" "$(f ${t}_trials)" "$(f ${t}_p50_ms 1)" \
			"$(f ${t}_p99_ms 1)" "$(f ${t}_max_ms 1)" "$(f ${t}_csi_p50_ms 1)/$(f ${t}_csi_p99_ms 1)"
	done
	for t in amf_comp_restart amf_su_failover; do
		[ -n "${R[${t}_trials]:-}" ] || continue
		printf '   %s, p50 of each stage from the kill: process started %s, registered %s, CSI set returned %s, queue open %s, message taken %s ms\n' \
			"${t#amf_}" "$(f ${t}_started_p50_ms 1)" "$(f ${t}_registered_p50_ms 1)" "$(f ${t}_csi_p50_ms 1)" \
			"$(f ${t}_open_p50_ms 1)" "$(f ${t}_p50_ms 1)"
		[ -n "${R[${t}_totem_mcast_retx]:-}" ] &&
			printf '   %s, totem during the trials (3 corosyncs): %s messages resent, %s dropped, %s tokens lost; UDP datagrams the kernels dropped: %s\n' \
				"${t#amf_}" "$(f ${t}_totem_mcast_retx 0)" "$(f ${t}_totem_rx_msg_dropped 0)" \
				"$(f ${t}_totem_operational_token_lost 0)" "$(f ${t}_totem_udp_in_errors 0)"
	done
	for t in amf_node_failover scale_n5_node_failover; do
		[ -n "${R[${t}_trials]:-}" ] || continue
		printf '   %s: corosync new membership p50 %s ms (p99 %s), safd "left" p50 %s ms; ours (membership -> served) p50 %s ms, p99 %s ms\n' \
			"${t/scale_n5_node_failover/5 nodes}" "$(f ${t}_corosync_p50_ms 0)" "$(f ${t}_corosync_p99_ms 0)" \
			"$(f ${t}_safd_left_p50_ms 0)" "$(f ${t}_ours_p50_ms 0)" "$(f ${t}_ours_p99_ms 0)"
	done
	echo
	echo "Memory: safd VmRSS, kB (= its own memory + the IPC rings of its clients)"
	printf '%-34s %12s %12s %12s\n' "" "VmRSS" "RssAnon" "RssShmem"
	for t in safd_rss_idle:"idle, node 1 of 3 (2 components)" safd_rss_idle_1node:"idle, 1-node cluster, no model" \
		 safd_rss_1000_queues:"1,000 open queues (1 node)" safd_rss_queued:"$(f msg_fill_count) queued 1 KiB messages"; do
		s=${t%%:*}
		printf '%-34s %12s %12s %12s\n' "${t#*:}" "$(f ${s}_kb)" "$(f ${s}_anon_kb)" "$(f ${s}_shmem_kb)"
	done
	printf '%-34s %12s\n' "   per queued message, bytes" "$(f safd_rss_per_queued_msg_b)"
	echo
	echo "Scaling: 1 KiB synchronous sends, msg/s; node failover, ms"
	printf '%-10s %14s %14s %22s\n' nodes "same node" "node1->node2" "node failover p50/p99"
	printf '%-10s %14s %14s %22s\n' 1 "$(f scale_n1_local_1k_msgs_per_s)" "n/a" "n/a (no survivor)"
	printf '%-10s %14s %14s %22s\n' 2 "$(f scale_n2_local_1k_msgs_per_s)" "$(f scale_n2_cross_1k_msgs_per_s)" "n/a (no majority)"
	printf '%-10s %14s %14s %22s\n' 3 "$(f msg_local_1k_msgs_per_s)" "$(f msg_cross_1k_msgs_per_s)" \
		"$(f amf_node_failover_p50_ms 0)/$(f amf_node_failover_p99_ms 0)"
	printf '%-10s %14s %14s %22s\n' 5 "$(f scale_n5_local_1k_msgs_per_s)" "$(f scale_n5_cross_1k_msgs_per_s)" \
		"$(f scale_n5_node_failover_p50_ms 0)/$(f scale_n5_node_failover_p99_ms 0)"
	printf '%-10s' "queues"
	for t in 1 10 100 1000; do printf ' %9s' "$t"; done
	printf '   (1 node, round robin, received callback)\n%-10s' "msg/s"
	for t in 1 10 100 1000; do printf ' %9s' "$(f scale_q${t}_1k_msgs_per_s)"; done
	echo
	echo
	echo "Journal (3 nodes, every node journals; 1 KiB synchronous sends to a persistent queue)"
	printf '%-34s %12s %12s %16s %16s\n' "" "same node" "node1->node2" "x memory (same)" "x memory (cross)"
	for t in sync:"flushed at each commit" nosync:"--journal-sync no"; do
		s=msg_journal_${t%%:*}
		printf '%-34s %12s %12s %16s %16s\n' "${t#*:}, msg/s" "$(f ${s}_local_1k_msgs_per_s)" \
			"$(f ${s}_cross_1k_msgs_per_s)" "$(f ${s}_local_1k_ratio_memory 3)" \
			"$(f ${s}_cross_1k_ratio_memory 3)"
		printf '%-34s %12s %12s\n' "   send p50 / p99, us" \
			"$(f ${s}_local_1k_send_p50_us)/$(f ${s}_local_1k_send_p99_us)" \
			"$(f ${s}_cross_1k_send_p50_us)/$(f ${s}_cross_1k_send_p99_us)"
		printf '%-34s %12s %12s %16s %16s\n' "   4 threads, msg/s" "" \
			"$(f ${s}_cross_1k_4threads_msgs_per_s)" "" \
			"$(f ${s}_cross_1k_4threads_ratio_memory 3)"
	done
	echo
	echo "Targets of issue #6"
	local nf_limit=""
	if [ -n "${R[corosync_token_ms]:-}" ] && [ -n "${R[corosync_consensus_ms]:-}" ]; then
		nf_limit=$(( R[corosync_token_ms] + R[corosync_consensus_ms] + 200 ))
	fi
	printf '  %-52s %10s  %s\n' "same-node 1 KiB >= 0.8 x libqb IPC one-way" "$(f msg_local_1k_ratio_qb_ipc 3)" "$(verdict msg_local_1k_ratio_qb_ipc '>=' 0.8)"
	printf '  %-52s %10s  %s\n' "cross-node 1 KiB >= 0.8 x CPG" "$(f msg_cross_1k_ratio_cpg 3)" "$(verdict msg_cross_1k_ratio_cpg '>=' 0.8)"
	printf '  %-52s %10s  %s\n' "component restart p99 < 15 ms" "$(f amf_comp_restart_p99_ms 1)" "$(verdict amf_comp_restart_p99_ms '<=' 15)"
	printf '  %-52s %10s  %s\n' "SU failover p99 < 10 ms" "$(f amf_su_failover_p99_ms 1)" "$(verdict amf_su_failover_p99_ms '<=' 10)"
	printf '  %-52s %10s  %s\n' "node failover p99 <= token + consensus + 200 = ${nf_limit:-?} ms" "$(f amf_node_failover_p99_ms 0)" "$(verdict amf_node_failover_p99_ms '<=' "${nf_limit:-0}")"
	echo
}

bench_json() {
	local k v
	printf '{\n  "mode": "%s",\n  "date": "%s",\n  "machine": "%s",\n  "nproc": %d,\n  "kernel": "%s"' \
		"$( [ "$QUICK" = 1 ] && echo quick || echo full )" "$(date -u '+%Y-%m-%dT%H:%M:%SZ')" \
		"$(bench_machine)" "$(nproc)" "$(uname -r)"
	printf ',\n  "amf_trials": %d,\n  "nf_trials": %d,\n  "duration_s": %s' "$TRIALS" "$NF_TRIALS" "$DURATION"
	for k in "${KEYS[@]}"; do
		v=${R[$k]}
		printf ',\n  "%s": %s' "$k" "${v:-null}"
	done
	printf '\n}\n'
}
