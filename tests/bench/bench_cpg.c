/*
 * bench_cpg: the raw corosync CPG ceiling of the cross-node benchmarks
 * (BENCHMARKS.md). A sender and a receiver, in a group of their own, on
 * the cluster safd runs on; messages in AGREED order, as safd sends its own.
 *
 *   bench_cpg recv --group G [--ready FILE] [--timeout S]
 *	Joins G, touches FILE once its own join is seen, counts the data
 *	messages of other members until an END message. Prints count, bytes
 *	and the realtime of the first and last delivery.
 *   bench_cpg send --group G [--size B] [--duration S] [--members M]
 *		[--sync] [--timeout S]
 *	Joins G, waits until it has M members (default 2), then multicasts
 *	B-byte messages (default 1024) for S seconds (default 2):
 *	streaming (a new cpg_mcast_joined() as soon as corosync takes it;
 *	CS_ERR_TRY_AGAIN means its queue is full: dispatch and try again),
 *	or with --sync one at a time, each after its own delivery came back
 *	(a CPG round trip: safd's synchronous send waits for two of these).
 *	Then END (the count). Prints count, the realtime of the first
 *	multicast and, with --sync, the round-trip percentiles.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

#include <corosync/cpg.h>

#include "bench.h"

struct wire {
	uint32_t type;
	uint32_t reserved;
	uint64_t seq;		/* DATA: number; END: how many DATA were sent */
};

static cpg_handle_t cpg;
static struct cpg_name group;
static uint32_t my_nodeid;
static uint32_t my_pid;
static int64_t deadline;	/* monotonic */

static bool joined;
static size_t members;
/* receiver */
static unsigned long long rx_count, rx_bytes, rx_end_count;
static int64_t rx_first, rx_last;
static bool rx_ended;
/* sender: its own messages seen back */
static uint64_t own_seen_seq;
static bool own_end_seen;

static void check_deadline(const char *what)
{
	if (bench_mono_ns() > deadline)
		bench_die(3, "bench_cpg: time bound expired (%s)", what);
}

static void deliver_cb(cpg_handle_t h, const struct cpg_name *g, uint32_t nodeid,
		       uint32_t pid, void *msg, size_t len)
{
	struct wire w;

	if (len < sizeof(w))
		return;
	memcpy(&w, msg, sizeof(w));
	if (nodeid == my_nodeid && pid == my_pid) {
		if (w.type == BENCH_TYPE_END)
			own_end_seen = true;
		else
			own_seen_seq = w.seq;
		return;
	}
	if (w.type == BENCH_TYPE_END) {
		rx_end_count = w.seq;
		rx_ended = true;
		return;
	}
	if (rx_count == 0)
		rx_first = bench_real_ns();
	rx_last = bench_real_ns();
	rx_count++;
	rx_bytes += len;
}

static void confchg_cb(cpg_handle_t h, const struct cpg_name *g,
		       const struct cpg_address *member, size_t n_member,
		       const struct cpg_address *left, size_t n_left,
		       const struct cpg_address *join, size_t n_join)
{
	size_t i;

	members = n_member;
	for (i = 0; i < n_member; i++)
		if (member[i].nodeid == my_nodeid && member[i].pid == my_pid)
			joined = true;
}

static void dispatch(int timeout_ms)
{
	int fd;
	struct pollfd p;
	cs_error_t err;

	if (cpg_fd_get(cpg, &fd) != CS_OK)
		bench_die(2, "bench_cpg: cpg_fd_get failed");
	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	if (poll(&p, 1, timeout_ms) <= 0)
		return;
	err = cpg_dispatch(cpg, CS_DISPATCH_ALL);
	if (err != CS_OK && err != CS_ERR_TRY_AGAIN)
		bench_die(2, "bench_cpg: cpg_dispatch: error %d", (int)err);
}

static void start(const char *name)
{
	cpg_callbacks_t cb = { .cpg_deliver_fn = deliver_cb, .cpg_confchg_fn = confchg_cb };
	cs_error_t err;

	if (strlen(name) >= CPG_MAX_NAME_LENGTH)
		bench_die(2, "bench_cpg: group name too long");
	group.length = (uint32_t)strlen(name);
	memcpy(group.value, name, group.length);
	while ((err = cpg_initialize(&cpg, &cb)) == CS_ERR_TRY_AGAIN) {
		check_deadline("cpg_initialize");
		bench_sleep_us(10000);
	}
	if (err != CS_OK)
		bench_die(2, "bench_cpg: cpg_initialize: error %d (is corosync running?)", (int)err);
	if (cpg_local_get(cpg, &my_nodeid) != CS_OK)
		bench_die(2, "bench_cpg: cpg_local_get failed");
	my_pid = (uint32_t)getpid();
	while ((err = cpg_join(cpg, &group)) == CS_ERR_TRY_AGAIN) {
		check_deadline("cpg_join");
		bench_sleep_us(10000);
	}
	if (err != CS_OK)
		bench_die(2, "bench_cpg: cpg_join: error %d", (int)err);
	while (!joined) {
		check_deadline("own join");
		dispatch(100);
	}
}

static void stop(void)
{
	cpg_leave(cpg, &group);
	cpg_finalize(cpg);
}

static int cmd_recv(struct bench_opts *o)
{
	start(bench_opt_str(o, "group", "bench"));
	bench_touch(bench_opt_str(o, "ready", NULL));
	while (!rx_ended) {
		check_deadline("messages");
		dispatch(1000);
	}
	printf("cpg_recv: count=%llu bytes=%llu first_ns=%lld last_ns=%lld end_count=%llu\n",
	       rx_count, rx_bytes, (long long)rx_first, (long long)rx_last, rx_end_count);
	stop();
	return rx_count == rx_end_count ? 0 : 1;
}

/* Multicasts one message; dispatches while corosync's queue is full. */
static void mcast(void *buf, size_t len, unsigned long long *full)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	cs_error_t err;

	while ((err = cpg_mcast_joined(cpg, CPG_TYPE_AGREED, &iov, 1)) == CS_ERR_TRY_AGAIN) {
		(*full)++;
		check_deadline("cpg_mcast_joined");
		dispatch(1);
	}
	if (err != CS_OK)
		bench_die(2, "bench_cpg: cpg_mcast_joined: error %d", (int)err);
}

static int cmd_send(struct bench_opts *o)
{
	size_t size = (size_t)bench_opt_ll(o, "size", 1024);
	double duration = bench_opt_double(o, "duration", 2.0);
	size_t want = (size_t)bench_opt_ll(o, "members", 2);
	bool sync = bench_opt_flag(o, "sync");
	struct bench_samples s = { 0 };
	unsigned long long full = 0;
	uint8_t *buf;
	struct wire w = { .type = BENCH_TYPE_DATA };
	uint64_t seq = 0;
	int64_t stop_at, first = 0, last = 0, t0;

	if (size < sizeof(w) || size > 1024 * 1024)
		bench_die(2, "bench_cpg send: --size %zu..1048576", sizeof(w));
	buf = calloc(1, size);
	if (buf == NULL)
		bench_die(2, "out of memory");
	start(bench_opt_str(o, "group", "bench"));
	while (members < want) {
		check_deadline("the receiver's join");
		dispatch(100);
	}
	stop_at = bench_mono_ns() + (int64_t)(duration * 1e9);
	first = bench_real_ns();
	while (bench_mono_ns() < stop_at) {
		w.seq = ++seq;
		memcpy(buf, &w, sizeof(w));
		t0 = bench_mono_ns();
		mcast(buf, size, &full);
		if (sync) {
			while (own_seen_seq != seq) {
				check_deadline("own delivery");
				dispatch(1000);
			}
			bench_samples_add(&s, bench_mono_ns() - t0);
		} else {
			(void)cpg_dispatch(cpg, CS_DISPATCH_ALL);
		}
	}
	last = bench_real_ns();
	w.type = BENCH_TYPE_END;
	w.seq = seq;
	memcpy(buf, &w, sizeof(w));
	mcast(buf, sizeof(w), &full);
	while (!own_end_seen) {
		check_deadline("own END");
		dispatch(1000);
	}
	printf("cpg_send: count=%llu size=%zu sync=%d first_ns=%lld last_ns=%lld queue_full=%llu "
	       "msgs_per_s=%.1f", (unsigned long long)seq, size, sync ? 1 : 0, (long long)first,
	       (long long)last, full, (double)seq * 1e9 / (double)(last - first));
	if (sync)
		bench_samples_print_us(&s);
	printf("\n");
	bench_samples_free(&s);
	free(buf);
	stop();
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_opts o;

	if (argc < 2)
		bench_die(2, "usage: bench_cpg recv|send --group G [options]"
			  " (see the comment at the top of tests/bench/bench_cpg.c)");
	bench_opts_init(&o, "bench_cpg", argc, argv, 2);
	deadline = bench_mono_ns() + bench_opt_ll(&o, "timeout", 120) * 1000000000LL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[1], "recv") == 0)
		return cmd_recv(&o);
	if (strcmp(argv[1], "send") == 0)
		return cmd_send(&o);
	bench_die(2, "bench_cpg: unknown command %s", argv[1]);
}
