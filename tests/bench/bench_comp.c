/*
 * bench_comp: the SA-aware component of the AMF recovery benchmarks
 * (BENCHMARKS.md; the models are tests/bench/bench-*.xml). A lean
 * csa104: it does what a real active does after a failover and nothing
 * else, so that what is measured is safd.
 *
 * Life: saAmfInitialize_4 and saMsgInitialize (both before registering, as
 * a real application would), saAmfComponentRegister, then one poll loop
 * over both selection objects.
 *  - CSI set ACTIVE: answer SA_AIS_OK (saAmfResponse_4), note the time the
 *    callback returns; then open the SG's queue (BENCH_QUEUE; CREATE,
 *    persistent, RECEIVE_CALLBACK; BUSY and TRY_AGAIN are retried: the
 *    previous opener may not be closed yet), note the time, and take what
 *    is already in it.
 *  - Every message taken (saMsgMessageGet that does not wait, from the
 *    received callback or right after the open): a probe of bench_amf
 *    (sent with SendReceive) is answered with struct bench_amf_reply.
 *  - Any other HA state, or CSI remove: close the queue, answer OK
 *    (QUIESCING: also saAmfCSIQuiescingComplete).
 *  - Terminate callback: answer OK and exit 0.
 * After each change it rewrites $BENCH_DIR/<component short name>.state,
 * one line "pid=P node=N ha=ACTIVE|STANDBY|QUIESCED|QUIESCING|NONE
 * qopen=0|1 t=<realtime ns>", by rename, so a reader never sees half a line.
 * run.sh polls these files to know which process is active where.
 *
 * Environment: BENCH_QUEUE (default "bench.amf"), BENCH_DIR (default
 * $SAFD_STATE_DIR, else "."), BENCH_NODE (a number for the state file and
 * the reply; default 0).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <saAmf.h>
#include <saMsg.h>

#include "bench.h"

static SaAmfHandleT amf;
static SaMsgHandleT msg;
static SaNameT my_name;
static SaMsgQueueHandleT queue;
static bool queue_open;
static const char *ha_text = "NONE";
static int64_t start_ns, reg_ns, csi_ns, open_ns;
static uint32_t node;
static char state_path[4096];
static uint8_t buf[64 * 1024];

/* Makes `call` until it stops answering TRY_AGAIN (or BUSY), for at most
 * 10 s: safd may still be syncing, a previous opener still closing. */
#define RETRY(err, call) do {							\
	tries = 1;								\
	while ((((err) = (call)) == SA_AIS_ERR_TRY_AGAIN ||			\
		(err) == SA_AIS_ERR_BUSY) && tries++ < 10000)			\
		bench_sleep_us(1000);						\
} while (0)
static int tries;		/* of the last RETRY */
static uint32_t open_tries;

static void write_state(void)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", state_path);
	f = fopen(tmp, "w");
	if (f == NULL)
		return;
	fprintf(f, "pid=%ld node=%u ha=%s qopen=%d t=%lld\n", (long)getpid(), node, ha_text,
		queue_open ? 1 : 0, (long long)bench_real_ns());
	fclose(f);
	rename(tmp, state_path);
}

static void close_queue(void)
{
	if (queue_open)
		saMsgQueueClose(queue);
	queue_open = false;
}

/* Takes every message waiting in the queue, answering probes. */
static void take_all(void)
{
	for (;;) {
		SaMsgMessageT m;
		SaMsgSenderIdT sid = 0;
		SaTimeT sent;
		SaAisErrorT err;
		struct bench_amf_reply r;
		int64_t now;

		if (!queue_open)
			return;
		memset(&m, 0, sizeof(m));
		m.data = buf;
		m.size = sizeof(buf);
		err = saMsgMessageGet(queue, &m, &sent, &sid, 0);
		if (err != SA_AIS_OK)
			return;		/* TIMEOUT: empty */
		now = bench_real_ns();
		if (sid == 0)
			continue;	/* not a probe */
		memset(&r, 0, sizeof(r));
		r.csi_ns = csi_ns;
		r.open_ns = open_ns;
		r.recv_ns = now;
		r.start_ns = start_ns;
		r.reg_ns = reg_ns;
		r.open_tries = open_tries;
		r.pid = (uint32_t)getpid();
		r.node = node;
		if (m.size >= sizeof(uint64_t))
			memcpy(&r.trial, buf, sizeof(r.trial));
		m.data = &r;
		m.size = sizeof(r);
		m.senderName = NULL;
		err = saMsgMessageReply(msg, &m, &sid, 5 * SA_TIME_ONE_SECOND);
		if (err != SA_AIS_OK)
			fprintf(stderr, "bench_comp: saMsgMessageReply: error %d\n", (int)err);
	}
}

static void open_queue(void)
{
	const char *q = getenv("BENCH_QUEUE");
	SaMsgQueueCreationAttributesT a;
	SaNameT n;
	SaAisErrorT err;
	int p;

	bench_name(&n, q != NULL && q[0] != '\0' ? q : "bench.amf");
	memset(&a, 0, sizeof(a));
	a.creationFlags = SA_MSG_QUEUE_PERSISTENT;
	for (p = 0; p <= SA_MSG_MESSAGE_LOWEST_PRIORITY; p++)
		a.size[p] = 1024 * 1024;
	RETRY(err, saMsgQueueOpen(msg, &n, &a, SA_MSG_QUEUE_CREATE | SA_MSG_QUEUE_RECEIVE_CALLBACK,
				  5 * SA_TIME_ONE_SECOND, &queue));
	if (err != SA_AIS_OK) {
		fprintf(stderr, "bench_comp: saMsgQueueOpen: error %d\n", (int)err);
		return;
	}
	queue_open = true;
	open_ns = bench_real_ns();
	open_tries = (uint32_t)tries;
}

static void csi_set_cb(SaInvocationT invocation, const SaNameT *compName,
		       SaAmfHAStateT haState, SaAmfCSIDescriptorT d)
{
	if (haState != SA_AMF_HA_ACTIVE)
		close_queue();
	saAmfResponse_4(amf, invocation, NULL, SA_AIS_OK);
	switch (haState) {
	case SA_AMF_HA_ACTIVE:
		ha_text = "ACTIVE";
		csi_ns = bench_real_ns();
		if (!queue_open)
			open_queue();
		write_state();
		take_all();
		return;
	case SA_AMF_HA_STANDBY:
		ha_text = "STANDBY";
		break;
	case SA_AMF_HA_QUIESCED:
		ha_text = "QUIESCED";
		break;
	case SA_AMF_HA_QUIESCING:
		ha_text = "QUIESCING";
		saAmfCSIQuiescingComplete(amf, invocation, SA_AIS_OK);
		break;
	}
	write_state();
}

static void csi_remove_cb(SaInvocationT invocation, const SaNameT *compName,
			  const SaNameT *csiName, SaAmfCSIFlagsT csiFlags)
{
	close_queue();
	saAmfResponse_4(amf, invocation, NULL, SA_AIS_OK);
	ha_text = "NONE";
	write_state();
}

static void terminate_cb(SaInvocationT invocation, const SaNameT *compName)
{
	close_queue();
	saAmfResponse_4(amf, invocation, NULL, SA_AIS_OK);
	ha_text = "NONE";
	write_state();
	exit(0);
}

static void received_cb(SaMsgQueueHandleT qh)
{
	take_all();
}

int main(void)
{
	SaAmfCallbacksT_4 acb;
	SaMsgCallbacksT mcb;
	SaVersionT av = { 'B', 4, 1 }, mv = { 'B', 3, 1 };
	SaSelectionObjectT aso, mso;
	const char *dir = getenv("BENCH_DIR");
	char short_name[128] = "comp";
	const char *eq;
	size_t len = 0;
	SaAisErrorT err;

	start_ns = bench_real_ns();
	signal(SIGPIPE, SIG_IGN);
	node = (uint32_t)atoi(getenv("BENCH_NODE") != NULL ? getenv("BENCH_NODE") : "0");
	if (dir == NULL || dir[0] == '\0')
		dir = getenv("SAFD_STATE_DIR");
	if (dir == NULL || dir[0] == '\0')
		dir = ".";

	memset(&acb, 0, sizeof(acb));
	acb.saAmfCSISetCallback = csi_set_cb;
	acb.saAmfCSIRemoveCallback = csi_remove_cb;
	acb.saAmfComponentTerminateCallback = terminate_cb;
	RETRY(err, saAmfInitialize_4(&amf, &acb, &av));
	if (err != SA_AIS_OK)
		bench_die(2, "bench_comp: saAmfInitialize_4: error %d", (int)err);
	memset(&mcb, 0, sizeof(mcb));
	mcb.saMsgMessageReceivedCallback = received_cb;
	RETRY(err, saMsgInitialize(&msg, &mcb, &mv));
	if (err != SA_AIS_OK)
		bench_die(2, "bench_comp: saMsgInitialize: error %d", (int)err);
	if (saAmfSelectionObjectGet(amf, &aso) != SA_AIS_OK ||
	    saMsgSelectionObjectGet(msg, &mso) != SA_AIS_OK ||
	    saAmfComponentNameGet(amf, &my_name) != SA_AIS_OK)
		bench_die(2, "bench_comp: no selection object or component name");

	/* safComp=<short>,... */
	eq = memchr(my_name.value, '=', my_name.length);
	if (eq != NULL) {
		eq++;
		while (eq + len < (const char *)my_name.value + my_name.length &&
		       eq[len] != ',' && len < sizeof(short_name) - 1)
			len++;
		memcpy(short_name, eq, len);
		short_name[len] = '\0';
	}
	snprintf(state_path, sizeof(state_path), "%s/%s.state", dir, short_name);
	write_state();

	RETRY(err, saAmfComponentRegister(amf, &my_name, NULL));
	if (err != SA_AIS_OK)
		bench_die(2, "bench_comp: saAmfComponentRegister: error %d", (int)err);
	reg_ns = bench_real_ns();

	for (;;) {
		struct pollfd p[2] = {
			{ .fd = (int)aso, .events = POLLIN },
			{ .fd = (int)mso, .events = POLLIN },
		};

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 4;
		}
		if (p[0].revents && saAmfDispatch(amf, SA_DISPATCH_ALL) != SA_AIS_OK)
			return 4;	/* safd went away */
		if (p[1].revents && saMsgDispatch(msg, SA_DISPATCH_ALL) != SA_AIS_OK)
			return 4;
	}
}
