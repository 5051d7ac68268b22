/*
 * bench_mq: the POSIX message queue reference of the same-node benchmarks
 * (BENCHMARKS.md): what the kernel alone does for the same workload.
 *
 *   bench_mq [--mode oneway|rtt] [--size B] [--duration S] [--count N]
 *	      [--warmup W] [--depth D]
 *	oneway - a forked receiver mq_receive()s in a loop while this
 *		 process mq_send()s B-byte messages (default 1024) for S
 *		 seconds (default 2) into a queue of depth D (default 10,
 *		 Linux's default msg_max; 2 for rtt), then END; the rate is the
 *		 receiver's: count / (last receive - first send);
 *	rtt    - the forked peer echoes each message on a second queue:
 *		 prints the round-trip percentiles.
 *	A message larger than the kernel allows (fs.mqueue.msgsize_max,
 *	8192 by default for unprivileged processes) cannot be measured:
 *	the result line says unsupported=1 and why, and the exit status is 0.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "bench.h"

struct mq_wire {
	uint32_t type;
	uint32_t reserved;
	uint64_t seq;
};

/* What the receiver tells the parent, through a shared page. */
struct shared {
	int64_t first_ns, last_ns;
	unsigned long long count;
	int failed;
};

static struct timespec abs_after_s(int s)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += s;
	return ts;
}

static void receiver(mqd_t in, mqd_t echo_out, size_t size, struct shared *sh)
{
	uint8_t *buf = malloc(size);
	struct mq_wire w;
	ssize_t n;

	if (buf == NULL)
		_exit(2);
	for (;;) {
		struct timespec ts = abs_after_s(30);

		n = mq_timedreceive(in, (char *)buf, size, NULL, &ts);
		if (n < (ssize_t)sizeof(w)) {
			sh->failed = 1;
			_exit(1);
		}
		memcpy(&w, buf, sizeof(w));
		if (w.type == BENCH_TYPE_END)
			break;
		if (echo_out != (mqd_t)-1) {
			ts = abs_after_s(30);
			if (mq_timedsend(echo_out, (const char *)buf, (size_t)n, 0, &ts) != 0) {
				sh->failed = 1;
				_exit(1);
			}
			continue;
		}
		if (sh->count == 0)
			sh->first_ns = bench_real_ns();
		sh->last_ns = bench_real_ns();
		sh->count++;
	}
	_exit(0);
}

static mqd_t open_queue(const char *name, size_t size, long depth, char *why, size_t why_len)
{
	struct mq_attr a = { .mq_maxmsg = depth, .mq_msgsize = (long)size };
	mqd_t q;

	mq_unlink(name);
	q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
	if (q == (mqd_t)-1)
		snprintf(why, why_len, "mq_open(msgsize=%zu,maxmsg=%ld):%s", size, depth,
			 strerror(errno));
	return q;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	const char *mode;
	size_t size;
	long depth;
	double duration;
	long long count, warmup, n = 0, i;
	int64_t stop, t0, first, last;
	struct bench_samples s = { 0 };
	struct shared *sh;
	char q1[64], q2[64], why[160] = "";
	mqd_t a, b = (mqd_t)-1;
	uint8_t *buf;
	struct mq_wire w = { .type = BENCH_TYPE_DATA };
	pid_t child;
	int status;
	bool rtt;

	bench_opts_init(&o, "bench_mq", argc, argv, 1);
	mode = bench_opt_str(&o, "mode", "oneway");
	size = (size_t)bench_opt_ll(&o, "size", 1024);
	/* rtt: one message in flight; a depth of 2 keeps two 64 KiB queues
	 * within the default RLIMIT_MSGQUEUE (800 KiB) */
	depth = (long)bench_opt_ll(&o, "depth", strcmp(mode, "rtt") == 0 ? 2 : 10);
	duration = bench_opt_double(&o, "duration", 2.0);
	count = bench_opt_ll(&o, "count", (long long)1 << 62);
	warmup = bench_opt_ll(&o, "warmup", 50);
	rtt = strcmp(mode, "rtt") == 0;
	if ((!rtt && strcmp(mode, "oneway") != 0) || size < sizeof(w) || depth < 1)
		bench_die(2, "bench_mq: --mode oneway|rtt, --size >= %zu, --depth >= 1", sizeof(w));
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(q1, sizeof(q1), "/bench-mq-%ld-a", (long)getpid());
	snprintf(q2, sizeof(q2), "/bench-mq-%ld-b", (long)getpid());

	a = open_queue(q1, size, depth, why, sizeof(why));
	if (a != (mqd_t)-1 && rtt)
		b = open_queue(q2, size, depth, why, sizeof(why));
	if (a == (mqd_t)-1 || (rtt && b == (mqd_t)-1)) {
		printf("mq: mode=%s size=%zu unsupported=1 why=%s\n", mode, size, why);
		if (a != (mqd_t)-1)
			mq_close(a);
		mq_unlink(q1);
		return 0;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	buf = calloc(1, size);
	if (sh == MAP_FAILED || buf == NULL)
		bench_die(2, "out of memory");
	memset(sh, 0, sizeof(*sh));
	child = fork();
	if (child < 0)
		bench_die(2, "bench_mq: fork: %s", strerror(errno));
	if (child == 0)
		receiver(a, b, size, sh);

	stop = bench_mono_ns() + (int64_t)(duration * 1e9);
	first = bench_real_ns();
	for (i = 0; n < count && (i < warmup || bench_mono_ns() < stop); i++) {
		struct timespec ts = abs_after_s(30);

		w.seq = (uint64_t)i;
		memcpy(buf, &w, sizeof(w));
		t0 = bench_mono_ns();
		if (mq_timedsend(a, (const char *)buf, size, 0, &ts) != 0)
			bench_die(2, "bench_mq: mq_send: %s", strerror(errno));
		if (rtt) {
			ts = abs_after_s(30);
			if (mq_timedreceive(b, (char *)buf, size, NULL, &ts) != (ssize_t)size)
				bench_die(2, "bench_mq: mq_receive: %s", strerror(errno));
			if (i >= warmup)
				bench_samples_add(&s, bench_mono_ns() - t0);
		}
		if (!rtt || i >= warmup)
			n++;
	}
	last = bench_real_ns();
	w.type = BENCH_TYPE_END;
	memcpy(buf, &w, sizeof(w));
	{
		struct timespec ts = abs_after_s(30);

		if (mq_timedsend(a, (const char *)buf, size, 0, &ts) != 0)
			bench_die(2, "bench_mq: mq_send END: %s", strerror(errno));
	}
	waitpid(child, &status, 0);
	mq_close(a);
	mq_unlink(q1);
	if (rtt) {
		mq_close(b);
		mq_unlink(q2);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || sh->failed)
		bench_die(2, "bench_mq: the receiver failed");
	if (!rtt) {
		last = sh->last_ns;
		n = (long long)sh->count;
	}
	printf("mq: mode=%s size=%zu count=%lld msgs_per_s=%.1f mb_per_s=%.2f", mode, size, n,
	       (double)n * 1e9 / (double)(last - first),
	       (double)n * (double)size * 1e9 / (double)(last - first) / 1e6);
	if (rtt)
		bench_samples_print_us(&s);
	printf("\n");
	bench_samples_free(&s);
	free(buf);
	return 0;
}
