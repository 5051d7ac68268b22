/*
 * bench_msg: the Message Service side of the benchmarks (BENCHMARKS.md;
 * tests/bench/run.sh runs it inside private clusters). One result line on
 * stdout per run (see bench.h).
 *
 *   bench_msg create Q [--queues K] [--area BYTES]
 *	Creates persistent queue Q (or Q.0 .. Q.K-1), each priority area
 *	BYTES (default 64 MiB), and closes it.
 *   bench_msg recv Q [--queues K] [--callback] [--area BYTES] [--ready FILE]
 *		[--timeout S] [--unlink]
 *	Opens Q (or Q.0 .. Q.K-1; CREATE, the attributes of `create`) and
 *	takes messages until the END message: with one queue and no
 *	--callback by saMsgMessageGet blocking in a loop, else by the
 *	received callback and a Get that does not wait. Touches FILE once
 *	the queues are open. Prints count, bytes, the realtime of the first
 *	and the last data message. --unlink: unlink the queues at the end.
 *   bench_msg send Q [--queues K] [--size B] [--duration S] [--count N]
 *		[--threads T] [--async --window W] [--area BYTES]
 *	Sends B-byte messages (default 1024) for S seconds (default 2) or N
 *	messages, whichever comes first: synchronous saMsgMessageSend from
 *	T threads sharing one handle (default 1), or with --async
 *	saMsgMessageSendAsync with SA_MSG_MESSAGE_DELIVERED_ACK and at most W
 *	(default 32) unacknowledged. With K queues, message i goes to
 *	Q.(i mod K). Then a synchronous END message (to Q or Q.0) says how
 *	many were sent. Prints count and the realtime of the first send and
 *	of the last acknowledgement, and (synchronous) a second line with
 *	the percentiles of the sends' durations.
 *   bench_msg replier Q [--ready FILE] [--timeout S]
 *	Opens Q and answers every message with saMsgMessageReply, echoing
 *	its payload, until END.
 *   bench_msg rtt Q [--size B] [--count N] [--duration S] [--warmup W]
 *	saMsgMessageSendReceive of B bytes to Q, N times (default 2000) or
 *	for S seconds (default 5), after W unmeasured ones (default 50); then
 *	END. Prints the round-trip percentiles.
 *   bench_msg hold Q --queues K [--ready FILE] --until FILE [--timeout S]
 *	Opens Q.0 .. Q.K-1 (CREATE, 64 KiB areas), touches the ready FILE,
 *	and keeps them open until the --until FILE exists.
 *   bench_msg status Q
 *	Prints the number of messages and bytes in Q.
 *   bench_msg session Q [--count N]
 *	N times (default 100): saMsgInitialize, one saMsgQueueStatusGet of
 *	Q (answered by the local safd, no CPG), saMsgFinalize. Prints the
 *	percentiles of the initialize, of that first request and of the
 *	whole session: what a process pays before its first answer.
 *
 * Retries: a send or open answered TRY_AGAIN, TIMEOUT, BUSY or
 * QUEUE_FULL is tried again after 1 ms, and counted; the whole run is
 * bounded by --timeout (default 120 s, exit 3).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <saMsg.h>

#include "bench.h"

#define BUF_MAX (1024 * 1024)
#define MAX_QUEUES 100000

static SaMsgHandleT handle;
static SaTimeT deadline_ns;	/* monotonic */
static SaSizeT area = 64ull * 1024 * 1024;

static const SaVersionT version_b3 = { 'B', 3, 1 };

static bool retryable(SaAisErrorT err)
{
	return err == SA_AIS_ERR_TRY_AGAIN || err == SA_AIS_ERR_TIMEOUT ||
	       err == SA_AIS_ERR_BUSY || err == SA_AIS_ERR_QUEUE_FULL;
}

static void check_deadline(const char *what)
{
	if (bench_mono_ns() > deadline_ns)
		bench_die(3, "bench_msg: time bound expired (%s)", what);
}

static void init(const SaMsgCallbacksT *cb)
{
	SaVersionT v = version_b3;
	SaAisErrorT err;

	while ((err = saMsgInitialize(&handle, cb, &v)) == SA_AIS_ERR_TRY_AGAIN) {
		check_deadline("saMsgInitialize");
		bench_sleep_us(10000);
	}
	if (err != SA_AIS_OK)
		bench_die(2, "bench_msg: saMsgInitialize: error %d", (int)err);
}

static void queue_name(SaNameT *n, const char *q, long k, long idx)
{
	char buf[SA_MAX_NAME_LENGTH + 1];

	if (k <= 1)
		snprintf(buf, sizeof(buf), "%s", q);
	else
		snprintf(buf, sizeof(buf), "%s.%ld", q, idx);
	bench_name(n, buf);
}

static SaMsgQueueHandleT queue_open(const SaNameT *name, SaMsgQueueOpenFlagsT extra,
				    SaSizeT area_size)
{
	SaMsgQueueCreationAttributesT a;
	SaMsgQueueHandleT qh = 0;
	SaAisErrorT err;
	int p;

	memset(&a, 0, sizeof(a));
	a.creationFlags = SA_MSG_QUEUE_PERSISTENT;
	for (p = 0; p <= SA_MSG_MESSAGE_LOWEST_PRIORITY; p++)
		a.size[p] = area_size;
	a.retentionTime = 0;
	for (;;) {
		err = saMsgQueueOpen(handle, name, &a, SA_MSG_QUEUE_CREATE | extra,
				     10 * SA_TIME_ONE_SECOND, &qh);
		if (err == SA_AIS_OK)
			return qh;
		if (!retryable(err))
			bench_die(2, "bench_msg: saMsgQueueOpen(%.*s): error %d",
				  (int)name->length, (const char *)name->value, (int)err);
		check_deadline("saMsgQueueOpen");
		bench_sleep_us(1000);
	}
}

/* ------------------------------------------------------------------ */
/* create, status                                                      */

static int cmd_create(const char *q, struct bench_opts *o)
{
	long k = (long)bench_opt_ll(o, "queues", 1), i;
	SaNameT n;

	init(NULL);
	for (i = 0; i < k; i++) {
		queue_name(&n, q, k, i);
		saMsgQueueClose(queue_open(&n, 0, area));
	}
	printf("create: queues=%ld area=%llu\n", k, (unsigned long long)area);
	saMsgFinalize(handle);
	return 0;
}

static int cmd_status(const char *q, struct bench_opts *o)
{
	SaMsgQueueStatusT st;
	SaNameT n;
	SaAisErrorT err;
	unsigned long long msgs = 0, used = 0;
	int p;

	init(NULL);
	bench_name(&n, q);
	err = saMsgQueueStatusGet(handle, &n, &st);
	if (err != SA_AIS_OK)
		bench_die(2, "bench_msg: saMsgQueueStatusGet(%s): error %d", q, (int)err);
	for (p = 0; p <= SA_MSG_MESSAGE_LOWEST_PRIORITY; p++) {
		msgs += st.saMsgQueueUsage[p].numberOfMessages;
		used += st.saMsgQueueUsage[p].queueUsed;
	}
	printf("status: messages=%llu used=%llu\n", msgs, used);
	saMsgFinalize(handle);
	return 0;
}

static int cmd_session(const char *q, struct bench_opts *o)
{
	long long count = bench_opt_ll(o, "count", 100), i;
	struct bench_samples init_s = { 0 }, first_s = { 0 }, all_s = { 0 };
	SaMsgQueueStatusT st;
	SaNameT n;
	SaAisErrorT err;

	bench_name(&n, q);
	for (i = 0; i < count; i++) {
		int64_t t0 = bench_mono_ns(), t1, t2;

		init(NULL);
		t1 = bench_mono_ns();
		err = saMsgQueueStatusGet(handle, &n, &st);
		if (err != SA_AIS_OK && err != SA_AIS_ERR_NOT_EXIST)
			bench_die(2, "bench_msg session: saMsgQueueStatusGet: error %d", (int)err);
		t2 = bench_mono_ns();
		saMsgFinalize(handle);
		bench_samples_add(&init_s, t1 - t0);
		bench_samples_add(&first_s, t2 - t1);
		bench_samples_add(&all_s, bench_mono_ns() - t0);
		check_deadline("sessions");
	}
	printf("session: count=%lld init_p50_us=%.1f init_p99_us=%.1f first_p50_us=%.1f "
	       "first_p99_us=%.1f", count, (double)bench_samples_pct(&init_s, 50) / 1e3,
	       (double)bench_samples_pct(&init_s, 99) / 1e3,
	       (double)bench_samples_pct(&first_s, 50) / 1e3,
	       (double)bench_samples_pct(&first_s, 99) / 1e3);
	bench_samples_print_us(&all_s);
	printf("\n");
	bench_samples_free(&init_s);
	bench_samples_free(&first_s);
	bench_samples_free(&all_s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* recv                                                                */

struct receiver {
	uint8_t *buf;
	unsigned long long count, bytes, end_count;
	int64_t first_ns, last_ns;
	bool ended;
};

static struct receiver rx;

/* Handles one message taken off a queue. */
static void took(const SaMsgMessageT *m)
{
	int64_t now = bench_real_ns();

	if (m->type == BENCH_TYPE_END) {
		uint64_t c = 0;

		if (m->size >= sizeof(c))
			memcpy(&c, m->data, sizeof(c));
		rx.end_count = c;
		rx.ended = true;
		return;
	}
	if (rx.count == 0)
		rx.first_ns = now;
	rx.last_ns = now;
	rx.count++;
	rx.bytes += m->size;
}

static SaAisErrorT get_one(SaMsgQueueHandleT qh, SaTimeT timeout)
{
	SaMsgMessageT m;
	SaMsgSenderIdT sid;
	SaTimeT sent;
	SaAisErrorT err;

	memset(&m, 0, sizeof(m));
	m.data = rx.buf;
	m.size = BUF_MAX;
	err = saMsgMessageGet(qh, &m, &sent, &sid, timeout);
	if (err == SA_AIS_OK)
		took(&m);
	return err;
}

static void received_cb(SaMsgQueueHandleT qh)
{
	SaAisErrorT err;

	/* One callback per message; the Get does not wait. */
	err = get_one(qh, 0);
	if (err != SA_AIS_OK && err != SA_AIS_ERR_TIMEOUT)
		bench_die(2, "bench_msg recv: saMsgMessageGet: error %d", (int)err);
}

static int cmd_recv(const char *q, struct bench_opts *o)
{
	long k = (long)bench_opt_ll(o, "queues", 1), i;
	bool callback = bench_opt_flag(o, "callback") || k > 1;
	SaMsgCallbacksT cb;
	SaMsgQueueHandleT *qh;
	SaSelectionObjectT so;
	SaNameT n;
	SaAisErrorT err;

	if (k < 1 || k > MAX_QUEUES)
		bench_die(2, "bench_msg recv: --queues 1..%d", MAX_QUEUES);
	rx.buf = malloc(BUF_MAX);
	qh = calloc((size_t)k, sizeof(*qh));
	if (rx.buf == NULL || qh == NULL)
		bench_die(2, "out of memory");
	memset(&cb, 0, sizeof(cb));
	cb.saMsgMessageReceivedCallback = received_cb;
	init(&cb);
	for (i = 0; i < k; i++) {
		queue_name(&n, q, k, i);
		qh[i] = queue_open(&n, callback ? SA_MSG_QUEUE_RECEIVE_CALLBACK : 0, area);
	}
	bench_touch(bench_opt_str(o, "ready", NULL));
	if (!callback) {
		while (!rx.ended) {
			err = get_one(qh[0], SA_TIME_ONE_SECOND);
			if (err != SA_AIS_OK && err != SA_AIS_ERR_TIMEOUT)
				bench_die(2, "bench_msg recv: saMsgMessageGet: error %d", (int)err);
			check_deadline("waiting for messages");
		}
	} else {
		if (saMsgSelectionObjectGet(handle, &so) != SA_AIS_OK)
			bench_die(2, "bench_msg recv: no selection object");
		while (!rx.ended) {
			struct pollfd p = { .fd = (int)so, .events = POLLIN };

			if (poll(&p, 1, 1000) > 0) {
				err = saMsgDispatch(handle, SA_DISPATCH_ALL);
				if (err != SA_AIS_OK)
					bench_die(2, "bench_msg recv: saMsgDispatch: error %d", (int)err);
			}
			check_deadline("waiting for messages");
		}
	}
	printf("recv: count=%llu bytes=%llu first_ns=%lld last_ns=%lld end_count=%llu queues=%ld\n",
	       rx.count, rx.bytes, (long long)rx.first_ns, (long long)rx.last_ns, rx.end_count, k);
	if (bench_opt_flag(o, "unlink")) {
		for (i = 0; i < k; i++) {
			queue_name(&n, q, k, i);
			saMsgQueueClose(qh[i]);
			saMsgQueueUnlink(handle, &n);
		}
	}
	saMsgFinalize(handle);
	free(qh);
	free(rx.buf);
	return rx.count == rx.end_count ? 0 : 1;
}

/* ------------------------------------------------------------------ */
/* send                                                                */

struct sender {
	const char *q;
	long queues;
	size_t size;
	long long max_count;
	int64_t stop_mono;
	pthread_mutex_t lock;
	long long next;		/* messages claimed so far */
	long long sent, retries;
	int64_t first_ns, last_ns;
	struct bench_samples lat;	/* synchronous: each send's duration */
	/* async */
	long long window, outstanding, acked, failed;
};

static struct sender tx = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Claims the number of the next message, -1 when done. */
static long long claim(void)
{
	long long i = -1;

	pthread_mutex_lock(&tx.lock);
	if (tx.next < tx.max_count && bench_mono_ns() < tx.stop_mono)
		i = tx.next++;
	pthread_mutex_unlock(&tx.lock);
	return i;
}

static void fill_message(SaMsgMessageT *m, void *data, size_t size, uint32_t type)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->version = 1;
	m->size = size;
	m->data = data;
	m->priority = SA_MSG_MESSAGE_HIGHEST_PRIORITY;
}

static void send_sync(const SaNameT *dest, const SaMsgMessageT *m, long long *retries)
{
	SaAisErrorT err;

	while ((err = saMsgMessageSend(handle, dest, m, 10 * SA_TIME_ONE_SECOND)) != SA_AIS_OK) {
		if (!retryable(err))
			bench_die(2, "bench_msg send: saMsgMessageSend: error %d", (int)err);
		(*retries)++;
		check_deadline("saMsgMessageSend");
		bench_sleep_us(1000);
	}
}

static void *send_thread(void *arg)
{
	uint8_t *data = calloc(1, tx.size ? tx.size : 1);
	long long i, retries = 0, sent = 0;
	int64_t first = 0, last = 0, t0;
	struct bench_samples lat = { 0 };
	SaMsgMessageT m;
	SaNameT dest;
	size_t k;

	if (data == NULL)
		bench_die(2, "out of memory");
	fill_message(&m, data, tx.size, BENCH_TYPE_DATA);
	queue_name(&dest, tx.q, tx.queues, 0);
	while ((i = claim()) >= 0) {
		if (tx.queues > 1)
			queue_name(&dest, tx.q, tx.queues, (long)(i % tx.queues));
		memcpy(data, &i, tx.size < sizeof(i) ? tx.size : sizeof(i));
		if (first == 0)
			first = bench_real_ns();
		t0 = bench_mono_ns();
		send_sync(&dest, &m, &retries);
		bench_samples_add(&lat, bench_mono_ns() - t0);
		last = bench_real_ns();
		sent++;
	}
	pthread_mutex_lock(&tx.lock);
	for (k = 0; k < lat.n; k++)
		bench_samples_add(&tx.lat, lat.v[k]);
	bench_samples_free(&lat);
	tx.sent += sent;
	tx.retries += retries;
	if (first != 0 && (tx.first_ns == 0 || first < tx.first_ns))
		tx.first_ns = first;
	if (last > tx.last_ns)
		tx.last_ns = last;
	pthread_mutex_unlock(&tx.lock);
	free(data);
	return NULL;
}

static void delivered_cb(SaInvocationT invocation, SaAisErrorT error)
{
	tx.outstanding--;
	if (error == SA_AIS_OK)
		tx.acked++;
	else
		tx.failed++;
	tx.last_ns = bench_real_ns();
}

static void async_wait(SaSelectionObjectT so, long long below)
{
	while (tx.outstanding > below) {
		struct pollfd p = { .fd = (int)so, .events = POLLIN };
		SaAisErrorT err;

		if (poll(&p, 1, 1000) > 0) {
			err = saMsgDispatch(handle, SA_DISPATCH_ALL);
			if (err != SA_AIS_OK)
				bench_die(2, "bench_msg send: saMsgDispatch: error %d", (int)err);
		}
		check_deadline("delivered callbacks");
	}
}

static void send_async(void)
{
	uint8_t *data = calloc(1, tx.size ? tx.size : 1);
	SaSelectionObjectT so;
	SaMsgMessageT m;
	SaNameT dest;
	SaAisErrorT err;
	long long i;

	if (data == NULL)
		bench_die(2, "out of memory");
	if (saMsgSelectionObjectGet(handle, &so) != SA_AIS_OK)
		bench_die(2, "bench_msg send: no selection object");
	fill_message(&m, data, tx.size, BENCH_TYPE_DATA);
	queue_name(&dest, tx.q, tx.queues, 0);
	while ((i = claim()) >= 0) {
		if (tx.queues > 1)
			queue_name(&dest, tx.q, tx.queues, (long)(i % tx.queues));
		memcpy(data, &i, tx.size < sizeof(i) ? tx.size : sizeof(i));
		async_wait(so, tx.window - 1);
		if (tx.first_ns == 0)
			tx.first_ns = bench_real_ns();
		while ((err = saMsgMessageSendAsync(handle, (SaInvocationT)i, &dest, &m,
						    SA_MSG_MESSAGE_DELIVERED_ACK)) != SA_AIS_OK) {
			if (!retryable(err))
				bench_die(2, "bench_msg send: saMsgMessageSendAsync: error %d", (int)err);
			tx.retries++;
			check_deadline("saMsgMessageSendAsync");
			bench_sleep_us(1000);
		}
		tx.outstanding++;
		tx.sent++;
	}
	async_wait(so, 0);
	free(data);
}

static int cmd_send(const char *q, struct bench_opts *o)
{
	long threads = (long)bench_opt_ll(o, "threads", 1), t;
	bool async = bench_opt_flag(o, "async");
	double duration = bench_opt_double(o, "duration", 2.0);
	pthread_t tid[64];
	SaMsgCallbacksT cb;
	SaMsgMessageT m;
	SaNameT dest;
	uint64_t total;

	tx.q = q;
	tx.queues = (long)bench_opt_ll(o, "queues", 1);
	tx.size = (size_t)bench_opt_ll(o, "size", 1024);
	tx.max_count = bench_opt_ll(o, "count", (long long)1 << 62);
	tx.window = bench_opt_ll(o, "window", 32);
	if (threads < 1 || threads > 64 || tx.size < 8 || tx.size > BUF_MAX ||
	    tx.window < 1 || tx.queues < 1)
		bench_die(2, "bench_msg send: --threads 1..64, --size 8..%d, --window >= 1", BUF_MAX);
	memset(&cb, 0, sizeof(cb));
	cb.saMsgMessageDeliveredCallback = delivered_cb;
	init(&cb);
	tx.stop_mono = bench_mono_ns() + (int64_t)(duration * 1e9);
	if (async) {
		send_async();
	} else {
		for (t = 0; t < threads; t++)
			if (pthread_create(&tid[t], NULL, send_thread, NULL) != 0)
				bench_die(2, "bench_msg send: pthread_create failed");
		for (t = 0; t < threads; t++)
			pthread_join(tid[t], NULL);
	}
	/* END: how many data messages were sent (and acknowledged). */
	total = async ? (uint64_t)tx.acked : (uint64_t)tx.sent;
	fill_message(&m, &total, sizeof(total), BENCH_TYPE_END);
	queue_name(&dest, q, tx.queues, 0);
	send_sync(&dest, &m, &tx.retries);
	printf("send: count=%llu size=%zu threads=%ld async=%d window=%lld first_ns=%lld "
	       "last_ns=%lld retries=%lld failed=%lld msgs_per_s=%.1f\n",
	       (unsigned long long)total, tx.size, async ? 1 : threads, async ? 1 : 0,
	       async ? tx.window : 0, (long long)tx.first_ns, (long long)tx.last_ns,
	       tx.retries, tx.failed,
	       tx.last_ns > tx.first_ns ? (double)total * 1e9 / (double)(tx.last_ns - tx.first_ns) : 0.0);
	if (!async) {
		printf("send_latency:");
		bench_samples_print_us(&tx.lat);
		printf("\n");
	}
	bench_samples_free(&tx.lat);
	saMsgFinalize(handle);
	return tx.failed == 0 ? 0 : 1;
}

/* ------------------------------------------------------------------ */
/* replier, rtt                                                        */

static int cmd_replier(const char *q, struct bench_opts *o)
{
	uint8_t *buf = malloc(BUF_MAX);
	unsigned long long replies = 0;
	SaMsgQueueHandleT qh;
	SaNameT n;

	if (buf == NULL)
		bench_die(2, "out of memory");
	init(NULL);
	bench_name(&n, q);
	qh = queue_open(&n, 0, area);
	bench_touch(bench_opt_str(o, "ready", NULL));
	for (;;) {
		SaMsgMessageT m;
		SaMsgSenderIdT sid = 0;
		SaTimeT sent;
		SaAisErrorT err;

		memset(&m, 0, sizeof(m));
		m.data = buf;
		m.size = BUF_MAX;
		err = saMsgMessageGet(qh, &m, &sent, &sid, SA_TIME_ONE_SECOND);
		if (err == SA_AIS_ERR_TIMEOUT) {
			check_deadline("waiting for requests");
			continue;
		}
		if (err != SA_AIS_OK)
			bench_die(2, "bench_msg replier: saMsgMessageGet: error %d", (int)err);
		if (m.type == BENCH_TYPE_END)
			break;
		m.senderName = NULL;
		err = saMsgMessageReply(handle, &m, &sid, 10 * SA_TIME_ONE_SECOND);
		if (err != SA_AIS_OK)
			bench_die(2, "bench_msg replier: saMsgMessageReply: error %d", (int)err);
		replies++;
	}
	printf("replier: replies=%llu\n", replies);
	saMsgFinalize(handle);
	free(buf);
	return 0;
}

static int cmd_rtt(const char *q, struct bench_opts *o)
{
	size_t size = (size_t)bench_opt_ll(o, "size", 1024);
	long long count = bench_opt_ll(o, "count", 2000);
	long long warmup = bench_opt_ll(o, "warmup", 50), i;
	double duration = bench_opt_double(o, "duration", 5.0);
	uint8_t *out = calloc(1, size ? size : 1), *in = malloc(BUF_MAX);
	struct bench_samples s = { 0 };
	int64_t stop, t0;
	SaNameT dest;
	SaMsgMessageT m, r;
	SaAisErrorT err;
	uint64_t total;
	long long retries = 0;

	if (out == NULL || in == NULL || size < 8 || size > BUF_MAX)
		bench_die(2, "bench_msg rtt: --size 8..%d", BUF_MAX);
	init(NULL);
	bench_name(&dest, q);
	fill_message(&m, out, size, BENCH_TYPE_DATA);
	stop = bench_mono_ns() + (int64_t)(duration * 1e9);
	for (i = 0; i < warmup + count; i++) {
		if (i >= warmup && bench_mono_ns() > stop)
			break;
		memcpy(out, &i, sizeof(i));
		memset(&r, 0, sizeof(r));
		r.data = in;
		r.size = BUF_MAX;
		t0 = bench_mono_ns();
		err = saMsgMessageSendReceive(handle, &dest, &m, &r, NULL, 10 * SA_TIME_ONE_SECOND);
		if (err != SA_AIS_OK)
			bench_die(2, "bench_msg rtt: saMsgMessageSendReceive: error %d", (int)err);
		if (i >= warmup)
			bench_samples_add(&s, bench_mono_ns() - t0);
		if (r.size != size || memcmp(in, &i, sizeof(i)) != 0)
			bench_die(2, "bench_msg rtt: reply %lld is not the echo of the request", i);
	}
	total = (uint64_t)s.n;
	fill_message(&m, &total, sizeof(total), BENCH_TYPE_END);
	send_sync(&dest, &m, &retries);
	printf("rtt: size=%zu", size);
	bench_samples_print_us(&s);
	printf("\n");
	bench_samples_free(&s);
	saMsgFinalize(handle);
	free(out);
	free(in);
	return 0;
}

/* ------------------------------------------------------------------ */
/* hold                                                                */

static int cmd_hold(const char *q, struct bench_opts *o)
{
	long k = (long)bench_opt_ll(o, "queues", 1000), i;
	const char *until = bench_opt_str(o, "until", NULL);
	SaNameT n;
	int64_t t0 = bench_mono_ns();

	if (until == NULL || k < 1 || k > MAX_QUEUES)
		bench_die(2, "bench_msg hold: --until FILE and --queues 1..%d needed", MAX_QUEUES);
	init(NULL);
	for (i = 0; i < k; i++) {
		queue_name(&n, q, k, i);
		(void)queue_open(&n, 0, 64 * 1024);
	}
	printf("hold: queues=%ld open_ms=%.1f\n", k, (double)(bench_mono_ns() - t0) / 1e6);
	fflush(stdout);
	bench_touch(bench_opt_str(o, "ready", NULL));
	while (access(until, F_OK) != 0) {
		check_deadline("waiting for the --until file");
		bench_sleep_us(20000);
	}
	saMsgFinalize(handle);
	return 0;
}

int main(int argc, char **argv)
{
	struct bench_opts o;
	const char *cmd, *q;

	if (argc < 3)
		bench_die(2, "usage: bench_msg create|recv|send|replier|rtt|hold|status|session QUEUE [options]"
			  " (see the comment at the top of tests/bench/bench_msg.c)");
	cmd = argv[1];
	q = argv[2];
	bench_opts_init(&o, "bench_msg", argc, argv, 3);
	deadline_ns = bench_mono_ns() + bench_opt_ll(&o, "timeout", 120) * 1000000000LL;
	area = (SaSizeT)bench_opt_ll(&o, "area", (long long)area);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(cmd, "create") == 0)
		return cmd_create(q, &o);
	if (strcmp(cmd, "recv") == 0)
		return cmd_recv(q, &o);
	if (strcmp(cmd, "send") == 0)
		return cmd_send(q, &o);
	if (strcmp(cmd, "replier") == 0)
		return cmd_replier(q, &o);
	if (strcmp(cmd, "rtt") == 0)
		return cmd_rtt(q, &o);
	if (strcmp(cmd, "hold") == 0)
		return cmd_hold(q, &o);
	if (strcmp(cmd, "status") == 0)
		return cmd_status(q, &o);
	if (strcmp(cmd, "session") == 0)
		return cmd_session(q, &o);
	bench_die(2, "bench_msg: unknown command %s", cmd);
}
