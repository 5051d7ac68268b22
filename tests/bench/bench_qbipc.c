/*
 * bench_qbipc: the raw libqb IPC ceiling of the same-node benchmarks
 * (BENCHMARKS.md). The pattern of safd's client library: a qb_ipcs server
 * on a qb_loop (shared-memory rings, the buffer size safd enforces) and a
 * qb_ipcc client calling qb_ipcc_sendv_recv() from one thread.
 *
 *   bench_qbipc [--mode oneway|rtt] [--size B] [--duration S] [--count N]
 *		 [--warmup W] [--timeout S]
 *	Forks the server, connects, and makes requests of B bytes (default
 *	1024, headers included) for S seconds (default 2) or N requests:
 *	oneway - the server answers with a bare response header, as safd
 *		 answers a saMsgMessageSend: prints msgs_per_s and MB/s;
 *	rtt    - the server echoes the payload in an answer of B bytes, as
 *		 a SendReceive/Reply pair carries a message both ways:
 *		 prints the round-trip percentiles.
 *	Then it disconnects, which stops the server.
 *   bench_qbipc --mode connect [--buffer BYTES] [--count N]
 *	N times (default 200): connect with a BYTES buffer (default
 *	SAFD_IPC_CONN_SIZE, what a handle's connection has), one 64-byte
 *	request, disconnect; prints the percentiles of the connect and of
 *	the whole cycle: what a client session costs before its first
 *	answer, one connection per handle.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include <qb/qbipcc.h>
#include <qb/qbipcs.h>
#include <qb/qbloop.h>

#include <safd/ipc.h>

#include "bench.h"

enum { REQ_ONEWAY = 1, REQ_ECHO = 2 };

/* ------------------------------------------------------------------ */
/* The server (child process)                                          */

static qb_loop_t *loop;
static bool serve_many;		/* --mode connect: stop on SIGTERM, not on a close */

static int32_t srv_accept(qb_ipcs_connection_t *c, uid_t uid, gid_t gid)
{
	return 0;
}

static int32_t srv_closed(qb_ipcs_connection_t *c)
{
	if (!serve_many)
		qb_loop_stop(loop);
	return 0;
}

static int32_t srv_term(int32_t sig, void *data)
{
	qb_loop_stop(loop);
	return 0;
}

static int32_t srv_msg(qb_ipcs_connection_t *c, void *data, size_t size)
{
	const struct qb_ipc_request_header *h = data;
	struct qb_ipc_response_header res = { .id = h->id, .size = sizeof(res), .error = 0 };
	struct iovec iov[2];
	ssize_t rc;

	if (size < sizeof(*h))
		return -1;
	if (h->id == REQ_ECHO && size >= sizeof(res)) {
		/* an answer of the request's size: its payload, less the
		 * difference of the two headers */
		res.size = (int32_t)size;
		iov[0].iov_base = &res;
		iov[0].iov_len = sizeof(res);
		iov[1].iov_base = (uint8_t *)data + sizeof(*h);
		iov[1].iov_len = size - sizeof(res);
		rc = qb_ipcs_response_sendv(c, iov, 2);
	} else {
		rc = qb_ipcs_response_send(c, &res, sizeof(res));
	}
	return rc < 0 ? (int32_t)rc : 0;
}

static int32_t job_add(enum qb_loop_priority p, void *data, qb_loop_job_dispatch_fn fn)
{
	return qb_loop_job_add(loop, p, data, fn);
}

static int32_t dispatch_add(enum qb_loop_priority p, int32_t fd, int32_t events,
			    void *data, qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_add(loop, p, fd, events, data, fn);
}

static int32_t dispatch_mod(enum qb_loop_priority p, int32_t fd, int32_t events,
			    void *data, qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_mod(loop, p, fd, events, data, fn);
}

static int32_t dispatch_del(int32_t fd)
{
	return qb_loop_poll_del(loop, fd);
}

static void server(const char *name, size_t buffer)
{
	struct qb_ipcs_service_handlers h = {
		.connection_accept = srv_accept,
		.msg_process = srv_msg,
		.connection_closed = srv_closed,
	};
	struct qb_ipcs_poll_handlers ph = {
		.job_add = job_add,
		.dispatch_add = dispatch_add,
		.dispatch_mod = dispatch_mod,
		.dispatch_del = dispatch_del,
	};
	qb_ipcs_service_t *s;

	loop = qb_loop_create();
	s = qb_ipcs_create(name, 0, QB_IPC_SHM, &h);
	if (loop == NULL || s == NULL)
		_exit(2);
	qb_ipcs_enforce_buffer_size(s, (uint32_t)buffer);
	qb_ipcs_poll_handlers_set(s, &ph);
	qb_loop_signal_add(loop, QB_LOOP_HIGH, SIGTERM, NULL, srv_term, NULL);
	if (qb_ipcs_run(s) != 0)
		_exit(2);
	qb_loop_run(loop);
	qb_ipcs_destroy(s);
	_exit(0);
}

/* ------------------------------------------------------------------ */
/* The client                                                          */

static int connect_loop(const char *name, size_t buffer, long long count, pid_t child,
			int64_t deadline)
{
	struct qb_ipc_request_header req = { .id = REQ_ONEWAY, .size = 64 };
	uint8_t buf[64] = { 0 }, res[256];
	struct bench_samples conn_s = { 0 }, cycle_s = { 0 };
	qb_ipcc_connection_t *conn;
	long long i;
	int status;

	memcpy(buf, &req, sizeof(req));
	/* the first connection waits for the server to listen */
	while ((conn = qb_ipcc_connect(name, buffer)) == NULL) {
		if (bench_mono_ns() > deadline)
			bench_die(2, "bench_qbipc: cannot connect to the server");
		bench_sleep_us(2000);
	}
	qb_ipcc_disconnect(conn);
	for (i = 0; i < count; i++) {
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		int64_t t0 = bench_mono_ns(), t1;

		conn = qb_ipcc_connect(name, buffer);
		if (conn == NULL)
			bench_die(2, "bench_qbipc: connect %lld failed", i);
		t1 = bench_mono_ns();
		if (qb_ipcc_sendv_recv(conn, &iov, 1, res, sizeof(res), 10000) < 0)
			bench_die(2, "bench_qbipc: request on connection %lld failed", i);
		qb_ipcc_disconnect(conn);
		bench_samples_add(&conn_s, t1 - t0);
		bench_samples_add(&cycle_s, bench_mono_ns() - t0);
	}
	kill(child, SIGTERM);
	waitpid(child, &status, 0);
	printf("qbipc: mode=connect buffer=%zu count=%lld connect_p50_us=%.1f connect_p99_us=%.1f",
	       buffer, count, (double)bench_samples_pct(&conn_s, 50) / 1e3,
	       (double)bench_samples_pct(&conn_s, 99) / 1e3);
	bench_samples_print_us(&cycle_s);
	printf("\n");
	bench_samples_free(&conn_s);
	bench_samples_free(&cycle_s);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	const char *mode;
	size_t size, buffer;
	double duration;
	long long count, warmup, n = 0, i;
	int64_t deadline, stop, t0, first, last;
	struct bench_samples s = { 0 };
	qb_ipcc_connection_t *conn = NULL;
	struct qb_ipc_request_header *req;
	uint8_t *res;
	char name[64];
	pid_t child;
	int status;
	bool rtt;

	bench_opts_init(&o, "bench_qbipc", argc, argv, 1);
	mode = bench_opt_str(&o, "mode", "oneway");
	size = (size_t)bench_opt_ll(&o, "size", 1024);
	duration = bench_opt_double(&o, "duration", 2.0);
	count = bench_opt_ll(&o, "count", (long long)1 << 62);
	warmup = bench_opt_ll(&o, "warmup", 50);
	deadline = bench_mono_ns() + bench_opt_ll(&o, "timeout", 60) * 1000000000LL;
	rtt = strcmp(mode, "rtt") == 0;
	serve_many = strcmp(mode, "connect") == 0;
	buffer = (size_t)bench_opt_ll(&o, "buffer", serve_many ? SAFD_IPC_CONN_SIZE :
							     SAFD_IPC_MAX_MSG);
	if (serve_many) {
		size = 64;
		count = bench_opt_ll(&o, "count", 200);
	}
	if ((!rtt && !serve_many && strcmp(mode, "oneway") != 0) || size < sizeof(*req) + 8 ||
	    size > SAFD_IPC_MAX_MSG - 1024 || buffer < 4096 || buffer > SAFD_IPC_MAX_MSG)
		bench_die(2, "bench_qbipc: --mode oneway|rtt|connect, --size %zu..%d, --buffer 4096..%d",
			  sizeof(*req) + 8, SAFD_IPC_MAX_MSG - 1024, SAFD_IPC_MAX_MSG);
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(name, sizeof(name), "bench-qbipc-%ld", (long)getpid());

	child = fork();
	if (child < 0)
		bench_die(2, "bench_qbipc: fork: %s", strerror(errno));
	if (child == 0)
		server(name, buffer);
	if (serve_many)
		return connect_loop(name, buffer, count, child, deadline);

	while ((conn = qb_ipcc_connect(name, SAFD_IPC_MAX_MSG)) == NULL) {
		if (bench_mono_ns() > deadline || waitpid(child, &status, WNOHANG) == child)
			bench_die(2, "bench_qbipc: cannot connect to the server");
		bench_sleep_us(2000);
	}
	req = calloc(1, size);
	res = malloc(SAFD_IPC_MAX_MSG);
	if (req == NULL || res == NULL)
		bench_die(2, "out of memory");
	req->id = rtt ? REQ_ECHO : REQ_ONEWAY;
	req->size = (int32_t)size;

	for (i = 0; i < warmup; i++) {
		struct iovec iov = { .iov_base = req, .iov_len = size };

		if (qb_ipcc_sendv_recv(conn, &iov, 1, res, SAFD_IPC_MAX_MSG, 10000) < 0)
			bench_die(2, "bench_qbipc: warm-up request failed");
	}
	stop = bench_mono_ns() + (int64_t)(duration * 1e9);
	first = bench_mono_ns();
	while (n < count && bench_mono_ns() < stop) {
		struct iovec iov = { .iov_base = req, .iov_len = size };
		ssize_t rc;

		memcpy(req + 1, &n, sizeof(n));
		t0 = bench_mono_ns();
		rc = qb_ipcc_sendv_recv(conn, &iov, 1, res, SAFD_IPC_MAX_MSG, 10000);
		if (rc < 0)
			bench_die(2, "bench_qbipc: request %lld failed: %zd", n, rc);
		if (rtt) {
			bench_samples_add(&s, bench_mono_ns() - t0);
			if ((size_t)rc != size ||
			    memcmp(res + sizeof(struct qb_ipc_response_header), &n, sizeof(n)) != 0)
				bench_die(2, "bench_qbipc: answer %lld is not the echo", n);
		}
		n++;
	}
	last = bench_mono_ns();
	qb_ipcc_disconnect(conn);
	waitpid(child, &status, 0);

	printf("qbipc: mode=%s size=%zu count=%lld msgs_per_s=%.1f mb_per_s=%.2f", mode, size, n,
	       (double)n * 1e9 / (double)(last - first),
	       (double)n * (double)size * 1e9 / (double)(last - first) / 1e6);
	if (rtt)
		bench_samples_print_us(&s);
	printf("\n");
	bench_samples_free(&s);
	free(req);
	free(res);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 2;
}
