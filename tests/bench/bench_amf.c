/*
 * bench_amf: one trial of an AMF recovery benchmark (BENCHMARKS.md;
 * tests/bench/run.sh runs one per trial, on the right node).
 *
 *   bench_amf probe --queue Q (--kill PID | --t0-ns NS) [--trial K]
 *		    [--timeout S]
 *	With --kill, SIGKILLs PID (the active bench_comp; it must be in this
 *	process's pid namespace) and takes t0 just before; with --t0-ns the
 *	failure happened at realtime NS (run.sh's node_kill). Then sends the
 *	probe to Q with saMsgMessageSendReceive: the new active answers it
 *	once its CSI set callback has returned and it has the queue open and
 *	took the probe (see bench_comp.c). Prints the times from t0 in ms:
 *	csi (CSI set returned), open (queue open), recv (probe taken),
 *	recovered = max(csi, recv), answered (the answer reached this
 *	process), started and registered (when the new active's process
 *	started and had registered: negative for a standby that was running
 *	before), and the new active's pid and node.
 *
 * A failure before the probe is sent is not a measurement: the handle is
 * initialized before the kill. SendReceive answered TRY_AGAIN, TIMEOUT or
 * NOT_EXIST is retried until --timeout (default 30 s; exit 3).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <saMsg.h>

#include "bench.h"

int main(int argc, char **argv)
{
	struct bench_opts o;
	const char *q;
	long long pid, trial;
	int64_t t0, deadline, done;
	SaMsgHandleT h;
	SaVersionT v = { 'B', 3, 1 };
	SaMsgMessageT m, r;
	struct bench_amf_reply rep;
	uint64_t payload;
	SaNameT dest;
	SaAisErrorT err;
	double csi, recv;

	if (argc < 2 || strcmp(argv[1], "probe") != 0)
		bench_die(2, "usage: bench_amf probe --queue Q (--kill PID | --t0-ns NS) [--trial K]");
	bench_opts_init(&o, "bench_amf", argc, argv, 2);
	q = bench_opt_str(&o, "queue", NULL);
	pid = bench_opt_ll(&o, "kill", 0);
	trial = bench_opt_ll(&o, "trial", 0);
	t0 = bench_opt_ll(&o, "t0-ns", 0);
	deadline = bench_mono_ns() + bench_opt_ll(&o, "timeout", 30) * 1000000000LL;
	if (q == NULL || (pid <= 0 && t0 <= 0))
		bench_die(2, "bench_amf probe: --queue and --kill or --t0-ns needed");
	bench_name(&dest, q);
	while ((err = saMsgInitialize(&h, NULL, &v)) == SA_AIS_ERR_TRY_AGAIN) {
		if (bench_mono_ns() > deadline)
			bench_die(3, "bench_amf: saMsgInitialize: still TRY_AGAIN");
		bench_sleep_us(10000);
	}
	if (err != SA_AIS_OK)
		bench_die(2, "bench_amf: saMsgInitialize: error %d", (int)err);

	if (pid > 0) {
		t0 = bench_real_ns();
		if (kill((pid_t)pid, SIGKILL) != 0)
			bench_die(2, "bench_amf: kill %lld: %s", pid, strerror(errno));
	}
	payload = (uint64_t)trial;
	memset(&m, 0, sizeof(m));
	m.type = BENCH_TYPE_DATA;
	m.version = 1;
	m.size = sizeof(payload);
	m.data = &payload;
	for (;;) {
		memset(&r, 0, sizeof(r));
		memset(&rep, 0, sizeof(rep));
		r.data = &rep;
		r.size = sizeof(rep);
		err = saMsgMessageSendReceive(h, &dest, &m, &r, NULL, 20 * SA_TIME_ONE_SECOND);
		if (err == SA_AIS_OK)
			break;
		if (err != SA_AIS_ERR_TRY_AGAIN && err != SA_AIS_ERR_TIMEOUT &&
		    err != SA_AIS_ERR_NOT_EXIST)
			bench_die(2, "bench_amf: saMsgMessageSendReceive: error %d", (int)err);
		if (bench_mono_ns() > deadline)
			bench_die(3, "bench_amf: no answer from a new active (last error %d)", (int)err);
		bench_sleep_us(1000);
	}
	done = bench_real_ns();
	if (r.size != sizeof(rep) || rep.trial != (uint64_t)trial)
		bench_die(2, "bench_amf: the answer is not for trial %lld", trial);
	csi = (double)(rep.csi_ns - t0) / 1e6;
	recv = (double)(rep.recv_ns - t0) / 1e6;
	printf("amf_probe: trial=%lld t0_ns=%lld csi_ms=%.3f open_ms=%.3f recv_ms=%.3f "
	       "recovered_ms=%.3f answered_ms=%.3f started_ms=%.3f registered_ms=%.3f "
	       "open_tries=%u pid=%u node=%u\n",
	       trial, (long long)t0, csi, (double)(rep.open_ns - t0) / 1e6, recv,
	       csi > recv ? csi : recv, (double)(done - t0) / 1e6,
	       (double)(rep.start_ns - t0) / 1e6, (double)(rep.reg_ns - t0) / 1e6,
	       rep.open_tries, rep.pid, rep.node);
	saMsgFinalize(h);
	return 0;
}
