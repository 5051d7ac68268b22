/*
 * lib_probe: holds libSaMsg handles open while a test kills safd, then
 * reports what each call returns. Driven by tests/cluster/lib-api.sh:
 *   prints "ready" once two handles are open (one in a blocking dispatch),
 *   waits for a line on stdin (safd has been killed meanwhile), then prints
 *   "blocking=<err> dispatch=<err> finalize=<err> reinit=<err> ms=<n>"
 * with SaAisErrorT values as numbers.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <saMsg.h>

static SaMsgHandleT blocked;
static SaAisErrorT blocked_result;

static void *dispatch_blocking(void *p)
{
	blocked_result = saMsgDispatch(blocked, SA_DISPATCH_BLOCKING);
	return NULL;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(void)
{
	SaVersionT v = { 'B', 1, 1 };
	SaMsgHandleT h, h2;
	SaAisErrorT dispatch, finalize, reinit;
	struct timespec deadline;
	pthread_t t;
	char line[16];
	long long t0;

	if (saMsgInitialize(&h, NULL, &v) != SA_AIS_OK ||
	    saMsgInitialize(&blocked, NULL, &v) != SA_AIS_OK) {
		fprintf(stderr, "lib_probe: saMsgInitialize failed\n");
		return 1;
	}
	if (pthread_create(&t, NULL, dispatch_blocking, NULL) != 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 1;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 5;
	if (pthread_timedjoin_np(t, NULL, &deadline) != 0)
		blocked_result = 0;	/* still blocked: reported as 0 */
	dispatch = saMsgDispatch(h, SA_DISPATCH_ALL);
	finalize = saMsgFinalize(h);
	t0 = now_ms();
	reinit = saMsgInitialize(&h2, NULL, &v);
	printf("blocking=%d dispatch=%d finalize=%d reinit=%d ms=%lld\n", blocked_result,
	       dispatch, finalize, reinit, now_ms() - t0);
	return 0;
}
