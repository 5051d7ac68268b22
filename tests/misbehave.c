/*
 * misbehave: Message Service clients that behave badly, and a well-behaved
 * one that measures how long its requests take meanwhile
 * (tests/cluster/misbehave.sh). One result line on stdout per command,
 * "<command>: key=value ...".
 *
 *   misbehave handles N
 *	Opens up to N handles (saMsgInitialize), stopping at the first
 *	error; prints "handles: opened=K err=E" (E 1 when all opened), then
 *	holds them until stdin closes.
 *   misbehave nodispatch QUEUE
 *	Opens QUEUE (CREATE) with a receive callback and never dispatches:
 *	prints "nodispatch: open err=E" and holds it until stdin closes.
 *   misbehave flood QUEUE SECONDS THREADS
 *	THREADS threads, each with its own handle, send 1 KiB messages to
 *	QUEUE with saMsgMessageSendAsync as fast as they can for SECONDS;
 *	prints "flood: sent=N errors=E".
 *   misbehave probe QUEUE COUNT
 *	Sends COUNT 64-byte messages to QUEUE synchronously, one at a time,
 *	and prints "probe: ok=N p50_ms=X p99_ms=Y max_ms=Z first_err=E".
 *   misbehave bigbuf SERVICE BYTES
 *	Connects to the libqb IPC service SERVICE (e.g. safd-msg) asking for
 *	BYTES-byte buffers, as a client not using our library could; prints
 *	"bigbuf: connected=0|1 errno=E".
 * Every call is bounded: sends with a 10 s timeout.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <qb/qbipcc.h>
#include <saMsg.h>

static SaVersionT version(void)
{
	SaVersionT v = { 'B', 3, 1 };

	return v;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void name_set(SaNameT *n, const char *s)
{
	memset(n, 0, sizeof(*n));
	n->length = (SaUint16T)strlen(s);
	memcpy(n->value, s, n->length);
}

static void wait_stdin(void)
{
	char buf[64];

	while (fread(buf, 1, sizeof(buf), stdin) > 0)
		;
}

static int cmd_handles(long n)
{
	SaMsgHandleT *h = calloc((size_t)n, sizeof(*h));
	SaAisErrorT err = SA_AIS_OK;
	long k;

	if (h == NULL)
		return 1;
	for (k = 0; k < n; k++) {
		SaVersionT v = version();

		err = saMsgInitialize(&h[k], NULL, &v);
		if (err != SA_AIS_OK)
			break;
	}
	printf("handles: opened=%ld err=%d\n", k, (int)err);
	fflush(stdout);
	wait_stdin();
	while (k-- > 0)
		saMsgFinalize(h[k]);
	free(h);
	return 0;
}

static void on_received(SaMsgQueueHandleT q)
{
}

static int cmd_nodispatch(const char *queue)
{
	SaMsgCallbacksT cb = { .saMsgMessageReceivedCallback = on_received };
	SaMsgQueueCreationAttributesT attrs = {
		.creationFlags = 0,
		.size = { 1 << 20, 1 << 20, 1 << 20, 1 << 20 },
		.retentionTime = 0,
	};
	SaVersionT v = version();
	SaMsgQueueHandleT q;
	SaMsgHandleT h;
	SaNameT name;
	SaAisErrorT err;

	name_set(&name, queue);
	err = saMsgInitialize(&h, &cb, &v);
	if (err == SA_AIS_OK)
		err = saMsgQueueOpen(h, &name, &attrs, SA_MSG_QUEUE_CREATE |
				     SA_MSG_QUEUE_RECEIVE_CALLBACK, 10 * SA_TIME_ONE_SECOND, &q);
	printf("nodispatch: open err=%d\n", (int)err);
	fflush(stdout);
	wait_stdin();
	if (err == SA_AIS_OK)
		saMsgFinalize(h);
	return err == SA_AIS_OK ? 0 : 1;
}

struct flood {
	SaNameT queue;
	double until;
	long sent;
	long errors;
};

static void *flood_thread(void *p)
{
	struct flood *f = p;
	static char payload[1024];
	SaMsgMessageT m = { .size = sizeof(payload), .data = payload, .priority = 3 };
	SaVersionT v = version();
	SaMsgHandleT h;
	SaInvocationT inv = 0;

	if (saMsgInitialize(&h, NULL, &v) != SA_AIS_OK) {
		f->errors++;
		return NULL;
	}
	while (now_ms() < f->until) {
		if (saMsgMessageSendAsync(h, ++inv, &f->queue, &m, 0) == SA_AIS_OK)
			f->sent++;
		else
			f->errors++;
	}
	saMsgFinalize(h);
	return NULL;
}

static int cmd_flood(const char *queue, double seconds, int threads)
{
	struct flood *f = calloc((size_t)threads, sizeof(*f));
	pthread_t *t = calloc((size_t)threads, sizeof(*t));
	long sent = 0, errors = 0;
	int i;

	if (f == NULL || t == NULL) {
		free(f);
		free(t);
		return 1;
	}
	for (i = 0; i < threads; i++) {
		name_set(&f[i].queue, queue);
		f[i].until = now_ms() + seconds * 1e3;
		pthread_create(&t[i], NULL, flood_thread, &f[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		sent += f[i].sent;
		errors += f[i].errors;
	}
	printf("flood: sent=%ld errors=%ld\n", sent, errors);
	free(f);
	free(t);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmd_probe(const char *queue, long count)
{
	double *lat = calloc((size_t)count, sizeof(*lat));
	char payload[64] = "probe";
	SaMsgMessageT m = { .size = sizeof(payload), .data = payload, .priority = 0 };
	SaAisErrorT err, first = SA_AIS_OK;
	SaVersionT v = version();
	SaMsgHandleT h;
	SaNameT name;
	long k, ok = 0;

	if (lat == NULL)
		return 1;
	name_set(&name, queue);
	err = saMsgInitialize(&h, NULL, &v);
	for (k = 0; k < count && err == SA_AIS_OK; k++) {
		double t0 = now_ms();
		SaAisErrorT e = saMsgMessageSend(h, &name, &m, 10 * SA_TIME_ONE_SECOND);

		if (e == SA_AIS_OK)
			lat[ok++] = now_ms() - t0;
		else if (first == SA_AIS_OK)
			first = e;
	}
	if (err != SA_AIS_OK)
		first = err;
	else
		saMsgFinalize(h);
	qsort(lat, (size_t)ok, sizeof(*lat), cmp_double);
	printf("probe: ok=%ld p50_ms=%.1f p99_ms=%.1f max_ms=%.1f first_err=%d\n", ok,
	       ok ? lat[ok / 2] : 0.0, ok ? lat[(ok * 99) / 100] : 0.0,
	       ok ? lat[ok - 1] : 0.0, (int)first);
	free(lat);
	return ok == count ? 0 : 1;
}

static int cmd_bigbuf(const char *service, long bytes)
{
	qb_ipcc_connection_t *c = qb_ipcc_connect(service, (size_t)bytes);
	int e = c == NULL ? errno : 0;

	printf("bigbuf: connected=%d errno=%d\n", c != NULL, e);
	if (c != NULL)
		qb_ipcc_disconnect(c);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "handles") == 0)
		return cmd_handles(atol(argv[2]));
	if (argc == 3 && strcmp(argv[1], "nodispatch") == 0)
		return cmd_nodispatch(argv[2]);
	if (argc == 5 && strcmp(argv[1], "flood") == 0)
		return cmd_flood(argv[2], atof(argv[3]), atoi(argv[4]));
	if (argc == 4 && strcmp(argv[1], "probe") == 0)
		return cmd_probe(argv[2], atol(argv[3]));
	if (argc == 4 && strcmp(argv[1], "bigbuf") == 0)
		return cmd_bigbuf(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: misbehave handles N | nodispatch QUEUE | "
		"flood QUEUE SECONDS THREADS | probe QUEUE COUNT | bigbuf SERVICE BYTES\n");
	return 2;
}
